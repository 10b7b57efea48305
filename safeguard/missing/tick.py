"""The missing app's scheduled checks, run by ``safeguard tick`` (see ``safeguard.platform.tick``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction

from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.notifications.models import Notification
from safeguard.notifications.services import notify
from safeguard.platform.tick import tick_check

from .models import ReturnInterview
from .services._common import DUE_SOON_HOURS, _local, _named_leads, _responsible_users


@tick_check
def interviews_due_alert(*, now: datetime) -> int:
    """Remind the people responsible of interviews due within a day, and alert them (and the
    reporting agency's named leads) when one is overdue. Idempotent: each is raised once."""
    raised = 0
    pending = ReturnInterview.objects.filter(status=ReturnInterview.Status.PENDING).select_related(
        "episode", "episode__agency", "child", "child__lead_professional"
    )
    for interview in pending.filter(due_at__lt=now, overdue_alerted_at__isnull=True):
        with transaction.atomic():
            recipients = _responsible_users(interview) + _named_leads([interview.episode.agency_id])
            if interview.interviewer_id:
                recipients.append(interview.interviewer)
            created = notify(
                recipients=recipients,
                kind="return_interview_overdue",
                title="Overdue: the return interview for {child} was due by "
                + _local(interview.due_at)
                + ": see that it takes place",
                url=interview.get_absolute_url(),
                child=interview.child,
                level=Notification.Level.ALERT,
                dedupe_key=f"missing:interview:{interview.pk}:overdue",
            )
            ReturnInterview.objects.filter(pk=interview.pk).update(overdue_alerted_at=now)
            if created:
                audit_record(
                    verb=Verb.ALERT_RAISED, target=interview, child_id=interview.child_id,
                    payload={"kind": "return_interview_overdue", "recipients": len(created)},
                )
            raised += len(created)
    soon = pending.filter(
        due_at__gte=now, due_at__lte=now + timedelta(hours=DUE_SOON_HOURS), due_soon_alerted_at__isnull=True
    )
    for interview in soon:
        with transaction.atomic():
            created = notify(
                recipients=_responsible_users(interview),
                kind="return_interview_due",
                title=f"The return interview for {{child}} is due by {_local(interview.due_at)}",
                url=interview.get_absolute_url(),
                child=interview.child,
                dedupe_key=f"missing:interview:{interview.pk}:due_soon",
            )
            ReturnInterview.objects.filter(pk=interview.pk).update(due_soon_alerted_at=now)
            raised += len(created)
    return raised
