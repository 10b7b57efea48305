"""Measures the intelligence app holds (§15): disruption actions by agency and hot spots for the
board report; and the local profile (hot spots, vehicles and persons of concern ranked by the
different children linked to each).

Counts come from a GROUP BY here (disruption by agency) and from the intelligence app's own
selectors (``hot_spots``, ``entities_by_linked_children``, ``disruption_actions_in_period``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q

from safeguard.intelligence import selectors as intelligence
from safeguard.intelligence.models import Disruption, DisruptionAction, EntityKind
from safeguard.meetings.models import PanelCase
from safeguard.rules.board_report import CountTable

from .board import Period, choices, count_table

HOT_SPOT_LIMIT = 50
PROFILE_LIMIT = 50


def disruption_table(period: Period, agencies: dict[int, str]) -> CountTable:
    """Disruption actions in the period by the agency that took them, and overall (the
    intelligence app's own count)."""
    summary = intelligence.disruption_actions_in_period(since=period.first, until=period.last)
    rows = (Disruption.objects.filter(occurred_on__gte=period.first, occurred_on__lte=period.last)
            .values(ag=F("agency_id"), cat=F("action")).annotate(n=Count("id")).order_by())
    return count_table(
        "disruption", "Disruption actions", "15", columns=choices(DisruptionAction.choices), rows=rows,
        overall_rows=[{"cat": action, "n": n} for action, n in summary.by_action.items()], agencies=agencies,
    )


PANEL_COLUMNS = [("opened", "Opened at the panel"), ("closed", "Closed"), ("open_at_end", "Open at the end of the period")]


def panel_table(period: Period, agencies: dict[int, str]) -> CountTable:
    """Children's cases at the Multi-Agency Risk Panel (§13) by the agency that referred them: opened
    in the period, closed in it, and open at its end. Three GROUP BYs; a case opened and closed in
    the period counts in both, so the columns do not add up to a total."""
    cases = PanelCase.objects.order_by()
    opened = cases.filter(opened_at__gte=period.since, opened_at__lt=period.until)
    closed = cases.filter(closed_at__gte=period.since, closed_at__lt=period.until)
    open_at_end = cases.filter(Q(closed_at__isnull=True) | Q(closed_at__gte=period.until), opened_at__lt=period.until)
    rows = [
        {"ag": agency_id, "cat": category, "n": n}
        for category, found in (("opened", opened), ("closed", closed), ("open_at_end", open_at_end))
        for agency_id, n in found.values_list("referral__referring_agency_id").annotate(n=Count("id")).values_list(
            "referral__referring_agency_id", "n")
    ]
    return count_table(
        "panel", "Cases at the Multi-Agency Risk Panel", "13", columns=PANEL_COLUMNS, rows=rows,
        agencies=agencies, columns_partition=False,
        note="By the agency that referred the child; a case opened and closed in the period counts in both.",
    )


def _spot_label(spot) -> str:
    return spot.label if spot.place is not None else f"{spot.area} (area)"


def hot_spot_table(period: Period, *, min_children: int) -> CountTable:
    # The board report leaves the product for every agency (page, CSV and PDF give the same figures), so
    # a link under handling code C is not counted: its conditions name who may have it (issue 12).
    spots = intelligence.hot_spots(since=period.first, until=period.last, min_children=min_children,
                                   limit=HOT_SPOT_LIMIT, exported=True)
    return CountTable(
        key="hot_spots", title=f"Hot spots: places and areas linked to {min_children} or more children",
        section="15", columns=("Different children linked",),
        rows=tuple((_spot_label(s), (s.children,)) for s in spots), overall=(),
        columns_partition=False, rows_add_up=False, row_heading="Place or area", overall_label="",
        note="From intelligence links in the period, most children first; links whose handling code (C) "
             "limits who may have them are not counted.",
    )


@dataclass(frozen=True)
class Ranked:
    label: str
    children: int
    entity_id: int | None
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class LocalProfile:
    period: Period
    hot_spots: list[Ranked]
    vehicles: list[Ranked]
    persons: list[Ranked]


def local_profile(*, period: Period, min_children: int) -> LocalProfile:
    """Hot spots (places and areas with at least ``min_children`` children), and vehicles and persons
    of concern, each ranked by the different children linked in the period. Three bounded reads."""
    spots = intelligence.hot_spots(since=period.first, until=period.last, min_children=min_children,
                                   limit=PROFILE_LIMIT)

    def ranked(kind: str) -> list[Ranked]:
        return [Ranked(row.entity.label, row.children, row.entity.pk)
                for row in intelligence.entities_by_linked_children(kind=kind, since=period.first,
                                                                    until=period.last, limit=PROFILE_LIMIT)]

    return LocalProfile(
        period=period,
        hot_spots=[
            Ranked(_spot_label(s), s.children, s.place.pk if s.place is not None else None,
                   *((float(s.place.latitude), float(s.place.longitude))
                     if s.place is not None and s.place.latitude is not None and s.place.longitude is not None
                     else (None, None)))
            for s in spots
        ],
        vehicles=ranked(EntityKind.VEHICLE), persons=ranked(EntityKind.PERSON),
    )
