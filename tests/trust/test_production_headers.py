"""Issue 11 item 19: no browsable API outside development, a Permissions-Policy, database health checks."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_api_answers_json_even_to_a_browser(client_for, personas):
    response = client_for(personas.practitioner).get("/api/children/", HTTP_ACCEPT="text/html")
    assert response["Content-Type"].startswith("application/json")
    assert b"<html" not in response.content.lower()


def test_every_response_carries_a_permissions_policy(client):
    response = client.get("/accounts/sign-in/")
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_database_connections_are_checked_before_reuse():
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
