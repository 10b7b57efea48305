"""The subject access bundle: everything held about a child, item by item, with what needs review.

Built from the same walk disposal uses (``holdings.child_holdings``), so no record type can be
left out. Each item is a row of the child's file; each of its fields is shown as stored, with a
reason to review it when it is information about someone else (third-party information) or
intelligence under handling code C (it may be shared only with the originator's permission).
A reviewer marks items or single fields to withhold, with a reason, before the bundle is released.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import models
from django.utils import timezone

from safeguard.children.models import Child

from .holdings import child_holdings, label

# Derived or internal rows that hold nothing a person has not already been shown elsewhere.
SKIPPED = frozenset({"children.namekey", "records.retentionschedule", "records.subjectaccessrequest",
                     "records.redaction", "records.legalhold"})
SKIPPED_FIELDS = frozenset({"language_flags_kept", "first_key", "last_key", "content_hash"})

# The order sections are shown in; later apps' kinds follow, alphabetically.
ORDER = (
    "children.child", "children.childname", "children.address", "children.involvement",
    "children.chronologyitem", "children.observation", "children.chronologyentry", "screening.screening",
    "screening.formb", "screening.formbcontribution", "screening.safetyaction", "referrals.referral",
    "referrals.referralevent", "referrals.assessment", "referrals.decisionrecord", "referrals.approval",
    "missing.episode", "missing.classificationchange", "missing.returninterview", "missing.visitor",
    "missing.profile", "missing.profilephoto", "missing.policesubmission", "missing.comissinglink",
)

THIRD_PARTY = "Third-party information: about or from someone other than the child"
CODE_C = "Intelligence under handling code C: share only with the originator's permission"
TOLD_BY_OTHER = "Told to the recorder by another person"

# Fields about other people (names, phones, vehicles, places they use), by kind of record.
THIRD_PARTY_FIELDS: dict[str, frozenset[str]] = {
    "children.observation": frozenset({"source_detail", "people", "places", "vehicles"}),
    "children.chronologyentry": frozenset({"source_detail"}),
    "screening.screening": frozenset({"referrer_name", "contact_details", "previous_cp_referral_when"}),
    "screening.safetyaction": frozenset({"owner_name"}),
    "referrals.assessment": frozenset({"partner_ages", "criteria_notes", "summary"}),
    "referrals.decisionrecord": frozenset({"recipient", "decision_makers"}),
    "missing.episode": frozenset({"who_with", "vehicles", "addresses", "phones", "names_mentioned"}),
    "missing.profile": frozenset({"associates", "phones", "places", "vehicles"}),
    "missing.policesubmission": frozenset({"snapshot"}),
}
# Whole records about someone else: a caller or visitor, another child missing at the same time.
THIRD_PARTY_RECORDS = frozenset({"missing.visitor", "missing.comissinglink"})
# Every record of these apps is about people, places and vehicles linked to the child.
THIRD_PARTY_APPS = frozenset({"intelligence"})
# The free-text field that holds what another person told the recorder.
TOLD_FIELDS = {"children.observation": "details", "children.chronologyentry": "text"}


@dataclass
class Field:
    name: str
    label: str
    value: Any
    key: str
    review: str = ""

    @property
    def text(self) -> str:
        if self.value in (None, "", [], {}):
            return "-"
        if isinstance(self.value, (dict, list)):
            return json.dumps(self.value, ensure_ascii=False, default=str)
        if isinstance(self.value, bool):
            return "Yes" if self.value else "No"
        return str(self.value)


@dataclass
class Item:
    key: str
    kind: str
    kind_label: str
    fields: list[Field]
    review: str = ""

    @property
    def needs_review(self) -> bool:
        return bool(self.review) or any(f.review for f in self.fields)


@dataclass
class Section:
    kind: str
    label: str
    items: list[Item] = field(default_factory=list)


def _value(row: models.Model, model_field: models.Field) -> Any:
    if model_field.is_relation:
        related = getattr(row, model_field.name)
        if related is None:
            return None
        get_full_name = getattr(related, "get_full_name", None)
        if callable(get_full_name):
            return get_full_name() or str(related)
        return str(related)
    value = getattr(row, model_field.attname)
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(model_field, models.FileField):
        return str(value.name) if value else ""
    choices = getattr(row, f"get_{model_field.name}_display", None)
    if model_field.choices and callable(choices):
        return choices()
    return value


def _item(row: models.Model, kind: str, model: type[models.Model]) -> Item:
    key = f"{kind}:{row.pk}"
    app = model._meta.app_label
    whole = ""
    # The intelligence app's links carry ``handling`` ("C": sharing subject to conditions).
    handling = str(getattr(row, "handling_code", "") or getattr(row, "handling", "") or "").upper()
    if handling == "C":
        whole = CODE_C
    elif kind in THIRD_PARTY_RECORDS or app in THIRD_PARTY_APPS:
        whole = THIRD_PARTY
    marked = THIRD_PARTY_FIELDS.get(kind, frozenset())
    told_field = TOLD_FIELDS.get(kind) if getattr(row, "source", "") == "told_by_other" else None
    fields = []
    for model_field in model._meta.concrete_fields:
        if model_field.name in SKIPPED_FIELDS or (model_field.is_relation and model_field.related_model is Child):
            continue
        review = THIRD_PARTY if model_field.name in marked else (TOLD_BY_OTHER if model_field.name == told_field else "")
        value = _value(row, model_field)
        fields.append(Field(model_field.name, str(model_field.verbose_name).capitalize(), value,
                            f"{key}:{model_field.name}", review if value not in (None, "", [], {}) else ""))
    return Item(key=key, kind=kind, kind_label=str(model._meta.verbose_name).capitalize(), fields=fields, review=whole)


def _position(kind: str) -> tuple[int, str]:
    return (ORDER.index(kind), kind) if kind in ORDER else (len(ORDER), kind)


def subject_access_bundle(child: Child) -> list[Section]:
    """Every record held about the child, grouped by kind, each field with its review reason."""
    sections = []
    holdings = child_holdings(child)
    for model, pks in sorted(holdings.items(), key=lambda item: _position(label(item[0]))):
        kind = label(model)
        if kind in SKIPPED:
            continue
        relations = [f.name for f in model._meta.concrete_fields if f.is_relation and f.related_model is not Child]
        rows = model._base_manager.filter(pk__in=pks).select_related(*relations).order_by("pk")
        section = Section(kind=kind, label=str(model._meta.verbose_name_plural).capitalize())
        section.items = [_item(row, kind, model) for row in rows]
        sections.append(section)
    return sections


def review_items(sections: list[Section]) -> list[Item]:
    return [item for section in sections for item in section.items if item.needs_review]


def apply_redactions(sections: list[Section], withheld: set[str]) -> list[Section]:
    """The bundle as released: a withheld item or field keeps its place and says it was withheld."""
    for section in sections:
        for item in section.items:
            item_withheld = item.key in withheld
            for bundle_field in item.fields:
                if item_withheld or bundle_field.key in withheld:
                    bundle_field.value = "[Withheld]"
    return sections


def bundle_json(sections: list[Section], *, child_id: int, request_id: int, released_at: str) -> dict[str, Any]:
    return {
        "child_id": child_id,
        "subject_access_request": request_id,
        "released_at": released_at,
        "sections": [
            {
                "kind": section.kind,
                "label": section.label,
                "items": [
                    {"key": item.key, "fields": {f.name: f.value for f in item.fields}}
                    for item in section.items
                ],
            }
            for section in sections
        ],
    }
