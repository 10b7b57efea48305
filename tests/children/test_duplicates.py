"""Exact duplicates (issue 10 item 2): the same name and date of birth says plainly "This looks like
the same child"; creating a second record anyway needs a reason, which is audited. Page and API."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from safeguard.audit.models import AuditEvent, Verb
from safeguard.children.models import Child

from .conftest import make_child

AMIRA = {
    "first_name": "Amira",
    "last_name": "Khan",
    "date_of_birth_day": "3",
    "date_of_birth_month": "4",
    "date_of_birth_year": "2011",
    "gender": "female",
    "looked_after": "no",
}


def searched(client, name="Amira Khan"):
    client.post(
        reverse("children:search"),
        {"name": name, "date_of_birth_day": "3", "date_of_birth_month": "4", "date_of_birth_year": "2011"},
    )


def test_the_same_child_cannot_be_created_twice_without_a_reason(client_for, personas):
    amira = make_child(personas.practitioner, "Amira", "Khan", dob=date(2011, 4, 3))
    client = client_for(personas.practitioner)
    searched(client)
    response = client.post(reverse("children:create"), AMIRA)
    page = response.content.decode()
    assert response.status_code == 200 and Child.objects.count() == 1
    assert "This looks like the same child" in page
    assert reverse("children:detail", args=[amira.pk]) in page
    assert "Why is this a different child?" in page
    assert 'value="Amira"' in page  # nothing typed is lost

    response = client.post(reverse("children:create"), {**AMIRA, "duplicate_reason": "Her cousin, same name"})
    assert response.status_code == 302 and Child.objects.count() == 2
    created = Child.objects.latest("pk")
    event = AuditEvent.objects.get(verb=Verb.CHILD_CREATED, child_id=created.pk)
    assert event.payload["duplicate_of"] == [amira.pk]
    assert event.payload["duplicate_reason"] == "Her cousin, same name"


def test_a_similar_name_is_not_the_same_child(client_for, personas):
    make_child(personas.practitioner, "Amirah", "Kahn", dob=date(2011, 4, 3))
    client = client_for(personas.practitioner)
    searched(client)
    response = client.post(reverse("children:create"), AMIRA)
    assert response.status_code == 302 and Child.objects.count() == 2
    event = AuditEvent.objects.filter(verb=Verb.CHILD_CREATED).latest("id")
    assert "duplicate_reason" not in event.payload


def test_the_same_child_in_another_agency_also_needs_a_reason(client_for, personas):
    amira = make_child(personas.practitioner, "Amira", "Khan", dob=date(2011, 4, 3))
    client = client_for(personas.outsider)
    searched(client)
    page = client.post(reverse("children:create"), AMIRA).content.decode()
    assert "This looks like the same child" in page and "exists in another agency" in page
    assert reverse("children:detail", args=[amira.pk]) not in page and Child.objects.count() == 1


def test_api_answers_409_with_the_same_child_until_a_reason_is_given(client_for, personas):
    amira = make_child(personas.practitioner, "Amira", "Khan", dob=date(2011, 4, 3))
    client = client_for(personas.practitioner)
    url = reverse("api:children-list")
    body = {"first_name": "Amira", "last_name": "Khan", "date_of_birth": "2011-04-03"}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 409 and response.json()["same_child"] == amira.pk
    assert "This looks like the same child" in response.json()["detail"]
    # "not a duplicate" is not enough for the same name and date of birth: a reason is.
    response = client.post(url, {**body, "not_a_duplicate": True}, content_type="application/json")
    assert response.status_code == 409
    response = client.post(
        url, {**body, "confirm_duplicate_reason": "A different child: checked with the school"},
        content_type="application/json",
    )
    assert response.status_code == 201
    event = AuditEvent.objects.get(verb=Verb.CHILD_CREATED, child_id=response.json()["id"])
    assert event.payload["duplicate_of"] == [amira.pk]
    assert event.payload["duplicate_reason"] == "A different child: checked with the school"
