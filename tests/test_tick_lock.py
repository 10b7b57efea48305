"""`safeguard tick` runs on one node at a time: a second run while one holds the lock skips its turn."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from safeguard.core import locks
from safeguard.core.models import ScheduledLock

# Committed data (the lock is seen across connections); the audit guard is lifted only for the flush.
pytestmark = pytest.mark.usefixtures("committed_db")

SKIPPED = "Another node is running the scheduled checks"


def _hold_elsewhere():
    """Take the tick lock as another node would: on PostgreSQL from a second connection."""
    if connection.vendor == "postgresql":
        other = connections.create_connection("default")
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [locks._advisory_key("tick")])
        return other
    ScheduledLock.objects.update_or_create(name="tick", defaults={"holder": "node-b:1", "taken_at": timezone.now()})
    return None


def test_a_second_node_skips_while_the_first_holds_the_lock():
    other = _hold_elsewhere()
    try:
        out = StringIO()
        call_command("tick", stdout=out)
        assert SKIPPED in out.getvalue()
        assert "raised" not in out.getvalue()
    finally:
        if other is not None:
            with other.cursor() as cursor:  # the other node ends and lets go of its lock
                cursor.execute("SELECT pg_advisory_unlock(%s)", [locks._advisory_key("tick")])
            other.close()
        else:
            ScheduledLock.objects.filter(name="tick").update(holder="", taken_at=None)
    out = StringIO()
    call_command("tick", stdout=out)  # the other node has finished: this one runs
    assert SKIPPED not in out.getvalue()
    assert "raised" in out.getvalue()


def test_the_lock_is_released_after_a_run_and_nested_runs_are_refused():
    with locks.scheduled_lock("tick") as held:
        assert held
        if connection.vendor != "postgresql":  # advisory locks are re-entrant within one session
            with locks.scheduled_lock("tick") as again:
                assert not again
    with locks.scheduled_lock("tick") as held:
        assert held


@pytest.mark.skipif("connection.vendor == 'postgresql'")
def test_a_claim_left_by_a_dead_node_is_taken_over():
    stale = timezone.now() - locks.STALE_AFTER - timedelta(minutes=1)
    ScheduledLock.objects.create(name="tick", holder="node-b:1", taken_at=stale)
    with locks.scheduled_lock("tick") as held:
        assert held
