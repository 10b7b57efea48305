"""Within one request the policy asks once whether a user has a meeting invitation or a break-glass
opening; a save that grants access is seen at once; outside a request nothing is kept."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safeguard.access.memo import RequestMemoMiddleware
from safeguard.access.models import BreakGlassAccess
from safeguard.access.policy import children_visible_to
from tests.factories import child as make_child

pytestmark = pytest.mark.django_db


def _in_a_request(work):
    """Run ``work`` as a view would, inside the memo's middleware; what it returned."""
    out = {}

    def view(_request):
        out["value"] = work()
        return HttpResponse()

    RequestMemoMiddleware(view)(RequestFactory().get("/"))
    return out["value"]


def _part_questions(queries) -> int:
    return sum(1 for q in queries.captured_queries if q["sql"].startswith("SELECT 1 AS"))


def test_the_parts_are_asked_once_a_request_and_a_grant_is_seen_at_once(personas):
    user = personas.practitioner
    ours = make_child(first_name="Ours", involved=[personas.school])
    elsewhere = make_child(first_name="Elsewhere", involved=[personas.health])

    def work():
        with CaptureQueriesContext(connection) as first:
            before = set(children_visible_to(user, session_key="s1"))
        with CaptureQueriesContext(connection) as second:
            set(children_visible_to(user, session_key="s1"))
        BreakGlassAccess.objects.create(user=user, agency=personas.school, child=elsewhere, reason="Checking a concern",
                                        session_key="s1", expires_at=timezone.now() + timedelta(hours=1))
        after = set(children_visible_to(user, session_key="s1"))
        return before, after, _part_questions(first), _part_questions(second)

    before, after, asked_first, asked_again = _in_a_request(work)
    assert before == {ours} and after == {ours, elsewhere}
    assert asked_first == 2 and asked_again == 0  # invitation and break glass, once


def test_outside_a_request_every_build_asks_again(personas):
    user = personas.practitioner
    make_child(involved=[personas.school])
    with CaptureQueriesContext(connection) as queries:
        list(children_visible_to(user, session_key="s1"))
        list(children_visible_to(user, session_key="s1"))
    assert _part_questions(queries) == 4
