"""The records app's scheduled check, run by ``safeguard tick``: keep the retention schedules fresh."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction

from safeguard.children.models import Child
from safeguard.platform.tick import tick_check

from .models import RetentionSchedule
from .services import retention_schedule_refresh

# Each run does a bounded amount of work: the stalest schedules first, then records with none.
BATCH = 500
STALE_AFTER = timedelta(days=1)


@tick_check
def retention_schedules_refresh(*, now: datetime) -> int:
    """Work out when records come due: new records first, then any schedule older than a day."""
    refreshed = 0
    new = Child.objects.filter(merged_into__isnull=True, retention__isnull=True).order_by("pk")[:BATCH]
    stale_ids = RetentionSchedule.objects.filter(computed_at__lt=now - STALE_AFTER).order_by(
        "computed_at").values_list("child_id", flat=True)[: max(0, BATCH - len(new))]
    for child in [*new, *Child.objects.filter(pk__in=list(stale_ids), merged_into__isnull=True)]:
        with transaction.atomic():
            retention_schedule_refresh(child=child, now=now)
        refreshed += 1
    return refreshed
