"""Step-up: breaking glass, bulk exports and administrator changes ask for the code again after 15
minutes (SAFEGUARD_STEP_UP_MINUTES), with the clock moved by time-machine; the demo skips it."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.accounts.step_up import step_up_response
from safeguard.audit.models import AuditEvent, Verb
from tests.factories import child as make_child


def _code(user) -> str:
    device = TOTPDevice.objects.get(user=user)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def stranger_child(personas):
    return make_child(involved=[personas.health], lead=personas.health)


def test_breaking_glass_asks_for_the_code_again_after_fifteen_minutes(client_for, personas, stranger_child):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = client_for(personas.practitioner)
        url = reverse("children:break_glass", args=[stranger_child.pk])
        assert client.get(url).status_code == 200
        clock.move_to(start + timedelta(minutes=14))
        assert client.get(url).status_code == 200  # within the 15 minutes
        clock.move_to(start + timedelta(minutes=16))
        asked = client.get(url)
        assert asked.status_code == 302
        assert asked.url == f"{reverse('accounts:step_up')}?next=%2Fchildren%2F{stranger_child.pk}%2Fbreak-glass%2F"
        # A posted form is sent to the step-up page too, and nothing is opened.
        posted = client.post(url, {"reason": "Her sister is missing and may be with her"})
        assert posted.status_code == 302 and posted.url.startswith(reverse("accounts:step_up"))
        assert not AuditEvent.objects.filter(verb=Verb.BREAK_GLASS).exists()

        page = client.get(asked.url)
        assert page.status_code == 200 and "Enter your security code again" in page.text
        wrong = client.post(asked.url, {"token": "000000", "next": url})
        assert wrong.status_code == 200 and "The security code is not right" in wrong.text
        assert AuditEvent.objects.filter(verb=Verb.TWO_FACTOR_FAILED, payload__step="step_up").exists()
        clock.move_to(start + timedelta(minutes=16, seconds=5))  # past django-otp's throttle after a wrong code
        right = client.post(reverse("accounts:step_up"), {"token": _code(personas.practitioner), "next": url})
        assert right.status_code == 302 and right.url == url
        assert AuditEvent.objects.filter(verb=Verb.STEP_UP_VERIFIED, actor=personas.practitioner).exists()
        assert client.get(url).status_code == 200


def test_a_csv_export_asks_again_but_the_page_itself_does_not(client_for, personas):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = client_for(personas.named_lead)
        review = reverse("missing:review")
        assert client.get(review + "?format=csv")["Content-Type"].startswith("text/csv")
        clock.move_to(start + timedelta(minutes=20))
        assert client.get(review).status_code == 200
        asked = client.get(review + "?format=csv")
        assert asked.status_code == 302 and asked.url.startswith(reverse("accounts:step_up"))
        assert not AuditEvent.objects.filter(verb=Verb.EXPORTED, payload__what="missing_review_csv",
                                             created_at__gt=start + timedelta(minutes=1)).exists()


def test_subject_access_downloads_and_administrator_changes_ask_again(client_for, personas, settings):
    kid = make_child(involved=[personas.school], lead=personas.school)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        lead = client_for(personas.named_lead)
        clock.move_to(start + timedelta(minutes=16))
        asked = lead.post(reverse("records:sar_open", args=[kid.pk]))
        assert asked.status_code == 302 and asked.url.startswith(reverse("accounts:step_up"))
        assert not kid.subject_access_requests.exists()

        admin = client_for(personas.admin)
        clock.move_to(start + timedelta(minutes=40))
        assert admin.get(reverse("admin:index")).status_code == 200  # reading is not a change
        change = admin.post(reverse("admin:accounts_user_change", args=[personas.outsider.pk]), {})
        assert change.status_code == 302 and change.url.startswith(reverse("accounts:step_up"))


def test_the_api_is_told_in_json():
    class Session(dict):
        pass

    request = RequestFactory().post("/api/children/1/export/")
    request.session = Session()
    request.user = type("U", (), {"is_authenticated": True})()
    response = step_up_response(request)
    assert response.status_code == 403 and b"step_up_required" in response.content


def test_the_demo_skips_step_up_as_it_skips_two_factor(client, personas, settings, stranger_child):
    settings.SAFEGUARD_REQUIRE_2FA = False
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client.force_login(personas.practitioner)
        clock.move_to(start + timedelta(minutes=25))
        assert client.get(reverse("children:break_glass", args=[stranger_child.pk])).status_code == 200
        next_url = reverse("children:break_glass", args=[stranger_child.pk])
        assert client.get(reverse("accounts:step_up") + f"?next={next_url}").url == next_url
