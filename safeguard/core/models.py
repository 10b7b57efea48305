"""What the core keeps in the database: the lock that lets only one node run the scheduled checks."""

from __future__ import annotations

from django.db import models


class ScheduledLock(models.Model):
    """One row per scheduled job, for databases without advisory locks (SQLite): the node holding it
    writes its name and the time. A holder older than ``STALE_AFTER`` (core/locks.py) is taken over,
    so a node that died mid-run does not stop the checks for good."""

    name = models.CharField(max_length=40, primary_key=True)
    holder = models.CharField(max_length=100, blank=True)
    taken_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} held by {self.holder or 'nobody'}"
