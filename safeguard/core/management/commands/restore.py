"""`safeguard restore FILE`: put a backup back into the configured (new, empty) database.

Run `safeguard audit verify` afterwards: it should report the same number of events as before.
"""

from django.core.management.base import BaseCommand, CommandError

from safeguard.core.backup import BackupError, database_restore


class Command(BaseCommand):
    help = "Restore a backup made by `safeguard backup` into the configured database."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup file")

    def handle(self, *args, **options):
        try:
            database_restore(path=options["file"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write("Restored. Now run `safeguard audit verify`.")
