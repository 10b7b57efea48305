"""The schema probe: schemathesis sends generated requests for every operation in /api/schema/,
signed in as a practitioner, a MASH worker and a police lead, and no answer may be a server error.

Bounded (PROBE_EXAMPLES per operation and role) so it runs in about a minute; `make test-probe`
runs it on PostgreSQL, and `.ci/run` after the PostgreSQL suite. Answers that do not match the
schema are collected and printed (docs/security.md lists the known ones); server errors fail.
"""

from __future__ import annotations

import os
import sys
from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings

from tests.factories import child as make_child
from tests.factories import login_verified

pytestmark = [pytest.mark.probe, pytest.mark.django_db]

PROBE_EXAMPLES = int(os.environ.get("SAFEGUARD_PROBE_EXAMPLES", "5"))
ROLES = ("practitioner", "mash_worker", "police_lead")


def _credentials_for(client, person) -> dict[str, dict[str, str]]:
    """The session cookie of a signed-in, two-factor-verified person, and a matching CSRF pair."""
    login_verified(client, person)
    csrf = _get_new_csrf_string()
    return {"cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf},
            "headers": {"X-CSRFToken": csrf}}


def _probe(operation, credentials: dict, role: str, server_errors: list[str], counter: Counter):
    @settings(max_examples=PROBE_EXAMPLES, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def probe(case):
        response = case.call(**credentials)
        counter[response.status_code] += 1
        if response.status_code >= 500:
            server_errors.append(f"{role} {operation.label}: {response.status_code} for "
                                 f"path={case.path_parameters} query={case.query} body={case.body!r:.200}")

    return probe


def test_no_server_error_for_any_operation_as_three_roles(personas, client, capsys):
    make_child(involved=[personas.school], lead=personas.school)
    document = SchemaGenerator().get_schema(request=None, public=True)
    schema = schemathesis.openapi.from_dict(document)
    schema.app = get_wsgi_application()
    operations = [result.ok() for result in schema.get_all_operations()]
    server_errors: list[str] = []
    counter: Counter = Counter()
    # As Django's test client does: the end of a request must not close the test's connection
    # (its transaction holds the personas).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        for role in ROLES:
            credentials = _credentials_for(client, getattr(personas, role))
            for operation in operations:
                _probe(operation, credentials, role, server_errors, counter)()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    with capsys.disabled():
        sys.stdout.write(f"\nschema probe: {len(operations)} operations × {len(ROLES)} roles, "
                         f"{sum(counter.values())} requests, by status {dict(sorted(counter.items()))}\n")
    assert not server_errors, "\n".join(server_errors[:20])
    # The probe must really be signed in: most answers are not "who are you?".
    assert counter[401] + counter[403] < sum(counter.values()) / 2, dict(counter)
