"""`safeguard tick`: raise time-based alerts (return interviews due and overdue, approvals, reviews).

Run it every few minutes from cron or a systemd timer, for example:

    */5 * * * * cd /srv/safeguard && .venv/bin/safeguard tick >> /var/log/safeguard/tick.log 2>&1

It is idempotent: running it twice raises nothing twice. Several app nodes may all run it from cron:
a database lock (core/locks.py) lets one run at a time, and the others skip that turn. Exit status 1 if any check failed (the
others still ran); the details are in the log, never a traceback on the terminal.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from safeguard.core.locks import scheduled_lock
from safeguard.platform.tick import tick_run


class Command(BaseCommand):
    help = "Raise time-based alerts: return interviews due and overdue, overdue approvals, reviews due."

    def handle(self, *args: Any, **options: Any) -> None:
        with scheduled_lock("tick") as held:
            if not held:
                self.stdout.write("Another node is running the scheduled checks; skipped this turn.")
                return
            results = tick_run(now=timezone.now())
        failed = False
        for result in results:
            if result.status == "ran":
                self.stdout.write(f"{result.path}: {result.raised} raised")
            elif result.status == "skipped":
                self.stdout.write(f"{result.path}: skipped (not installed yet)")
            else:
                failed = True
                self.stderr.write(f"{result.path}: failed ({result.problem})")
        if failed:
            raise SystemExit(1)
