"""The home page's "your agency's children": newest first, bounded, whatever the agency's history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguard.children.models import ChronologyItem
from safeguard.screening.selectors import children_worked_on_by
from tests.factories import child

pytestmark = pytest.mark.django_db


def _recorded(kid, agency, days_ago: int) -> None:
    at = timezone.now() - timedelta(days=days_ago)
    ChronologyItem.objects.create(child=kid, occurred_at=at, recorded_at=at, kind=ChronologyItem.Kind.NOTE,
                                  agency=agency, summary="Note")


def test_newest_first_limited_and_only_the_agencys_own(personas, client_for, django_assert_max_num_queries):
    school = personas.school
    kids = [child(first_name=f"Child{n}", last_name="Example", involved=[school]) for n in range(12)]
    for n, kid in enumerate(kids):
        _recorded(kid, school, days_ago=n + 1)
        _recorded(kid, school, days_ago=n + 30)  # older items do not push a child down
    elsewhere = child(first_name="Other", last_name="Agency", involved=[school, personas.police])
    _recorded(elsewhere, personas.police, days_ago=0)  # recorded by another agency only

    found = children_worked_on_by(personas.practitioner, limit=10)

    assert [c.pk for c in found] == [k.pk for k in kids[:10]]
    assert found[0].last_recorded > found[1].last_recorded
    # The items, which of their children the user may see (ids only), the shown ten's records; and one
    # asking whether the user has anything beyond their involvements to see.
    with django_assert_max_num_queries(4) as queries:
        children_worked_on_by(personas.practitioner, limit=10)
    [records] = [q["sql"] for q in queries.captured_queries if '"children_child"."version"' in q["sql"]]
    asked_for = records.rsplit('"children_child"."id" IN (', 1)[1].split(")", 1)[0]
    assert len(asked_for.split(",")) == 10  # twelve children worked on; only the ten shown are read
    home = client_for(personas.practitioner).get(reverse("home")).content.decode()
    assert "Child0 Example" in home and "Child11 Example" not in home and "Other Agency" not in home


def test_a_child_the_user_cannot_see_is_not_listed(personas):
    hidden = child(first_name="Hidden", last_name="Example")  # no involvement of the school
    _recorded(hidden, personas.school, days_ago=1)

    assert children_worked_on_by(personas.practitioner, limit=10) == []
