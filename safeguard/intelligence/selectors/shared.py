"""The selectors other apps call (meetings, reports): keep these names and keyword-only arguments."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, QuerySet

from safeguard.access.intelligence import (
    alerts_visible_to,
    may_see_intelligence,
    visible_child_ids,
)

from ..models import (
    Alert,
    Disruption,
    Entity,
    EntityKind,
    HandlingCode,
    Link,
)
from ._common import MAX_LIMIT, ChildRef, _day, _limit, child_refs

# -- the selectors other apps call ------------------------------------------------------------------


@dataclass
class PersonOfConcern:
    person: Entity
    children: list[ChildRef]
    latest_disruption: Disruption | None
    conditional: bool = False  # some link to this person carries handling code C


def persons_of_concern_for_children(*, user, child_ids: Iterable[int], limit: int = 50) -> list[PersonOfConcern]:
    """Persons of concern linked to these children, each with every child they are linked to (named
    only where the user may see the child) and their latest disruption action. Intelligence roles
    see persons around any of the children; others only around children they may see."""
    ids = set(child_ids)
    if not may_see_intelligence(user):
        ids = visible_child_ids(user, ids)
    if not ids:
        return []
    limit = _limit(limit)
    person_ids = list(
        Link.objects.filter(child_id__in=ids, entity__kind=EntityKind.PERSON)
        .values_list("entity", flat=True).order_by("entity").distinct()[:limit]
    )
    persons = Entity.objects.in_bulk(person_ids)
    pairs = list(
        Link.objects.filter(entity_id__in=person_ids, child__isnull=False)
        .values_list("entity", "child").order_by("entity", "child").distinct()[: limit * 20]
    )
    conditional = set(
        Link.objects.filter(entity_id__in=person_ids, handling="C").values_list("entity", flat=True).distinct()
    )
    refs = child_refs(user, {child for _e, child in pairs})
    children_of: dict[int, list[ChildRef]] = defaultdict(list)
    for entity_id, child_id in pairs:
        if child_id in refs:
            children_of[entity_id].append(refs[child_id])
    latest: dict[int, Disruption] = {}
    for disruption in (
        Disruption.objects.filter(entity_id__in=person_ids).select_related("agency")
        .order_by("entity", "-occurred_on", "-id")
    ):
        latest.setdefault(disruption.entity_id, disruption)
    rows = [
        PersonOfConcern(persons[pk], children_of.get(pk, []), latest.get(pk), pk in conditional)
        for pk in person_ids if pk in persons
    ]
    rows.sort(key=lambda r: (-len(r.children), r.person.label))
    return rows


@dataclass(frozen=True)
class HotSpot:
    """A place (``place`` set) or an area (``place`` None) and the different children linked to it
    in the period."""

    place: Entity | None
    area: str
    children: int

    @property
    def label(self) -> str:
        return self.place.label if self.place is not None else self.area


def _period(queryset: QuerySet[Link], since, until) -> QuerySet[Link]:
    queryset = queryset.filter(occurred_on__gte=_day(since))
    if until is not None:
        queryset = queryset.filter(occurred_on__lte=_day(until))
    return queryset


def hot_spots(*, since: date | datetime, until: date | datetime | None = None, min_children: int = 3,
              limit: int = 50, exported: bool = False) -> list[HotSpot]:
    """Places, and areas, with at least ``min_children`` different children linked in the period,
    most children first. Counts only: no child is named. ``exported``: for a report that leaves the
    product for every agency (the board's CSV and PDF), counting no link under handling code C."""
    limit = _limit(limit)
    linked = _period(Link.objects.filter(child__isnull=False, entity__kind=EntityKind.PLACE), since, until)
    if exported:
        linked = linked.filter(handling=HandlingCode.PERMITTED)
    by_place = list(
        linked.values("entity").annotate(n=Count("child", distinct=True)).filter(n__gte=min_children)
        .order_by("-n", "entity").values_list("entity", "n")[:limit]
    )
    by_area = list(
        linked.exclude(entity__area="").values("entity__area").annotate(n=Count("child", distinct=True))
        .filter(n__gte=min_children).order_by("-n", "entity__area").values_list("entity__area", "n")[:limit]
    )
    places = Entity.objects.in_bulk([pk for pk, _n in by_place])
    rows = [HotSpot(places[pk], places[pk].area, n) for pk, n in by_place if pk in places]
    rows += [HotSpot(None, area, n) for area, n in by_area]
    rows.sort(key=lambda r: (-r.children, r.place is None, r.label))
    return rows[:limit]


@dataclass(frozen=True)
class EntityCount:
    entity: Entity
    children: int


def entities_by_linked_children(*, kind: str, since: date | datetime, until: date | datetime | None = None,
                                limit: int = 50, exported: bool = False) -> list[EntityCount]:
    """Vehicles, persons, phones (any ``kind``) ranked by the different children linked to each in
    the period (for the local problem profile). Counts only. ``exported``: as for ``hot_spots``."""
    if kind not in EntityKind.values:
        raise ValueError(f"unknown entity kind {kind!r}")
    linked = Link.objects.filter(child__isnull=False, entity__kind=kind)
    if exported:
        linked = linked.filter(handling=HandlingCode.PERMITTED)
    grouped = list(
        _period(linked, since, until)
        .values("entity").annotate(n=Count("child", distinct=True)).order_by("-n", "entity")
        .values_list("entity", "n")[: _limit(limit)]
    )
    found = Entity.objects.in_bulk([pk for pk, _n in grouped])
    return [EntityCount(found[pk], n) for pk, n in grouped if pk in found]


def alerts_since(*, user, since: datetime, limit: int = 50) -> list[Alert]:
    """Pattern alerts raised since ``since`` that the user may see, newest first. Titles name no child."""
    return list(
        alerts_visible_to(user).filter(raised_at__gte=since).select_related("entity", "network")
        .order_by("-raised_at", "-id")[: _limit(limit)]
    )


@dataclass
class DisruptionSummary:
    count: int
    by_action: dict[str, int]
    actions: list[Disruption] = field(default_factory=list)  # the newest, at most MAX_LIMIT


def disruption_actions_in_period(*, since: date | datetime, until: date | datetime) -> DisruptionSummary:
    """Disruption actions in the period (inclusive dates): how many, by action, and the newest."""
    period = Disruption.objects.filter(occurred_on__gte=_day(since), occurred_on__lte=_day(until))
    by_action = dict(period.values("action").annotate(n=Count("pk")).order_by("action").values_list("action", "n"))
    actions = list(period.select_related("entity", "agency").order_by("-occurred_on", "-id")[:MAX_LIMIT])
    return DisruptionSummary(count=sum(by_action.values()), by_action=by_action, actions=actions)


