from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguard.audit.services import audit_verify


class Command(BaseCommand):
    help = "Audit trail tools. `safeguard audit verify` recomputes the hash chain."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit_verify()
        if result.ok:
            self.stdout.write(f"Audit chain verified: {result.checked} events, no break.")
            return
        raise CommandError(
            f"Audit chain broken at event {result.first_broken_id}: {result.problem} "
            f"({result.checked} events checked)."
        )
