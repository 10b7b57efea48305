"""Every write to a child's record: the change and its audit event, in one transaction.

Views pass the ``ChildAccess`` they got from ``safeguard.access.policy.child_for_user``; a service
asserts what it needs (``access.require_change()``) and never decides access itself. Whatever is
recorded on the child's file goes through ``children.chronology.record_on_file``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Value
from django.db.models.functions import Replace
from django.utils import timezone

from safeguard.access.policy import ChildAccess, require_child_worker, require_may_merge
from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.platform.versioning import version_bump, version_check

from ..chronology import record_on_file
from ..matching import phonetic_key
from ..models import (
    Address,
    Child,
    ChildMerge,
    ChildName,
    ChronologyEntry,
    ChronologyItem,
    Involvement,
    Observation,
    Source,
)
from ..search import name_index_refresh
from ..selectors import merge_blockers
from ..summaries import observation_how, summary

# Fields of Child that child_create / child_update take from `data`.
CHILD_FIELDS = (
    "first_name",
    "last_name",
    "preferred_name",
    "date_of_birth",
    "gender",
    "ethnicity",
    "languages",
    "disabilities",
    "local_authority",
    "looked_after",
    "placement",
    "school",
    "nhs_number",
    "unique_pupil_number",
    "police_reference",
    "lead_agency",
    "lead_professional",
)


@dataclass(frozen=True)
class NewAddress:
    line: str
    postcode: str = ""
    from_date: date | None = None


@dataclass(frozen=True)
class ChildData:
    """What a child's record holds; forms and the API build one."""

    first_name: str
    last_name: str
    values: Mapping[str, object] = field(default_factory=dict)  # any other CHILD_FIELDS
    aliases: Sequence[tuple[str, str]] = ()
    address: NewAddress | None = None


def _name_create(*, child: Child, kind: str, first_name: str, last_name: str) -> ChildName:
    return ChildName.objects.create(
        child=child,
        kind=kind,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        first_key=phonetic_key(first_name),
        last_key=phonetic_key(last_name),
    )


def involvement_ensure(*, child: Child, agency, reason: str, actor=None) -> Involvement | None:
    """Bring an agency into the child's circle (it then sees the record). None if it already was."""
    if agency is None:
        return None
    involvement, created = Involvement.objects.get_or_create(
        child=child, agency=agency, defaults={"reason": reason, "added_by": actor}
    )
    if not created:
        return None
    audit_record(
        verb=Verb.INVOLVEMENT_ADDED,
        actor=actor,
        target=involvement,
        child_id=child.pk,
        payload={"agency_id": agency.pk, "reason": reason},
    )
    return involvement


def child_create(*, actor, data: ChildData, duplicate_of: Sequence[int] = (), duplicate_reason: str = "") -> Child:
    """A new record, with its names indexed for search, an address and the actor's agency involved; a
    reason for a second record of the same name and birth date (``duplicate_of``) goes to the audit."""
    require_child_worker(actor)
    values = {k: v for k, v in data.values.items() if k in CHILD_FIELDS and v is not None}
    values.setdefault("lead_agency", actor.agency)
    with transaction.atomic():
        child = Child.objects.create(
            first_name=data.first_name.strip(), last_name=data.last_name.strip(), created_by=actor, **values
        )
        _name_create(
            child=child, kind=ChildName.Kind.PRIMARY, first_name=child.first_name, last_name=child.last_name
        )
        for first, last in data.aliases:
            _name_create(child=child, kind=ChildName.Kind.ALIAS, first_name=first, last_name=last)
        name_index_refresh(child=child)
        if data.address and data.address.line.strip():
            Address.objects.create(
                child=child,
                line=data.address.line.strip(),
                postcode=data.address.postcode.strip().upper(),
                from_date=data.address.from_date,
            )
        payload: dict[str, Any] = {"aliases": len(data.aliases), "lead_agency_id": child.lead_agency_id}
        if duplicate_reason.strip():
            payload |= {"duplicate_of": list(duplicate_of), "duplicate_reason": duplicate_reason.strip()}
        audit_record(verb=Verb.CHILD_CREATED, actor=actor, target=child, child_id=child.pk, payload=payload)
        involvement_ensure(child=child, agency=actor.agency, reason=Involvement.Reason.RECORDED, actor=actor)
        if child.lead_agency_id and child.lead_agency_id != actor.agency_id:
            involvement_ensure(
                child=child, agency=child.lead_agency, reason=Involvement.Reason.LEAD, actor=actor
            )
    return child


