from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from safeguard.accounts.models import User
from safeguard.core.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo region: agencies of every kind, a login for every role, and the case-study children."

    def handle(self, *args, **options):
        if User.objects.exists():
            self.stdout.write("Demo data is already loaded (users exist). Delete the database file to start again.")
            return
        try:
            with transaction.atomic():
                summary = load_demo()
        except Exception as exc:  # show the cause plainly, never a half-loaded region
            raise CommandError(f"Demo data could not be loaded: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(summary))
