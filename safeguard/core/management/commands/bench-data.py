"""`safeguard bench-data --scale tiny|small|region|large`: load a synthetic partnership for benchmarks.

Into an empty database only (it migrates it first, and refuses if any child record exists): this is test data,
never something to add to a live system. Deterministic for a seed, scale and ``--as-of`` day. Writes
the planted search queries to a JSON file (``--planted``) for measuring recall.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from datetime import time as clock
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from safeguard.children.models import Child
from safeguard.core.bench.generate import SCALES, generate
from safeguard.core.bench.settle import settle
from safeguard.core.bench.writer import vacuum


class Command(BaseCommand):
    help = "Load a deterministic synthetic data set (tiny, small, region or large) into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=list(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=15)
        parser.add_argument("--as-of", default="", help="The day the data ends (YYYY-MM-DD); today if not given")
        parser.add_argument("--planted", default="", help="Where to write the planted search queries (JSON)")

    def handle(self, *args, **options):
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write("  migrating the database first")
            call_command("migrate", "--no-input", verbosity=0)
        if Child.objects.exists():
            raise CommandError("This database already holds child records. Synthetic data goes into an empty one.")
        try:
            day = datetime.strptime(options["as_of"], "%Y-%m-%d").date() if options["as_of"] else timezone.now().date()
        except ValueError:
            raise CommandError("--as-of must be a date written YYYY-MM-DD") from None
        as_of = datetime.combine(day, clock(12), tzinfo=UTC)
        scale = SCALES[options["scale"]]
        started = time.monotonic()
        with transaction.atomic():
            world, digest = generate(
                scale=scale, seed=options["seed"], as_of=as_of,
                progress=lambda message: self.stdout.write(f"  {message} ({time.monotonic() - started:.0f} s)"),
            )
        settle(as_of=as_of, progress=lambda message: self.stdout.write(
            f"  {message} ({time.monotonic() - started:.0f} s)"))
        vacuum()
        path = Path(options["planted"] or settings.PROJECT_DIR / "bench" / "results" / f"planted-{options['scale']}.json")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"scale": options["scale"], "seed": options["seed"], "as_of": day.isoformat(),
                                    "digest": digest, "heavy_children": world.heavy,
                                    "queries": world.planted}, indent=1))
        self.stdout.write(self.style.SUCCESS(
            f"Loaded the {options['scale']} data set in {time.monotonic() - started:.0f} s "
            f"(digest {digest[:16]}); planted queries in {path}"
        ))