def child_update(*, access: ChildAccess, data: ChildData, version: int | None = None) -> Child:
    """Change the record's details; a new address closes the current one on the day the new one starts.
    ``version`` is the one the edit was opened at: a record saved since raises ``StaleEdit``."""
    access.require_change()
    actor = access.actor
    values = {"first_name": data.first_name.strip(), "last_name": data.last_name.strip(), **data.values}
    changed = []
    with transaction.atomic():
        child = Child.objects.select_for_update().get(pk=access.child.pk)
        version_check(child, version, label="child's record")
        if access.via_break_glass and "lead_agency" in values and values["lead_agency"] != child.lead_agency:
            # The lead agency joins the circle: not a change to make by breaking glass (item 7).
            raise ValidationError({"lead_agency": "You opened this record by breaking glass, so you cannot change "
                                                  "its lead agency: ask the lead agency"})
        for name, value in values.items():
            if name in CHILD_FIELDS and getattr(child, name) != value:
                setattr(child, name, value)
                changed.append(name)
        if changed:
            version_bump(child)
            child.save()
        if {"first_name", "last_name"} & set(changed):
            primary = child.names.filter(kind=ChildName.Kind.PRIMARY).first()
            if primary is None:
                _name_create(
                    child=child,
                    kind=ChildName.Kind.PRIMARY,
                    first_name=child.first_name,
                    last_name=child.last_name,
                )
            else:
                primary.first_name, primary.last_name = child.first_name, child.last_name
                primary.first_key, primary.last_key = (
                    phonetic_key(child.first_name),
                    phonetic_key(child.last_name),
                )
                primary.save()
        if data.address and data.address.line.strip():
            starts = data.address.from_date or timezone.localdate()
            child.addresses.filter(to_date__isnull=True).update(to_date=starts)
            Address.objects.create(
                child=child,
                line=data.address.line.strip(),
                postcode=data.address.postcode.strip().upper(),
                from_date=starts,
            )
            changed.append("address")
        for first, last in data.aliases:
            _name_create(child=child, kind=ChildName.Kind.ALIAS, first_name=first, last_name=last)
            changed.append("alias")
        if {"first_name", "last_name", "date_of_birth", "alias"} & set(changed):
            name_index_refresh(child=child)
        if child.lead_agency_id:
            involvement_ensure(
                child=child, agency=child.lead_agency, reason=Involvement.Reason.LEAD, actor=actor
            )
        audit_record(
            verb=Verb.CHILD_UPDATED,
            actor=actor,
            target=child,
            child_id=child.pk,
            payload={"fields": sorted(set(changed))},
        )
    return child


def child_add_alias(*, access: ChildAccess, first_name: str, last_name: str) -> ChildName:
    """Another name the child is known by; search finds the child by it."""
    access.require_change()
    child, actor = access.child, access.actor
    if not (first_name.strip() or last_name.strip()):
        raise ValueError("An alias needs a first name or a last name")
    with transaction.atomic():
        alias = _name_create(
            child=child, kind=ChildName.Kind.ALIAS, first_name=first_name, last_name=last_name
        )
        name_index_refresh(child=child)
        audit_record(
            verb=Verb.CHILD_UPDATED,
            actor=actor,
            target=child,
            child_id=child.pk,
            payload={"alias_added": alias.pk},
        )
    return alias


def children_merge(*, keep: ChildAccess, merge: ChildAccess, reason: str = "") -> ChildMerge:
    """Merge two records of one child (named lead only, who must see both records: one access each,
    for the same user).

    Names (the merged record's own name becomes an alias), addresses, involvements, observations,
    chronology entries and the merged chronology move to the kept record; the merged record stays,
    pointing to the kept one, with the list of what moved. Both histories are kept. Refused while the
    merged record holds records other apps keep (``merge_blockers``), which a merge would strand.
    """
    if keep.user is None or merge.user is None or keep.user.pk != merge.user.pk:
        raise ValueError("Both records' access must be the same user's")
    require_may_merge(keep, merge)
    if keep.child.pk == merge.child.pk:
        raise ValueError("A record cannot be merged with itself")
    keep_access, actor = keep, keep.actor
    merge_access = merge
    with transaction.atomic():
        kept = Child.objects.select_for_update().get(pk=keep_access.child.pk)
        merged = Child.objects.select_for_update().get(pk=merge_access.child.pk)
        if kept.merged_into_id is not None or merged.merged_into_id is not None:
            raise PermissionDenied("You cannot merge these records")
        blockers = merge_blockers(merged)
        if blockers:
            raise ValidationError(
                f"Record {merged.pk} cannot be merged away yet: it holds {', '.join(blockers)}, which a merge "
                f"does not move. If record {kept.pk} holds none of these, keep record {merged.pk} instead and "
                f"merge record {kept.pk} into it.",
                code="merge_blocked",
            )
        keep_access = keep_access.for_child(kept)
        moved: dict[str, list[int]] = {}

        def move(key: str, queryset: models.QuerySet) -> None:
            ids = list(queryset.values_list("pk", flat=True))
            if ids:
                queryset.model.objects.filter(pk__in=ids).update(child=kept)
                moved[key] = ids

        merged.names.filter(kind=ChildName.Kind.PRIMARY).update(kind=ChildName.Kind.ALIAS)
        move("names", merged.names.all())
        move("addresses", merged.addresses.all())
        kept_agencies = set(kept.involvements.values_list("agency_id", flat=True))
        # An agency involved with both stays on the merged record too: its involvement there is history.
        move("involvements", merged.involvements.exclude(agency_id__in=kept_agencies))
        move("observations", merged.observations.all())
        move("chronology_entries", merged.chronology_entries.all())
        move("chronology", merged.chronology.all())
        # Detail links of what moved now live under the kept record's address.
        ChronologyItem.objects.filter(pk__in=moved.get("chronology", [])).update(
            url=Replace(
                "url",
                Value(merged.get_absolute_url()),
                Value(kept.get_absolute_url()),
            )
        )
        for name in (
            "date_of_birth",
            "nhs_number",
            "unique_pupil_number",
            "police_reference",
            "ethnicity",
            "languages",
            "disabilities",
            "local_authority",
            "placement",
            "school",
        ):
            if not getattr(kept, name) and getattr(merged, name):
                setattr(kept, name, getattr(merged, name))
        kept.save()
        merged.merged_into = kept
        merged.save(update_fields=["merged_into", "updated_at"])
        name_index_refresh(child=kept)
        name_index_refresh(child=merged)  # a merged record has no index rows: it is never offered
        record = ChildMerge.objects.create(
            kept=kept, merged=merged, merged_by=actor, reason=reason.strip(), moved=moved
        )
        record_on_file(
            keep_access,
            kind=ChronologyItem.Kind.RECORD,
            summary=summary("children.merged", name=merged.full_name),
            verb=Verb.CHILDREN_MERGED,
            source=record,
            payload={"kept": kept.pk, "merged": merged.pk, "moved": {k: len(v) for k, v in moved.items()}},
        )
        audit_record(
            verb=Verb.CHILDREN_MERGED,
            actor=actor,
            target=record,
            child_id=merged.pk,
            payload={"kept": kept.pk, "merged": merged.pk},
        )
    return record


