"""`safeguard backup FILE`: a consistent copy of the whole database, taken while the service runs.

SQLite uses its online backup API; PostgreSQL uses `pg_dump -Fc` from PATH. See README "Backups".
"""

from django.core.management.base import BaseCommand, CommandError

from safeguard.core.backup import BackupError, database_backup


class Command(BaseCommand):
    help = "Back up the whole database to a new file (SQLite backup API, or pg_dump -Fc on PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the backup; must not exist yet")

    def handle(self, *args, **options):
        try:
            path = database_backup(path=options["file"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Backed up to {path} ({path.stat().st_size} bytes).")
