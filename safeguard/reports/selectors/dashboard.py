"""The named lead's dashboard for their agency (§11.2): the agency's single point for monitoring
patterns. Every list is one bounded query (``LIST_LIMIT``) with its full count beside it; the
tables are GROUP BYs. The lead sees child-level data here because their role covers every record
their agency is involved with (workflow.md "Access to a child's record").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import CharField, Count, Exists, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from safeguard.access.models import BreakGlassAccess
from safeguard.access.policy import break_glass_for_named_lead
from safeguard.audit.models import AuditEvent, Verb
from safeguard.children.models import Involvement
from safeguard.intelligence import selectors as intelligence
from safeguard.meetings import selectors as meetings
from safeguard.meetings.models import Action
from safeguard.missing.models import Episode, ReturnInterview
from safeguard.referrals.models import Referral, Status
from safeguard.screening.models import Band, FormB, RiskLevel, SafetyAction, Screening

LIST_LIMIT = 20
REVIEW_WITHIN_DAYS = 14
TREND_MONTHS = 12
NO_SCREENING = "none_yet"
NO_FORM_B = "none"


@dataclass(frozen=True)
class Bounded:
    """The first ``LIST_LIMIT`` items of a list and how many there are in all."""

    items: list
    total: int

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.items))


def _bounded(queryset: QuerySet) -> Bounded:
    items = list(queryset[:LIST_LIMIT])
    total = len(items) if len(items) < LIST_LIMIT else queryset.order_by().count()
    return Bounded(items, total)


def involved_children(agency_id: int):
    return Involvement.objects.filter(agency_id=agency_id, child__merged_into__isnull=True)


def band_by_risk(agency_id: int) -> dict:
    """Children the agency is involved with: current screening band (rows) by latest Form B risk level
    (columns). One GROUP BY."""
    band = Subquery(Screening.objects.filter(child=OuterRef("child"), superseded_by__isnull=True)
                    .order_by("-submitted_at", "-id").values("band")[:1])
    risk = Subquery(FormB.objects.filter(child=OuterRef("child"), status=FormB.Status.COMPLETE)
                    .order_by("-completed_at", "-id").values("risk_level")[:1])
    rows = (involved_children(agency_id)
            .annotate(band=Coalesce(band, Value(NO_SCREENING), output_field=CharField()),
                      risk=Coalesce(risk, Value(NO_FORM_B), output_field=CharField()))
            .values("band", "risk").annotate(n=Count("child", distinct=True)).order_by())
    columns = [*((v, str(label)) for v, label in reversed(RiskLevel.choices)), (NO_FORM_B, "No Form B")]
    bands = [*((v, str(label)) for v, label in Band.choices), (NO_SCREENING, "Not screened")]
    grid = {b: {r: 0 for r, _ in columns} for b, _ in bands}
    for row in rows:
        if row["band"] in grid and row["risk"] in grid[row["band"]]:
            grid[row["band"]][row["risk"]] += row["n"]
    return {
        "columns": [label for _, label in columns],
        "rows": [(label, [grid[b][r] for r, _ in columns], sum(grid[b].values())) for b, label in bands],
        "total": sum(sum(g.values()) for g in grid.values()),
    }


def reviews_due(agency_id: int, *, today: date) -> Bounded:
    return _bounded(
        Screening.objects.filter(agency_id=agency_id, superseded_by__isnull=True, review_due__isnull=False,
                                 review_due__lte=today + timedelta(days=REVIEW_WITHIN_DAYS),
                                 child__merged_into__isnull=True)
        .select_related("child", "submitted_by").order_by("review_due", "id")
    )


def referrals_awaiting_outcome(agency_id: int) -> Bounded:
    return _bounded(
        Referral.objects.filter(referring_agency_id=agency_id,
                                status__in=[Status.SENT, Status.RECEIVED, Status.ACCEPTED])
        .select_related("child", "destination_agency").order_by("sent_at", "id")
    )


def overdue_interviews(agency_id: int, *, now: datetime) -> Bounded:
    involved = Involvement.objects.filter(child=OuterRef("child"), agency_id=agency_id)
    return _bounded(
        ReturnInterview.objects.filter(status=ReturnInterview.Status.PENDING, due_at__lt=now)
        .filter(Exists(involved)).select_related("child").order_by("due_at", "id")
    )


def overdue_actions(agency_id: int, *, today: date) -> Bounded:
    return _bounded(
        SafetyAction.objects.filter(owner_agency_id=agency_id, status=SafetyAction.Status.OPEN, due_on__lt=today)
        .select_related("form_b__child").order_by("due_on", "id")
    )


def overdue_meeting_actions(user, agency_id: int, *, today: date) -> Bounded:
    """Open actions from meetings and safety or care plans that a named person in the agency owns,
    past their date (workflow.md "Actions and plans"), limited to those the lead may open."""
    return _bounded(
        meetings.actions_visible_to(user)
        .filter(owner_agency_id=agency_id, status=Action.Status.OPEN, due_on__lt=today)
        .order_by("due_on", "id")
    )


def last_dashboard_view(user) -> datetime | None:
    """When this lead last opened their dashboard before now (the audit trail remembers)."""
    return (AuditEvent.objects.filter(actor=user, verb=Verb.DASHBOARD_VIEWED)
            .order_by("-id").values_list("created_at", flat=True).first())


@dataclass(frozen=True)
class BreakGlassRow:
    access: BreakGlassAccess
    new: bool


def break_glass_for_dashboard(user, *, since: datetime | None) -> tuple[list[BreakGlassRow], int]:
    """Recent break-glass openings of the agency's children; ``new`` for those since ``since``."""
    accesses = break_glass_for_named_lead(user)
    items = list(accesses[:LIST_LIMIT])
    rows = [BreakGlassRow(a, since is None or a.created_at > since) for a in items]
    new = sum(1 for r in rows if r.new)
    return rows, new


