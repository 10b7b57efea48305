"""The records app's scheduled check, run by ``safeguard tick``: keep the retention schedules fresh.

A record's due date moves only when something happens to it: the record is made or changed (its
``updated_at``), or something is recorded on its file (a chronology item). Each run reads those
changes since the last run (``RetentionCursor``), in order and at most ``BATCH`` children, so its work
follows what happened, never how many records exist. A new installation catches up over a few runs;
``safeguard retention-fill`` works out every schedule at once (after a change to the retention
settings, with ``--all``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F

from safeguard.children.models import Child, ChronologyItem
from safeguard.platform.tick import tick_check

from .models import RetentionCursor
from .services import retention_schedules_write

BATCH = 500
# Changes made in a transaction that commits after a later one are read on the next run: each run
# looks back this far (records already refreshed since their change are skipped).
OVERLAP = timedelta(minutes=10)
OVERLAP_ITEMS = 1000


def _cursor() -> RetentionCursor:
    cursor = RetentionCursor.objects.select_for_update().order_by("pk").first()
    return cursor or RetentionCursor.objects.create()


@tick_check
def retention_schedules_refresh(*, now: datetime) -> int:
    """Work out again when each record changed since the last run comes due."""
    with transaction.atomic():
        cursor = _cursor()  # locked: the tick's own lock keeps runs apart; this holds even without it
        changed = (
            Child.objects.filter(merged_into__isnull=True)
            .exclude(retention__computed_at__gte=F("updated_at"))
            .order_by("updated_at", "pk")
        )
        if cursor.children_changed_to is not None:
            changed = changed.filter(updated_at__gte=cursor.children_changed_to - OVERLAP)
        moments = list(changed.values_list("pk", "updated_at")[:BATCH])
        items = list(
            ChronologyItem.objects.filter(pk__gt=cursor.chronology_item_id - OVERLAP_ITEMS)
            .exclude(child__retention__computed_at__gte=F("recorded_at"))
            .order_by("pk").values_list("pk", "child_id")[:BATCH]
        )
        child_ids = {pk for pk, _ in moments} | {child_id for _, child_id in items}
        # All of the batch with a handful of grouped queries (the fill's way), not a few per record.
        refreshed = retention_schedules_write(
            list(Child.objects.filter(pk__in=child_ids, merged_into__isnull=True).order_by("pk")), now=now
        )
        if len(moments) == BATCH:
            cursor.children_changed_to = moments[-1][1]
        else:
            cursor.children_changed_to = now
        if items:
            cursor.chronology_item_id = max(cursor.chronology_item_id, items[-1][0])
        cursor.save()
    return refreshed
