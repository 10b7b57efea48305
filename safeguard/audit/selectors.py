from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from .models import AuditEvent, Verb

ACCESS_VERBS = [Verb.CHILD_VIEWED, Verb.BREAK_GLASS, Verb.EXPORTED]


def child_access_events(
    *, child_id: int, username: str = "", date_from: date | None = None, date_to: date | None = None
) -> QuerySet[AuditEvent]:
    """Who opened this child's record (views, break glass, exports), newest first."""
    events = AuditEvent.objects.filter(child_id=child_id, verb__in=ACCESS_VERBS).select_related("actor", "agency")
    if username:
        events = events.filter(actor_label__iexact=username)
    if date_from:
        events = events.filter(created_at__date__gte=date_from)
    if date_to:
        events = events.filter(created_at__date__lte=date_to)
    return events.order_by("-created_at", "-id")