@dataclass(frozen=True)
class Trend:
    months: list[date]
    series: dict[str, list[int]] = field(default_factory=dict)


def _month_counts(queryset: QuerySet, column: str, months: list[date]) -> list[int]:
    rows = (queryset.annotate(month=TruncMonth(column)).values("month").annotate(n=Count("id")).order_by())
    counts = {}
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime):
            month = timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
        counts[month.replace(day=1)] = row["n"]
    return [counts.get(m, 0) for m in months]


def trends(agency_id: int, *, today: date) -> Trend:
    """Month by month for the last ``TREND_MONTHS`` months: screenings and referrals made by the
    agency, and missing episodes of children it is involved with. Three GROUP BYs."""
    months = []
    year, month = today.year, today.month
    for _ in range(TREND_MONTHS):
        months.append(date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    months = months[::-1]
    since = timezone.make_aware(datetime.combine(months[0], datetime.min.time()))
    involved = Involvement.objects.filter(child=OuterRef("child"), agency_id=agency_id)
    return Trend(months=months, series={
        "Screenings": _month_counts(Screening.objects.filter(agency_id=agency_id, submitted_at__gte=since),
                                    "submitted_at", months),
        "Referrals": _month_counts(Referral.objects.filter(referring_agency_id=agency_id, sent_at__gte=since),
                                   "sent_at", months),
        "Missing episodes": _month_counts(Episode.objects.filter(last_seen_at__gte=since).filter(Exists(involved)),
                                          "last_seen_at", months),
    })


def dashboard_counts(user, agency_id: int, *, today: date, now: datetime) -> dict[str, int]:
    """The dashboard's figures alone (for the API)."""
    return {
        "children": involved_children(agency_id).count(),
        "reviews_due": reviews_due(agency_id, today=today).total,
        "referrals_awaiting_outcome": referrals_awaiting_outcome(agency_id).total,
        "overdue_interviews": overdue_interviews(agency_id, now=now).total,
        "overdue_actions": overdue_actions(agency_id, today=today).total,
        "overdue_meeting_actions": overdue_meeting_actions(user, agency_id, today=today).total,
    }



PATTERN_ALERT_DAYS = 30


def pattern_alerts(user, *, now: datetime) -> list:
    """Pattern alerts from the intelligence app raised in the last 30 days that the lead may see."""
    return intelligence.alerts_since(user=user, since=now - timedelta(days=PATTERN_ALERT_DAYS), limit=LIST_LIMIT)
