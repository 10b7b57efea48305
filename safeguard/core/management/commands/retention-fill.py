"""`safeguard retention-fill [--all]`: work out when every record comes due, at once.

``safeguard tick`` keeps the schedules fresh by reading what changed since its last run; this fills
them for records that have none (a new installation, a data load) or, with ``--all``, for every
record (after a change to ``SAFEGUARD_RETENTION_YEARS`` or the retention rules). docs/records.md.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from safeguard.records.services import retention_schedules_fill


class Command(BaseCommand):
    help = "Work out the retention schedule of every record that has none (--all: of every record)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Every record, not only those with no schedule")

    def handle(self, *args, **options):
        started = time.monotonic()
        filled = retention_schedules_fill(every=options["all"])
        self.stdout.write(self.style.SUCCESS(
            f"Worked out {filled} retention schedules in {time.monotonic() - started:.0f} s"))
