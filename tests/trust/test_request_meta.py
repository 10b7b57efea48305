"""Issue 11 item 6: the audit's address and request id come from what we trust, never from the client."""

import pytest
from django.test import override_settings

from safeguard.audit.models import AuditEvent, Verb

pytestmark = pytest.mark.django_db


def _failed_sign_in(client, **headers):
    response = client.post("/accounts/sign-in/", {"username": "someone", "password": "wrong"}, **headers)
    assert response.status_code == 200
    return response, AuditEvent.objects.filter(verb=Verb.SIGN_IN_FAILED).latest("id")


def test_forwarded_for_is_ignored_without_a_trusted_proxy(client):
    _, event = _failed_sign_in(client, HTTP_X_FORWARDED_FOR="10.9.8.7", REMOTE_ADDR="192.0.2.1")
    assert event.ip == "192.0.2.1"


def test_a_malformed_forwarded_for_never_breaks_the_request(client):
    with override_settings(SAFEGUARD_TRUSTED_PROXY_COUNT=1):
        _, event = _failed_sign_in(client, HTTP_X_FORWARDED_FOR="not-an-ip", REMOTE_ADDR="192.0.2.1")
    assert event.ip is None


@override_settings(SAFEGUARD_TRUSTED_PROXY_COUNT=1)
def test_one_trusted_proxy_means_the_rightmost_hop_is_the_client(client):
    _, event = _failed_sign_in(client, HTTP_X_FORWARDED_FOR="10.9.8.7, 203.0.113.5", REMOTE_ADDR="127.0.0.1")
    assert event.ip == "203.0.113.5"  # 10.9.8.7 was written by the client itself


def test_request_id_from_the_client_is_replaced(client):
    response, event = _failed_sign_in(client, HTTP_X_REQUEST_ID="chosen-by-the-client-1234")
    assert event.request_id != "chosen-by-the-client-1234"
    assert response["X-Request-ID"] == event.request_id and len(event.request_id) == 32


@override_settings(SAFEGUARD_TRUSTED_PROXY_COUNT=1)
def test_request_id_from_a_trusted_proxy_is_kept_when_well_formed(client):
    _, event = _failed_sign_in(client, HTTP_X_REQUEST_ID="proxy-made-id-12345678", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert event.request_id == "proxy-made-id-12345678"
    _, event = _failed_sign_in(client, HTTP_X_REQUEST_ID="bad id; drop table", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert event.request_id != "bad id; drop table" and len(event.request_id) == 32
