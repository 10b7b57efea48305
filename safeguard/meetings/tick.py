"""The meetings app's scheduled checks, run by ``safeguard tick`` (see ``safeguard.platform.tick``).
Each reads only what is due (indexed columns) and is idempotent: an alert is raised once."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, F, OuterRef

from safeguard.accounts.models import Role
from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.notifications.models import Notification
from safeguard.notifications.services import notify
from safeguard.platform.tick import tick_check
from safeguard.referrals.models import Destination, Referral, Status

from .models import Action, Kind, Meeting, MeetingDue, PanelCase
from .services._common import local, named_leads, team
from .timescales import strategy_due_at

DUE_SOON_HOURS = 24
# An accepted referral is looked at for a strategy discussion for this long after it was sent; the
# deadline is days, so a longer look back would only re-read settled referrals.
STRATEGY_LOOKBACK_DAYS = 30
BATCH = 500


def _alert(*, recipients, kind: str, title: str, url: str, child, key: str, target, level=Notification.Level.ALERT) -> int:
    created = notify(recipients=recipients, kind=kind, title=title, url=url, child=child, level=level, dedupe_key=key)
    if created:
        audit_record(verb=Verb.ALERT_RAISED, target=target, child_id=getattr(child, "pk", None),
                     payload={"kind": kind, "recipients": len(created)})
    return len(created)


@tick_check
def strategy_discussions_due(*, now: datetime) -> int:
    """A referral to children's social care that was accepted needs a strategy discussion within
    the timescale (§9.5, §10): record when each is due (once), then tell the receiving team when it
    is due within a day and again when it is overdue, until one is arranged."""
    arranged = Meeting.objects.filter(referral=OuterRef("pk"), kind=Kind.STRATEGY).exclude(
        status=Meeting.Status.CANCELLED
    )
    known = MeetingDue.objects.filter(kind=Kind.STRATEGY, referral=OuterRef("pk"))
    new = (
        Referral.objects.filter(
            destination=Destination.CSC, status=Status.ACCEPTED, sent_at__gte=now - timedelta(days=STRATEGY_LOOKBACK_DAYS)
        )
        .exclude(Exists(arranged))
        .exclude(Exists(known))
        .filter(destination_agency__isnull=False)[:BATCH]
    )
    for referral in new:
        if referral.destination_agency_id is None:
            continue
        MeetingDue.objects.get_or_create(
            kind=Kind.STRATEGY, referral=referral,
            defaults={"child_id": referral.child_id, "agency_id": referral.destination_agency_id,
                      "due_at": strategy_due_at(referral.sent_at, referral.priority)},
        )
    return _dues_alert(now=now, kind=Kind.STRATEGY)


@tick_check
def conferences_due(*, now: datetime) -> int:
    """An initial child protection conference within the timescale of the strategy discussion
    that called for it."""
    return _dues_alert(now=now, kind=Kind.ICPC)


def _due_url(due: MeetingDue) -> str:
    return due.referral.get_absolute_url() if due.referral is not None else due.child.get_absolute_url()


def _dues_alert(*, now: datetime, kind: str) -> int:
    raised = 0
    open_dues = MeetingDue.objects.filter(kind=kind, met_by__isnull=True).select_related("child", "referral")
    label = Kind(kind).label.lower()
    for due in open_dues.filter(due_at__lt=now, overdue_alerted_at__isnull=True)[:BATCH]:
        with transaction.atomic():
            raised += _alert(
                recipients=team(due.agency_id, Role.CSC_MASH) + named_leads([due.agency_id]),
                kind="meeting_overdue", title=f"Overdue: a {label} for {{child}} was due by {local(due.due_at)}: arrange it",
                url=_due_url(due),
                child=due.child, key=f"meetings:due:{due.pk}:overdue", target=due,
            )
            MeetingDue.objects.filter(pk=due.pk).update(overdue_alerted_at=now)
    soon = open_dues.filter(
        due_at__gte=now, due_at__lte=now + timedelta(hours=DUE_SOON_HOURS), due_soon_alerted_at__isnull=True
    )
    for due in soon[:BATCH]:
        with transaction.atomic():
            raised += _alert(
                recipients=team(due.agency_id, Role.CSC_MASH),
                kind="meeting_due", title=f"A {label} for {{child}} is due by {local(due.due_at)}",
                url=_due_url(due),
                child=due.child, key=f"meetings:due:{due.pk}:soon", target=due, level=Notification.Level.INFO,
            )
            MeetingDue.objects.filter(pk=due.pk).update(due_soon_alerted_at=now)
    return raised


@tick_check
def panel_reviews_due(*, now: datetime) -> int:
    """Each case open at the panel is reviewed monthly (§13): tell the chairs when a review falls
    due within a day or is overdue, once for each due time."""
    raised = 0
    cases = (
        PanelCase.objects.filter(status=PanelCase.Status.OPEN, review_due_at__lte=now + timedelta(hours=DUE_SOON_HOURS))
        .exclude(review_alerted_for=F("review_due_at"))
        .select_related("child")[:BATCH]
    )
    chairs = None
    for case in cases:
        if chairs is None:
            from safeguard.accounts.models import User

            chairs = list(User.objects.filter(is_active=True, role_grants__role=Role.MARP_CHAIR).distinct())
        overdue = case.review_due_at < now
        with transaction.atomic():
            raised += _alert(
                recipients=chairs, kind="panel_review_overdue" if overdue else "panel_review_due",
                title=(f"Overdue: the panel review of {{child}} was due by {local(case.review_due_at)}" if overdue
                       else f"The panel review of {{child}} is due by {local(case.review_due_at)}"),
                url=case.get_absolute_url(), child=case.child,
                key=f"meetings:panel:{case.pk}:{case.review_due_at.isoformat()}", target=case,
            )
            PanelCase.objects.filter(pk=case.pk).update(review_alerted_for=case.review_due_at)
    return raised


@tick_check
def actions_overdue(*, now: datetime) -> int:
    """An open action past its due date: an alert for its owner and the named leads of the owner's
    agency, once."""
    raised = 0
    today = now.date()
    overdue = (
        Action.objects.filter(status=Action.Status.OPEN, due_on__lt=today, overdue_alerted_at__isnull=True)
        .select_related("owner", "child")[:BATCH]
    )
    for action in overdue:
        with transaction.atomic():
            raised += _alert(
                recipients=[action.owner] + named_leads([action.owner_agency_id]), kind="action_overdue",
                title=f"Overdue: an action for {action.owner} was due on {action.due_on.day} {action.due_on:%B %Y}",
                url=action.get_absolute_url(), child=action.child, key=f"meetings:action:{action.pk}:overdue",
                target=action,
            )
            Action.objects.filter(pk=action.pk).update(overdue_alerted_at=now)
    return raised


@tick_check
def minutes_overdue(*, now: datetime) -> int:
    """A meeting that ended more than a day ago with no minutes: remind whoever convened it, once."""
    raised = 0
    late = (
        Meeting.objects.filter(
            status=Meeting.Status.SCHEDULED, ends_at__lt=now - timedelta(hours=DUE_SOON_HOURS),
            minutes_alerted_at__isnull=True,
        )
        .select_related("convened_by")[:BATCH]
    )
    for meeting in late:
        with transaction.atomic():
            raised += _alert(
                recipients=[meeting.convened_by], kind="meeting_minutes_due",
                title=f"Record the minutes of the {meeting.title.lower()} held on {local(meeting.starts_at)}",
                url=meeting.get_absolute_url(), child=None, key=f"meetings:minutes:{meeting.pk}", target=meeting,
                level=Notification.Level.INFO,
            )
            Meeting.objects.filter(pk=meeting.pk).update(minutes_alerted_at=now)
    return raised

