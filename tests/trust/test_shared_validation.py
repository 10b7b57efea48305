"""Issue 11 item 15: the API refuses what the forms refuse (one set of validators), and SQLite
keeps the same lengths as PostgreSQL."""

from __future__ import annotations

import json

import pytest
from django.db import DatabaseError, IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from safeguard.children.models import Child, Observation
from tests.factories import child as make_child


@pytest.fixture
def kid(personas):
    return make_child(involved=[personas.school], lead=personas.school)


def _observation(**extra):
    return {"indicators": ["I5"], "occurred_at": "2025-03-01T10:00:00Z", "source": "seen", "details": "New phone",
            "keep_wording": True, **extra}


@pytest.mark.parametrize(("field", "value"), [
    ("occurred_at", "0001-03-01T10:00:00Z"),
    ("occurred_at", "1800-03-01T10:00:00Z"),
    ("occurred_at", "2999-03-01T10:00:00Z"),
    ("details", "x" * 1_000_000),
])
def test_the_observation_api_refuses_what_the_form_refuses(client_for, personas, kid, field, value):
    answer = client_for(personas.practitioner).post(reverse("api:children-observations", args=[kid.pk]),
                                                    json.dumps(_observation(**{field: value})),
                                                    content_type="application/json")
    assert answer.status_code == 400 and field in answer.json(), answer.content[:200]
    assert not Observation.objects.exists()


def test_the_form_refuses_the_same_early_year(client_for, personas, kid):
    page = client_for(personas.practitioner).post(reverse("children:observation_add", args=[kid.pk]), {
        "indicators": ["I5"], "occurred_on_day": "1", "occurred_on_month": "3", "occurred_on_year": "1800",
        "source": "seen", "details": "New phone"})
    assert page.status_code == 200 and not Observation.objects.exists()


@pytest.mark.parametrize("dob", ["0001-01-01", "1899-12-31", (timezone.localdate().replace(year=2999)).isoformat()])
def test_a_date_of_birth_out_of_bounds_is_refused(client_for, personas, dob):
    answer = client_for(personas.practitioner).post(reverse("api:children-list"), json.dumps(
        {"first_name": "Amy", "last_name": "Zed", "date_of_birth": dob}), content_type="application/json")
    assert answer.status_code == 400 and "date_of_birth" in answer.json()
    assert not Child.objects.filter(last_name="Zed").exists()


def test_unknown_criteria_notes_are_refused(client_for, personas, kid):
    answer = client_for(personas.practitioner).post(
        reverse("api:assessments-list", args=[kid.pk]),
        json.dumps({"child_age": 14, "partner_ages": [19], "criteria_notes": {"C99": "x", "C1": "ok"}}),
        content_type="application/json")
    assert answer.status_code == 400 and "criteria_notes" in answer.json()


def test_sqlite_keeps_the_same_lengths_as_postgresql(personas, kid):
    with pytest.raises(DatabaseError), transaction.atomic():  # PostgreSQL: varchar(100); SQLite: the check
        Child.objects.filter(pk=kid.pk).update(first_name="J" * 101)
    fields = {"child": kid, "indicators": ["I5"], "occurred_at": timezone.now(), "recorded_at": timezone.now(),
              "recorded_by": personas.practitioner, "agency": personas.school}
    Observation.objects.create(**fields, details="x" * 10_000)  # the limit itself is fine
    with pytest.raises(IntegrityError), transaction.atomic():
        Observation.objects.create(**fields, details="x" * 10_001)
