"""`safeguard audit verify | seal | anchor`.

- verify: seal what is waiting, recompute the whole chain, and check it against the last anchor.
- seal: chain the events recorded since the last seal (tick does this every run).
- anchor: write the chain's head (hash, count, time) to the anchor file and print it, for the
  board's records (tick does this daily).
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguard.audit.services import audit_anchor, audit_seal, audit_verify


class Command(BaseCommand):
    help = "Audit trail tools: verify the hash chain, seal waiting events, anchor the chain's head."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "seal", "anchor"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "seal":
            self.stdout.write(f"Sealed {audit_seal()} events into the audit chain.")
            return
        if options["action"] == "anchor":
            anchor = audit_anchor()
            self.stdout.write(f"Audit anchor {anchor.at}: {anchor.count} events, head {anchor.hash}")
            return
        result = audit_verify()
        if result.ok:
            against = f" Matches {result.anchor}." if result.anchor else " No anchor yet."
            self.stdout.write(f"Audit chain verified: {result.checked} events, no break.{against}")
            return
        raise CommandError(
            f"Audit chain broken at event {result.first_broken_id}: {result.problem} "
            f"({result.checked} events checked)."
        )
