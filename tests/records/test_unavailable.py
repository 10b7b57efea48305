"""When the database cannot be reached, every request gets the product's own 503 (JSON on the API),
not a 500 and not a traceback; any other error is still the 500 page."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import InterfaceError, OperationalError

from tests.factories import login_verified


@pytest.fixture
def failing_sessions(monkeypatch):
    def fail_with(error):
        def load(self):
            raise error("connection to server at 127.0.0.1, port 5432 failed: Connection refused")

        monkeypatch.setattr(SessionStore, "load", load)

    return fail_with


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_page_gets_the_products_503(client, personas, failing_sessions, error):
    login_verified(client, personas.practitioner)
    client.raise_request_exception = False
    failing_sessions(error)
    response = client.get("/")
    assert response.status_code == 503
    assert "Sorry, the service is unavailable" in response.text and "Traceback" not in response.text
    assert response["Retry-After"] == "30" and "no-store" in response["Cache-Control"]


def test_the_api_gets_json(client, personas, failing_sessions):
    login_verified(client, personas.practitioner)
    client.raise_request_exception = False
    failing_sessions(OperationalError)
    response = client.get("/api/children/")
    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"


def test_any_other_error_is_still_the_500_page(client, personas, failing_sessions):
    login_verified(client, personas.practitioner)
    client.raise_request_exception = False
    failing_sessions(ValueError)
    response = client.get("/")
    assert response.status_code == 500 and "Sorry, there is a problem with the service" in response.text
