"""Reads that tolerate a few seconds of lag go to the read replica (issue 15 item 5; ADR 0020).

With ``DATABASE_REPLICA_URL`` set, settings add a ``replica`` database and this router. A view that
shows an aggregate or a review list, where a record written seconds ago may be missing without harm,
is wrapped in :func:`reads_from_replica`; inside it, reads go to the replica. Everything else — every
write, every read inside a transaction (it may be about to write, or must see its own writes), and
every read outside such a view — goes to the primary. Without a replica the router changes nothing.

The audit events such a view writes still go to the primary (writes always do), and so does the
session (read by the middleware before the view, saved after it).
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

_tolerant = contextvars.ContextVar("safeguard_tolerant_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def tolerant_reads() -> Iterator[None]:
    """Within this block, reads outside a transaction may come from the replica."""
    token = _tolerant.set(True)
    try:
        yield
    finally:
        _tolerant.reset(token)


def reads_from_replica(view: Callable) -> Callable:
    """Mark a view whose reads tolerate replication lag (reports, review lists)."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        with tolerant_reads():
            return view(*args, **kwargs)

    wrapped.reads_from_replica = True  # type: ignore[attr-defined]
    return wrapped


class ReplicaRouter:
    """Database router: see the module docstring."""

    def db_for_read(self, model, **hints) -> str:
        if (
            _tolerant.get()
            and replica_configured()
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db != REPLICA  # a physical copy: it follows the primary's schema by itself
