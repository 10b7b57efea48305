"""Issue 11 item 17: the demo's published logins never load by accident in production."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.accounts.models import User
from safeguard.audit.models import AuditEvent, Verb
from tests.factories import login_verified

pytestmark = pytest.mark.django_db
DEMO_PASSWORD = "Safeguard-demo-2026"


def test_demo_data_refuses_outside_development_mode(settings):
    settings.DEV_MODE = False
    with pytest.raises(CommandError, match="Refusing to load the demo"):
        call_command("demo-data")
    assert not User.objects.exists()


def test_training_site_logins_must_change_password_and_enrol_two_factor(settings, client):
    settings.DEV_MODE = False
    call_command("demo-data", "--i-know")
    teacher = User.objects.get(username="teacher")
    assert teacher.must_change_password and not TOTPDevice.objects.filter(user=teacher).exists()
    assert not User.objects.filter(must_change_password=False).exists()

    # Signing in with the published password leads to two-factor enrolment first…
    response = client.post(reverse("accounts:login"), {"username": "teacher", "password": DEMO_PASSWORD})
    assert "/accounts/two-factor/" in response["Location"]
    # …and once two-factor is done, every page asks for a new password until it is changed.
    login_verified(client, teacher)
    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:password_change"))
    assert client.get("/api/children/").status_code == 403
    new = "a fresh training password 7"
    response = client.post(reverse("accounts:password_change"), {
        "old_password": DEMO_PASSWORD, "new_password1": new, "new_password2": new, "next": "/"})
    assert response.status_code == 302
    teacher.refresh_from_db()
    assert not teacher.must_change_password and teacher.check_password(new)
    assert client.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(verb=Verb.PASSWORD_CHANGED, actor=teacher).exists()
