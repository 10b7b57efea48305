"""`safeguard demo-data`: the demo region, with published passwords. Development mode only.

Outside development mode (SAFEGUARD_DEV=1) it refuses: its 23 logins share a password printed in
the README. A training site may still load it with `--i-know`; every demo login must then choose a
new password and enrol two-factor at its first sign-in.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from safeguard.accounts.models import User
from safeguard.accounts.services import training_accounts_prepare
from safeguard.core.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo region: agencies of every kind, a login for every role, and the case-study children."

    def add_arguments(self, parser):
        parser.add_argument(
            "--i-know", action="store_true", dest="i_know",
            help="Load it outside development mode (a training site): every login must then change its "
                 "password and enrol two-factor at first sign-in.",
        )

    def handle(self, *args, **options):
        training = not settings.DEV_MODE
        if training and not options["i_know"]:
            raise CommandError(
                "Refusing to load the demo: its logins share a published password. Run it with SAFEGUARD_DEV=1 "
                "for the demo, or add --i-know for a training site (each login must then change its password "
                "and set up two-factor at first sign-in)."
            )
        if User.objects.exists():
            self.stdout.write("Demo data is already loaded (users exist). Delete the database file to start again.")
            return
        try:
            # The stories raise tasks and notifications as real use would; their emails (a bare link
            # each) would only flood the console, so they are kept in memory while the demo loads.
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"), \
                    transaction.atomic():
                summary = load_demo()
                if training:
                    training_accounts_prepare(users=User.objects.all())
        except Exception as exc:  # show the cause plainly, never a half-loaded region
            raise CommandError(f"Demo data could not be loaded: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(summary))
        if training:
            self.stdout.write("Training site: every login must choose a new password and set up two-factor first.")
