"""One way to stop lost updates (issue 11 item 12; ADR 0017).

Every editable record carries a ``version`` (the :class:`Versioned` abstract model). The edit form
carries the version it was opened at (:class:`VersionedFormMixin`, a hidden field); the API takes it
as a ``version`` field or an ``If-Match`` header (:class:`VersionedSerializerMixin`,
:func:`expected_version`) and answers with an ``ETag``. The service locks the row, calls
:func:`version_check` — which raises :class:`StaleEdit` when someone saved in between — and
:func:`version_bump` before it saves. A stale save is never written: the page shows "this record
changed since you opened it" with both versions side by side and keeps what the user typed
(:func:`stale_context`, ``ui/stale_edit.html``); the API answers 409 with both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django import forms
from django.db import models
from django.utils import timezone
from rest_framework import serializers


class Versioned(models.Model):
    """Adds the version every editable record carries: 1 when created, one more at each save."""

    # db_default too: rows written in bulk without the column (the benchmark data) start at 1.
    version = models.PositiveIntegerField(default=1, db_default=1, help_text="Raised by one at every saved edit")

    class Meta:
        abstract = True


def _shown(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d %B %Y %H:%M") if timezone.is_aware(value) else str(value)
    if isinstance(value, date):
        return value.strftime("%d %B %Y")
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (list, tuple)):
        return ", ".join(_shown(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_shown(v)}" for k, v in value.items())
    return str(value)


def _values(row: models.Model) -> dict[str, str]:
    """The record as saved now, field by field, as a person reads it."""
    values: dict[str, str] = {}
    for model_field in row._meta.concrete_fields:
        name = model_field.name
        if name in ("id", "version"):
            continue
        if model_field.choices:
            values[name] = str(getattr(row, f"get_{name}_display")())
        elif model_field.is_relation:
            values[name] = _shown(getattr(row, name))
        else:
            values[name] = _shown(getattr(row, name))
    return values


@dataclass
class StaleEdit(Exception):
    """The record was saved by someone else since this edit was opened; nothing was written."""

    label: str
    current_version: int
    your_version: int
    current: dict[str, str] = field(default_factory=dict)
    changed_by: str = ""
    changed_at: datetime | None = None

    def __str__(self) -> str:
        return self.message

    @property
    def message(self) -> str:
        who = f" by {self.changed_by}" if self.changed_by else ""
        when = f" at {timezone.localtime(self.changed_at):%H:%M}" if self.changed_at else ""
        return (f"This {self.label} changed since you opened it (saved{who}{when}). Nothing you typed was saved: "
                "compare the two versions, then save again to keep yours.")

    @property
    def reload_message(self) -> str:
        """The words for a page that shows the refusal as a plain form error, without the two versions
        side by side (its hidden version stays where it was, so saving again would be refused again)."""
        who = f" by {self.changed_by}" if self.changed_by else ""
        when = f" at {timezone.localtime(self.changed_at):%H:%M}" if self.changed_at else ""
        return (f"This {self.label} changed since you opened it (saved{who}{when}). Nothing you typed was saved: "
                "reload the page to see it, then make your change again.")

    def as_json(self) -> dict[str, Any]:
        return {"detail": self.message, "current_version": self.current_version, "your_version": self.your_version,
                "current": self.current}


_UNSET: Any = object()


def version_check(row: models.Model, expected: int | None, *, label: str = "record", by: Any = _UNSET,
                  at: datetime | None = _UNSET) -> None:
    """Raise :class:`StaleEdit` unless ``expected`` is the locked ``row``'s version. ``None`` means the
    caller sent no version (an API client that did not ask for the check): nothing to compare.
    ``by`` and ``at`` say who saved it and when, for a record that keeps them under other names than
    ``updated_by`` and ``updated_at`` (``None``: it does not say)."""
    if expected is None:
        return
    current = int(row.version)  # type: ignore[attr-defined]
    if int(expected) == current:
        return
    changed_by = getattr(row, "updated_by", None) if by is _UNSET else by
    raise StaleEdit(label=label, current_version=current, your_version=int(expected), current=_values(row),
                    changed_by=(changed_by.get_full_name() or changed_by.get_username()) if changed_by else "",
                    changed_at=getattr(row, "updated_at", None) if at is _UNSET else at)


def version_check_first(expected: int | None, *, label: str = "record") -> None:
    """For a record kept at most once per owner (one training record a person) when the locked read
    found none: the form must have been opened when there was none yet (version 0, or no version
    sent). Anything else means it was there and has gone since: :class:`StaleEdit`."""
    if expected is None or int(expected) == 0:
        return
    raise StaleEdit(label=label, current_version=0, your_version=int(expected))


def created_meanwhile(label: str = "record") -> StaleEdit:
    """Two first saves of a once-per-owner record at the same moment: the other one was written first
    (the unique constraint refused this one, an ``IntegrityError``). Raise what this returns."""
    return StaleEdit(label=label, current_version=1, your_version=0)


def version_bump(row: models.Model) -> None:
    """Raise the version by one: call on the locked row just before it is saved."""
    row.version = int(row.version) + 1  # type: ignore[attr-defined]


# -- pages -----------------------------------------------------------------------------------------


class VersionedFormMixin(forms.Form):
    """The version the form was opened at, carried in a hidden field."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=2**31 - 1)

    @property
    def opened_version(self) -> int | None:
        return self.cleaned_data.get("version") if hasattr(self, "cleaned_data") else None


def stale_context(form: forms.Form, error: StaleEdit) -> dict[str, Any]:
    """What ``ui/stale_edit.html`` shows: the fields that differ, yours beside the saved one. The form
    stays bound to what the user typed; its hidden version moves on, so saving again keeps theirs."""
    rows = []
    for name, bound in form.fields.items():
        if name == "version" or name not in error.current:
            continue
        raw = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else form.data.get(name)
        if isinstance(raw, models.Model):
            yours = str(raw)
        elif name in getattr(form, "data", {}) and getattr(bound, "choices", None) and not isinstance(raw, list):
            yours = str(dict((str(k), v) for k, v in getattr(bound, "choices", [])).get(str(raw), _shown(raw)))
        else:
            yours = _shown(raw)
        saved = error.current[name]
        if yours.strip() != saved.strip():
            rows.append({"label": bound.label or name.replace("_", " ").capitalize(), "yours": yours, "saved": saved})
    data = form.data.copy()  # type: ignore[attr-defined]  # a QueryDict when bound
    data[form.add_prefix("version")] = str(error.current_version)
    form.data = data
    return {"stale": {"message": error.message, "rows": rows}}


# -- the API ---------------------------------------------------------------------------------------


class VersionedSerializerMixin(serializers.Serializer):
    """The version the client read (``version`` in the body); an ``If-Match`` header does the same."""

    version = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1,
                                       help_text="The version you read; a stale one answers 409 with both")


def expected_version(request: Any, validated: dict[str, Any]) -> int | None:
    """The version the client says it read: the body's ``version``, else ``If-Match: "N"``."""
    if validated.get("version") is not None:
        return int(validated["version"])
    header = (request.headers.get("If-Match") or "").strip()
    if header.startswith("W/"):
        header = header[2:]
    header = header.strip('"')
    if header.isascii() and header.isdigit() and len(header) < 10:
        return int(header)
    if header and header != "*":
        raise serializers.ValidationError({"If-Match": ["Send the version you read, as an ETag: \"3\""]})
    return None


def etag(row: models.Model) -> str:
    return f'"{row.version}"'  # type: ignore[attr-defined]
