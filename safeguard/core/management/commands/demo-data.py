from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from safeguard.accounts.models import User
from safeguard.core.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo region: agencies of every kind, a login for every role, and the case-study children."

    def handle(self, *args, **options):
        if User.objects.exists():
            self.stdout.write("Demo data is already loaded (users exist). Delete the database file to start again.")
            return
        try:
            # The stories raise tasks and notifications as real use would; their emails (a bare link
            # each) would only flood the console, so they are kept in memory while the demo loads.
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"), \
                    transaction.atomic():
                summary = load_demo()
        except Exception as exc:  # show the cause plainly, never a half-loaded region
            raise CommandError(f"Demo data could not be loaded: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(summary))
