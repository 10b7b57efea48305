"""Race tests: run callables at the same moment in threads, each with its own database connection.

Use with `@pytest.mark.django_db(transaction=True)` (the threads must see committed rows) and the
`race` fixture, which skips on SQLite (one writer at a time: no race to show):

    @pytest.mark.django_db(transaction=True)
    def test_two_accepts(race, ...):
        outcomes = race(lambda: accept(...), lambda: accept(...))
        assert sum(isinstance(o, Exception) for o in outcomes) == 1

Each result is the callable's return value, or the exception it raised (never re-raised here, so
a test can count winners and losers).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection, connections

RACE_TIMEOUT_SECONDS = 30


def run_concurrently(*callables: Callable[[], Any], timeout: float = RACE_TIMEOUT_SECONDS) -> list[Any]:
    """Start every callable together (a barrier releases them at once); return their outcomes in order."""
    barrier = threading.Barrier(len(callables))
    outcomes: list[Any] = [None] * len(callables)

    def _run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout)
            outcomes[index] = call()
        except BaseException as error:  # noqa: BLE001 - the test decides what a loss looks like
            outcomes[index] = error
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=_run, args=(i, c), daemon=True) for i, c in enumerate(callables)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    stuck = [i for i, thread in enumerate(threads) if thread.is_alive()]
    if stuck:
        raise AssertionError(f"callables {stuck} were still running after {timeout} s (a lock queue or deadlock)")
    return outcomes


def needs_postgresql() -> None:
    import pytest

    if connection.vendor != "postgresql":
        pytest.skip("race tests need PostgreSQL (SQLite runs one writer at a time)")


def lift_audit_guard_for_flush() -> None:
    """A transactional test ends with a flush (TRUNCATE on PostgreSQL, DELETE on SQLite), which the
    audit table refuses. Lift that one guard for the flush; the flush's own post_migrate signal puts
    it back."""
    from django.db.models.signals import post_migrate

    sqlite_guard = """CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_auditevent
                      BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;"""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_truncate")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")

    def _guard_again(**kwargs):
        post_migrate.disconnect(_guard_again, dispatch_uid="safeguard-audit-guard")
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_no_truncate")
            else:
                cursor.execute(sqlite_guard)

    post_migrate.connect(_guard_again, weak=False, dispatch_uid="safeguard-audit-guard")
