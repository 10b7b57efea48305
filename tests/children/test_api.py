"""The children API keeps the pages' access rules: visible children only; a hidden child is 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safeguard.audit.models import AuditEvent, Verb
from safeguard.children import services
from safeguard.children.models import Child, Observation
from tests.factories import access_for

from .conftest import happened, make_child


@pytest.fixture
def api(client_for):
    def _api(user):
        return client_for(user)

    return _api


def test_list_shows_only_visible_children(api, personas, school_child):
    health_child = make_child(personas.health_practitioner, "Sam", "Jones")
    ids = [c["id"] for c in api(personas.practitioner).get(reverse("api:children-list")).json()["results"]]
    assert ids == [school_child.pk]
    ids = [c["id"] for c in api(personas.mash_worker).get(reverse("api:children-list")).json()["results"]]
    assert set(ids) == {school_child.pk, health_child.pk}
    assert api(personas.outsider).get(reverse("api:children-list")).json()["results"] == []


def test_roles_without_child_records_are_refused(api, personas, school_child):
    assert api(personas.analyst).get(reverse("api:children-list")).status_code == 403
    assert api(personas.admin).get(reverse("api:children-detail", args=[school_child.pk])).status_code == 403


def test_anonymous_is_refused(client, school_child):
    assert client.get(reverse("api:children-list")).status_code == 403


def test_hidden_child_is_404_like_a_missing_one(api, personas, school_child):
    client = api(personas.outsider)
    for name in ("api:children-detail", "api:children-observations", "api:children-chronology"):
        hidden = client.get(reverse(name, args=[school_child.pk]))
        missing = client.get(reverse(name, args=[school_child.pk + 999]))
        assert hidden.status_code == missing.status_code == 404
        assert hidden.json() == missing.json()
    response = client.post(
        reverse("api:children-observations", args=[school_child.pk]),
        {"indicators": ["I5"]},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_detail_is_audited_and_shows_names_and_agencies(api, personas, school_child):
    data = api(personas.practitioner).get(reverse("api:children-detail", args=[school_child.pk])).json()
    assert (
        data["first_name"] == "Jodie"
        and {"first_name": "JJ", "last_name": "Smith", "kind": "alias"} in data["names"]
    )
    assert data["involved_agencies"] == [
        {"id": personas.school.pk, "name": "Northgate Academy", "reason": "recorded"}
    ]
    assert AuditEvent.objects.filter(
        verb=Verb.CHILD_VIEWED, child_id=school_child.pk, actor=personas.practitioner
    ).exists()


def test_create_checks_for_duplicates_first(api, personas, school_child):
    client = api(personas.outsider)
    url = reverse("api:children-list")
    body = {"first_name": "Jody", "last_name": "Smith", "nhs_number": "9434765919"}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 409
    assert (
        response.json()["possible_matches"] == []
        and response.json()["possible_match_in_another_agency"] is True
    )
    response = client.post(url, {**body, "not_a_duplicate": True}, content_type="application/json")
    assert response.status_code == 201
    child = Child.objects.get(pk=response.json()["id"])
    assert child.lead_agency == personas.voluntary and child.names.filter(kind="primary").exists()


def test_create_validates_identifiers_in_plain_words(api, personas):
    response = api(personas.practitioner).post(
        reverse("api:children-list"),
        {
            "first_name": "Kayleigh",
            "last_name": "Brown",
            "nhs_number": "9434765918",
            "unique_pupil_number": "A801200005001",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "not a real NHS number" in response.json()["nhs_number"][0]
    assert "not a real unique pupil number" in response.json()["unique_pupil_number"][0]


def test_observations_list_and_create_with_language_check(api, personas, school_child):
    client = api(personas.practitioner)
    url = reverse("api:children-observations", args=[school_child.pk])
    body = {
        "indicators": ["I12"],
        "occurred_at": "2025-03-01T16:30:00Z",
        "source": "seen",
        "details": "Got into a car; she is streetwise.",
    }
    flagged = client.post(url, body, content_type="application/json")
    assert flagged.status_code == 400 and "‘streetwise’" in flagged.json()["details"][0]
    created = client.post(url, {**body, "keep_wording": True}, content_type="application/json")
    assert created.status_code == 201, created.json()
    assert created.json()["language_flags_kept"] == {"details": ["streetwise"]}
    assert AuditEvent.objects.filter(verb=Verb.LANGUAGE_FLAG_KEPT, child_id=school_child.pk).exists()
    bad = client.post(url, {**body, "indicators": ["Z9"]}, content_type="application/json")
    assert bad.status_code == 400
    listed = client.get(url).json()["results"]
    assert [o["indicators"] for o in listed] == [["I12"]] and Observation.objects.count() == 1


def test_chronology_filters_like_the_page(api, personas, school_child):
    services.observation_record(
        access=access_for(personas.practitioner, school_child),
        indicators=["I5"],
        happened=happened(day=1),
        details="New phone",
    )
    services.chronology_entry_record(
        access=access_for(personas.mash_worker, school_child),
        happened=happened(day=5),
        text="Strategy discussion booked",
    )
    client = api(personas.practitioner)
    url = reverse("api:children-chronology", args=[school_child.pk])
    everything = client.get(url).json()["results"]
    assert [i["kind"] for i in everything] == ["note", "observation"]
    assert (
        everything[0]["agency"]["name"] == "Family Contact Point (MASH)"
        and everything[0]["author"] == "Maya Tester"
    )
    assert [i["kind"] for i in client.get(url, {"agency": personas.school.pk}).json()["results"]] == [
        "observation"
    ]
    assert [i["kind"] for i in client.get(url, {"kind": "note"}).json()["results"]] == ["note"]
    assert [i["kind"] for i in client.get(url, {"date_from": "2025-03-02"}).json()["results"]] == ["note"]
    assert client.get(url, {"kind": "gossip"}).status_code == 400


def test_schema_and_docs(api, client, personas):
    assert client.get(reverse("api:schema")).status_code == 403
    assert client.get(reverse("api:docs")).status_code == 302
    signed_in = api(personas.practitioner)
    schema = signed_in.get(reverse("api:schema"))
    assert schema.status_code == 200 and b"/api/children/{child_id}/chronology/" in schema.content
    assert signed_in.get(reverse("api:docs")).status_code == 200
