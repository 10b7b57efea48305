"""Personas shared by the whole suite (one per role, plus someone with no access)."""

from __future__ import annotations

import itertools
import os

os.environ.setdefault("SAFEGUARD_TESTING", "1")

import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

# Tests assert behaviour, not speed (speed is `make bench`'s job): on a loaded machine Hypothesis's
# timing checks would fail tests that are right, so they are off for the whole suite.
settings.register_profile("safeguard", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("safeguard")

from tests.factories import Personas, login_verified, make_personas  # noqa: E402

_anchor_files = itertools.count(1)


@pytest.fixture(scope="session")
def _anchor_folder(tmp_path_factory):
    return tmp_path_factory.mktemp("audit-anchors")


@pytest.fixture(autouse=True)
def _own_audit_anchor_file(settings, _anchor_folder):
    """Each test anchors the audit chain to its own file, so one test's anchor never judges another's chain.
    The files share one folder: `tmp_path` would make (and list its siblings for) a folder per test."""
    settings.SAFEGUARD_AUDIT_ANCHOR_FILE = _anchor_folder / f"audit-anchors-{next(_anchor_files)}.log"


@pytest.fixture
def race(request):
    """race(*callables) runs them together in threads with their own connections (PostgreSQL only);
    see tests/race.py. Use with @pytest.mark.django_db(transaction=True)."""
    from tests.race import lift_audit_guard_for_flush, needs_postgresql, run_concurrently

    needs_postgresql()
    request.getfixturevalue("transactional_db")
    yield run_concurrently
    lift_audit_guard_for_flush()


@pytest.fixture
def committed_db(transactional_db):
    """A database whose writes really commit (other connections and processes see them), on SQLite
    or PostgreSQL; the audit table's guard is lifted only for the flush at the end."""
    from tests.race import lift_audit_guard_for_flush

    yield
    lift_audit_guard_for_flush()


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
