"""One node at a time: a database-wide lock around `safeguard tick` (issue 15 item 5).

PostgreSQL: a session advisory lock (``pg_try_advisory_lock``), released when the run ends or the
connection drops. Elsewhere (SQLite): a ``ScheduledLock`` row claimed with one conditional UPDATE;
a claim older than ``STALE_AFTER`` is taken over. Either way a second node finds the lock held and
skips this run instead of waiting.
"""

from __future__ import annotations

import os
import socket
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from .models import ScheduledLock

STALE_AFTER = timedelta(minutes=30)


def _advisory_key(name: str) -> int:
    return zlib.crc32(f"safeguard:{name}".encode())


@contextmanager
def scheduled_lock(name: str) -> Iterator[bool]:
    """``with scheduled_lock("tick") as held:`` — ``held`` is False when another node has it."""
    if connection.vendor == "postgresql":
        key = _advisory_key(name)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            held = bool(cursor.fetchone()[0])
        try:
            yield held
        finally:
            if held:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    holder = f"{socket.gethostname()}:{os.getpid()}"[:100]
    now = timezone.now()
    ScheduledLock.objects.get_or_create(name=name)
    held = bool(
        ScheduledLock.objects.filter(Q(holder="") | Q(taken_at__lt=now - STALE_AFTER), name=name).update(
            holder=holder, taken_at=now
        )
    )
    try:
        yield held
    finally:
        if held:
            ScheduledLock.objects.filter(name=name, holder=holder).update(holder="", taken_at=None)
