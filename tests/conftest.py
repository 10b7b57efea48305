"""Personas shared by the whole suite (one per role, plus someone with no access)."""

from __future__ import annotations

import os

os.environ.setdefault("SAFEGUARD_TESTING", "1")

import pytest  # noqa: E402

from tests.factories import Personas, login_verified, make_personas  # noqa: E402


@pytest.fixture
def personas(db) -> Personas:
    return make_personas()


@pytest.fixture
def client_for(client):
    """client_for(user) signs the test client in as that user, with two-factor passed."""

    def _client_for(user):
        login_verified(client, user)
        return client

    return _client_for
