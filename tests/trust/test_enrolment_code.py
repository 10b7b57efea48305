"""Issue 11 item 18: holding the password is not enough to claim the two-factor secret."""

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.accounts.models import EnrolmentCode
from safeguard.audit.models import AuditEvent, Verb
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _production_two_factor(settings):
    settings.SAFEGUARD_REQUIRE_2FA = True
    settings.SAFEGUARD_ENROLMENT_CODE_REQUIRED = True


def _sign_in(client):
    client.post(reverse("accounts:login"), {"username": "tara_teacher", "password": PASSWORD})


def test_password_alone_does_not_reveal_the_secret(client, personas):
    _sign_in(client)
    page = client.get(reverse("accounts:two_factor")).content.decode()
    assert "Enter your enrolment code" in page and "totp-secret" not in page
    wrong = client.post(reverse("accounts:two_factor"), {"enrolment_code": "AAAAA-BBBBB"}).content.decode()
    assert "not right or has expired" in wrong and "totp-secret" not in wrong
    assert not TOTPDevice.objects.filter(user=personas.practitioner).exists()


def test_administrator_issues_a_code_in_the_admin_and_it_is_audited(client_for, personas):
    client = client_for(personas.admin)
    response = client.post(reverse("admin:accounts_user_changelist"),
                           {"action": "issue_enrolment_code", "_selected_action": [personas.practitioner.pk]},
                           follow=True)
    assert "enrolment code" in response.content.decode()
    assert EnrolmentCode.objects.filter(user=personas.practitioner, issued_by=personas.admin).exists()
    assert AuditEvent.objects.filter(verb=Verb.ENROLMENT_CODE_ISSUED, actor=personas.admin).exists()


def test_an_expired_code_does_not_work(client, personas, capsys):
    call_command("enrolment-code", "tara_teacher")
    code = capsys.readouterr().out.split(": ")[1].split()[0]
    with time_machine.travel(timezone.now() + timezone.timedelta(hours=73), tick=False):
        _sign_in(client)
        page = client.post(reverse("accounts:two_factor"), {"enrolment_code": code}).content.decode()
    assert "not right or has expired" in page


def test_a_code_opens_enrolment_once(client, personas, capsys):
    call_command("enrolment-code", "tara_teacher")
    code = capsys.readouterr().out.split(": ")[1].split()[0]
    _sign_in(client)
    client.post(reverse("accounts:two_factor"), {"enrolment_code": code})
    assert "totp-secret" in client.get(reverse("accounts:two_factor")).content.decode()
    assert AuditEvent.objects.filter(verb=Verb.ENROLMENT_CODE_ISSUED, payload__via="server").exists()
