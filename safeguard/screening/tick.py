"""The screening app's scheduled checks, run by ``safeguard tick`` (see ``safeguard.platform.tick``)."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from safeguard.notifications.models import Notification
from safeguard.notifications.services import notify
from safeguard.platform.tick import tick_check
from safeguard.screening.models import Screening
from safeguard.screening.services import named_leads


@tick_check
def screening_reviews_due_alert(*, now: datetime) -> int:
    """Alert the practitioner (and their agency's named leads) once when a current screening's review
    date arrives (§16). Idempotent: the dedupe key is the screening, and an alerted screening is marked
    so that a run with nothing newly due reads nothing (a partial index of the unalerted).
    Returns how many alerts it raised."""
    today = timezone.localdate(now)
    due = Screening.objects.filter(
        superseded_by__isnull=True, review_due__lte=today, review_alerted_at__isnull=True
    ).select_related("child", "submitted_by", "agency")
    raised = 0
    for screening in due:
        recipients = [screening.submitted_by, *named_leads(screening.agency)]
        raised += len(notify(
            recipients=recipients, kind="screening_review_due", level=Notification.Level.ALERT,
            title="The CSE screening of {child} is due for review: review it",
            url=screening.get_absolute_url(), child=screening.child,
            dedupe_key=f"screening:{screening.pk}:review_due",
        ))
        # Marked once raised (the dedupe key still guards a run that stops half-way).
        Screening.objects.filter(pk=screening.pk).update(review_alerted_at=now)
    return raised
