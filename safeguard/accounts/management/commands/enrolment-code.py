"""`safeguard enrolment-code USERNAME`: a one-time two-factor enrolment code, issued on the server.

For the first administrator (nobody else can issue one yet) and for a training site's logins.
Audited; the code is printed once and works once, until it expires.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from safeguard.accounts.models import User
from safeguard.accounts.services import enrolment_code_issue


class Command(BaseCommand):
    help = "Issue a one-time two-factor enrolment code for a user (printed once)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"There is no active user called {options['username']!r}.")
        code = enrolment_code_issue(actor=None, user=user)
        hours = settings.SAFEGUARD_ENROLMENT_CODE_HOURS
        self.stdout.write(f"Enrolment code for {user.username}: {code} (works once, for {hours} hours)")
