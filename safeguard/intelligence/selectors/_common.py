"""What the intelligence selectors share: limits, periods, and how a child is shown."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet

from safeguard.access.intelligence import (
    visible_child_ids,
)
from safeguard.children.models import Child, Involvement

MAX_LIMIT = 200


def _limit(limit: int) -> int:
    return max(1, min(int(limit), MAX_LIMIT))


def _day(moment: date | datetime | None) -> date | None:
    if moment is None:
        return None
    return moment.date() if isinstance(moment, datetime) else moment


# -- how a child is shown ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChildRef:
    """A child as intelligence shows them: by name to someone who may see them, otherwise as "a
    child known to <agency>"."""

    child_id: int
    label: str
    visible: bool


def child_refs(user, child_ids: Iterable[int], *, children: QuerySet[Child] | None = None) -> dict[int, ChildRef]:
    """ChildRef for each id, in two queries (which are visible; the records and their lead agency)."""
    ids = set(child_ids)
    if not ids:
        return {}
    visible = visible_child_ids(user, ids, children=children)
    records = Child.objects.select_related("lead_agency").in_bulk(ids)
    missing_agency = [pk for pk, c in records.items() if c.lead_agency_id is None]
    fallback: dict[int, str] = {}
    if missing_agency:
        for child_id, name in (
            Involvement.objects.filter(child_id__in=missing_agency).order_by("since")
            .values_list("child_id", "agency__name")
        ):
            fallback.setdefault(child_id, name)
    refs = {}
    for pk in ids:
        record = records.get(pk)
        if record is None:
            continue
        if pk in visible:
            refs[pk] = ChildRef(pk, record.full_name, True)
        else:
            agency = record.lead_agency.name if record.lead_agency else fallback.get(pk, "another agency")
            refs[pk] = ChildRef(pk, f"a child known to {agency}", False)
    return refs