@dataclass(frozen=True)
class WhatHappened:
    """When and how the recorder knows: shared by observations and chronology entries."""

    occurred_at: datetime
    source: str
    occurred_time_known: bool = True
    source_detail: str = ""


def _check_happened(happened: WhatHappened) -> None:
    if happened.source not in Source.values:
        raise ValueError(f"unknown source {happened.source!r}")
    if happened.occurred_at > timezone.now():
        raise ValueError("What happened cannot be in the future")


def observation_record(
    *,
    access: ChildAccess,
    indicators: Sequence[str],
    happened: WhatHappened,
    details: str,
    people: str = "",
    places: str = "",
    vehicles: str = "",
    language_flags_kept: Mapping[str, Sequence[str]] | None = None,
) -> Observation:
    """Record signs and indicators (§5, §6) seen in the child; the actor's agency becomes involved."""
    from ..indicators import INDICATOR_CODES

    access.require_change()
    child, actor = access.child, access.actor
    _check_happened(happened)
    codes = [code for code in INDICATOR_CODES if code in set(indicators)]
    unknown = set(indicators) - set(codes)
    if not codes or unknown:
        raise ValueError(f"Choose at least one sign or indicator from the list (unknown: {sorted(unknown)})")
    kept = {k: list(v) for k, v in (language_flags_kept or {}).items() if v}
    with transaction.atomic():
        observation = Observation.objects.create(
            child=child,
            indicators=codes,
            occurred_at=happened.occurred_at,
            occurred_time_known=happened.occurred_time_known,
            recorded_by=actor,
            agency=actor.agency,
            source=happened.source,
            source_detail=happened.source_detail.strip(),
            details=details.strip(),
            people=people.strip(),
            places=places.strip(),
            vehicles=vehicles.strip(),
            language_flags_kept=kept,
        )
        record_on_file(
            access,
            kind=ChronologyItem.Kind.OBSERVATION,
            summary=summary(
                "children.observation",
                how=observation_how(happened.source, happened.source_detail),
                details=observation.details,
            ),
            tags=codes,
            verb=Verb.OBSERVATION_RECORDED,
            source=observation,
            occurred_at=observation.occurred_at,
            occurred_time_known=observation.occurred_time_known,
            payload={"codes": codes, "source": happened.source},
            language_kept=kept,
        )
    return observation


def chronology_entry_record(
    *,
    access: ChildAccess,
    happened: WhatHappened,
    text: str,
    language_flags_kept: Mapping[str, Sequence[str]] | None = None,
) -> ChronologyEntry:
    """A free-text note on the child's chronology; the actor's agency becomes involved."""
    access.require_change()
    child, actor = access.child, access.actor
    _check_happened(happened)
    if not text.strip():
        raise ValueError("A chronology entry needs some text")
    kept = {k: list(v) for k, v in (language_flags_kept or {}).items() if v}
    with transaction.atomic():
        entry = ChronologyEntry.objects.create(
            child=child,
            occurred_at=happened.occurred_at,
            occurred_time_known=happened.occurred_time_known,
            recorded_by=actor,
            agency=actor.agency,
            source=happened.source,
            source_detail=happened.source_detail.strip(),
            text=text.strip(),
            language_flags_kept=kept,
        )
        record_on_file(
            access,
            kind=ChronologyItem.Kind.NOTE,
            summary=summary("children.note", text=entry.text),
            verb=Verb.CHRONOLOGY_ENTRY_RECORDED,
            source=entry,
            occurred_at=entry.occurred_at,
            occurred_time_known=entry.occurred_time_known,
            payload={"source": happened.source},
            language_kept=kept,
        )
    return entry
