"""A small race harness: run one function in many threads at once, each on its own database
connection, released together by a barrier. Meaningful on PostgreSQL (SQLite serialises writers)."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

import pytest
from django.db import connections

# Race tests run on PostgreSQL only (``make test-postgres``): SQLite serialises every writer.
postgres_only = pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                                   reason="a race needs separate connections on PostgreSQL")


def race(calls: list[Callable[[], object]]) -> list[object]:
    """Run every call in its own thread at the same moment; return each call's result or exception."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - the race's loser is part of the result
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.fixture
def race_db(transactional_db):
    """Committed data that other connections see. The audit table refuses TRUNCATE, so the flush
    after the test runs with that one trigger off, switched back on as soon as the flush is done."""
    from django.db import connection
    from django.db.models.signals import post_migrate

    yield
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_truncate")

    def back_on(**kwargs):
        post_migrate.disconnect(dispatch_uid="race-db-trigger-back-on")
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_no_truncate")

    post_migrate.connect(back_on, weak=False, dispatch_uid="race-db-trigger-back-on")
