"""The agendas built from the data: the Multi-Agency Risk Panel's in VOLT order (§13) and the Risk
Management Group's from the missing review list (§14). Reads only; the caller has checked who asks."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from safeguard.children.models import Child, ChronologyItem
from safeguard.children.selectors import newest_chronology_items
from safeguard.intelligence import selectors as intelligence_selectors
from safeguard.missing import selectors as missing_selectors
from safeguard.screening import selectors as screening_selectors

from ..models import Kind, Meeting, PanelCase
from .meetings import LIST_LIMIT


def previous_panel(meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(kind=Kind.PANEL, status=Meeting.Status.HELD, starts_at__lt=meeting.starts_at)
        .order_by("-starts_at")
        .first()
    )


def _risks(child_ids: list[int]) -> dict[int, tuple[str, int]]:
    """Each child's risk as the agenda ranks it: the latest Form B's risk level, else the band of the
    current screening (Form A), else none. Two queries for all the children."""
    form_bs = screening_selectors.latest_assessed_form_bs(child_ids)
    bands = screening_selectors.current_screening_bands([pk for pk in child_ids if pk not in form_bs])
    risks: dict[int, tuple[str, int]] = {}
    for child_id in child_ids:
        if (form_b := form_bs.get(child_id)) is not None:
            risks[child_id] = (f"Form B: {form_b.get_risk_level_display().lower()} risk",
                               {"high": 0, "medium": 1}.get(form_b.risk_level, 2))
        else:
            risks[child_id] = ((f"Form A: {bands[child_id]}" if child_id in bands else "No screening"), 3)
    return risks


def _evidence(item: ChronologyItem) -> dict:
    return {
        "when": item.occurred_at.isoformat(),
        "kind": item.get_kind_display(),
        "agency": str(item.agency or ""),
        "summary": item.summary,
        "url": item.url,
    }


def panel_victims(*, since: datetime, limit: int = LIST_LIMIT) -> list[dict]:
    """V: children open at the panel with something new on their chronology since the last panel,
    highest risk first, each with what changed as the evidence."""
    cases = list(PanelCase.objects.filter(status=PanelCase.Status.OPEN).select_related("child")[:limit])
    ids = [case.child_id for case in cases]
    changed = newest_chronology_items(ids, since=since, each=6)
    risks = _risks([pk for pk in ids if pk in changed])
    items: list[dict] = []
    for case in cases:
        changes = changed.get(case.child_id)
        if not changes:
            continue
        risk, rank = risks[case.child_id]
        items.append({
            "child_id": case.child_id, "name": case.child.full_name, "risk": risk, "rank": rank,
            "evidence": [_evidence(c) for c in changes[:5]], "more": len(changes) > 5,
        })
    return sorted(items, key=lambda i: (i["rank"], i["name"]))


def co_missing_trends(child_ids: list[int], *, since: datetime) -> list[dict]:
    """T: children who went missing together since ``since`` (the missing app's links)."""
    trends = []
    for link in missing_selectors.co_missing_among(child_ids, since=since):
        shared = ", ".join(f"{s['kind']} {s['value']}" for s in link.shared) or "overlapping times"
        trends.append({
            "kind": "co_missing",
            "title": f"{link.episode_a.child.full_name} and {link.episode_b.child.full_name} missing at the same time",
            "children": [link.episode_a.child_id, link.episode_b.child_id],
            "evidence": [f"Shared: {shared}", f"Found {link.found_at.date().isoformat()}"],
        })
    return trends


def panel_offenders(user, child_ids: list[int]) -> list[dict]:
    """O: persons of concern linked to the panel's children, each with the children they are linked
    to and their latest disruption action (the intelligence app's selector, filtered for ``user``)."""
    items = []
    for row in intelligence_selectors.persons_of_concern_for_children(user=user, child_ids=child_ids, limit=LIST_LIMIT):
        disruption = row.latest_disruption
        evidence = [f"Linked to {', '.join(ref.label for ref in row.children) or 'children at the panel'}"]
        if row.conditional:
            evidence.append("Some of this is under a handling condition: check before sharing")
        items.append({
            "kind": "person", "title": row.person.label, "url": row.person.get_absolute_url(),
            "status": f"Latest disruption: {disruption.get_action_display()}, {disruption.occurred_on:%d %B %Y}"
            if disruption is not None else "No disruption action recorded",
            "evidence": evidence,
        })
    return items


def panel_locations(*, since: datetime, until: datetime) -> list[dict]:
    """L: hot spots — places and areas linked to several children in the period (counts only). The
    period is at least SAFEGUARD_PANEL_HOT_SPOT_DAYS: a place matters over more than one month.
    The agenda is built once and read (and downloaded as a PDF) by every invitee, whatever their
    agency, so a link under handling code C is not counted, as in the board's report: C goes only to
    the agencies its conditions name (intelligence.md), and one agenda cannot hold a count per agency."""
    since = min(since, until - timedelta(days=settings.SAFEGUARD_PANEL_HOT_SPOT_DAYS))
    return [
        {
            "kind": "place" if spot.place is not None else "area", "title": spot.label,
            "url": spot.place.get_absolute_url() if spot.place is not None else "",
            "evidence": [f"{spot.children} children linked since {since:%d %B %Y}"]
            + ([f"Area: {spot.area}"] if spot.place is not None and spot.area else []),
        }
        for spot in intelligence_selectors.hot_spots(since=since, until=until, limit=LIST_LIMIT, exported=True)
    ]


def alert_trends(user, *, since: datetime) -> list[dict]:
    """T: intelligence alerts raised since the last panel that the user may see (titles name no child)."""
    return [
        {"kind": "alert", "title": alert.title, "url": alert.get_absolute_url(),
         "evidence": [f"{alert.get_pattern_display()}, raised {timezone.localtime(alert.raised_at):%d %B %Y}"]}
        for alert in intelligence_selectors.alerts_since(user=user, since=since, limit=LIST_LIMIT)
    ]


def panel_agenda(meeting: Meeting, *, now: datetime, user) -> dict:
    """The agenda in VOLT order — Victims, Offenders, Locations, Trends — each item with its
    evidence (§13), from changes since the last panel (or the last 30 days before the first)."""
    before = previous_panel(meeting)
    since = before.starts_at if before is not None else meeting.starts_at - timedelta(days=30)
    open_ids: list[int] = [
        int(pk) for pk in PanelCase.objects.filter(status=PanelCase.Status.OPEN).values_list("child_id", flat=True)[:LIST_LIMIT]
    ]
    return {
        "since": since.isoformat(),
        "built_at": now.isoformat(),
        "victims": panel_victims(since=since),
        "offenders": panel_offenders(user, open_ids),
        "locations": panel_locations(since=since, until=now),
        "trends": alert_trends(user, since=since) + co_missing_trends(open_ids, since=since),
    }


# -- the Risk Management Group (§14) --------------------------------------------------------------


def rmg_agenda(user, *, now: datetime, period_days: int, flag_at: int, children: QuerySet[Child]) -> dict:
    """Children from the missing review list that the group should discuss: repeated episodes (at
    or over the flag), an overdue return interview, or missing now; and who went missing together."""
    rows = missing_selectors.review_list(user, now=now, period_days=period_days, flag_at=flag_at, children=children)
    items = []
    for row in rows:
        reasons = []
        if row.flagged:
            reasons.append(f"{row.episodes} episodes in {period_days} days")
        if row.overdue_interviews:
            reasons.append(f"{row.overdue_interviews} overdue return interview{'s' if row.overdue_interviews > 1 else ''}")
        if row.missing_now:
            reasons.append("missing now")
        if reasons:
            items.append({"child_id": row.child.pk, "name": row.child.full_name, "reasons": reasons})
    ids = [row.child.pk for row in rows if row.flagged or row.overdue_interviews or row.missing_now]
    return {
        "built_at": now.isoformat(),
        "period_days": period_days,
        "children": items[:LIST_LIMIT],
        "trends": co_missing_trends(ids, since=now - timedelta(days=period_days)),
    }
