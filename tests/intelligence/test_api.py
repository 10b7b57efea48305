"""The intelligence API: the same rules and services as the pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safeguard.audit.models import AuditEvent
from tests.factories import child

from .builders import link, on, person, vehicle

pytestmark = pytest.mark.django_db


@pytest.fixture
def girls(personas):
    jodie = child(first_name="Jodie", last_name="Smyth", involved=[personas.school], lead=personas.school)
    kayleigh = child(first_name="Kayleigh", last_name="Moss", involved=[personas.residential],
                     lead=personas.residential)
    return jodie, kayleigh


def test_record_a_vehicle_twice_and_link_it_to_two_children(client_for, personas, girls):
    jodie, kayleigh = girls
    url = reverse("api:intelligence-entities")
    school = client_for(personas.practitioner)
    first = school.post(url, {"kind": "vehicle", "registration": "ab12 cde", "colour": "silver"},
                        content_type="application/json")
    again = school.post(url, {"kind": "vehicle", "registration": "AB12CDE"}, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    car = first.json()["id"]
    assert again.json()["id"] == car and first.json()["key"] == "AB12CDE"
    made = school.post(reverse("api:intelligence-links"), {
        "child": jodie.pk, "entity": car, "kind": "picked_up_by", "occurred_on": on(1).isoformat(),
        "source_evaluation": "2", "assessment": "B"}, content_type="application/json")
    assert made.status_code == 201 and made.json()["alerts"] == []
    home = client_for(personas.residential_worker)
    second = home.post(reverse("api:intelligence-links"), {
        "child": kayleigh.pk, "entity": car, "kind": "seen_with", "occurred_on": on(1).isoformat(),
        "source_evaluation": "2", "assessment": "B", "handling": "C", "handling_conditions": "Police only"},
        content_type="application/json")
    assert second.status_code == 201
    assert [a["pattern"] for a in second.json()["alerts"]] == ["shared_entity"]
    assert second.json()["conditional"] is True


def test_a_similar_person_is_a_conflict_with_the_matches(client_for, personas):
    kaz = person(personas.police_lead, "Kasim Khan")
    response = client_for(personas.residential_worker).post(
        reverse("api:intelligence-entities"), {"kind": "person", "name": "Kassim Kahn"}, content_type="application/json")
    assert response.status_code == 409
    assert [m["id"] for m in response.json()["likely_matches"]] == [kaz.pk]


def test_entity_detail_hides_other_agencies_children(client_for, personas, girls):
    jodie, kayleigh = girls
    car = vehicle(personas.practitioner)
    link(personas.practitioner, jodie, car)
    link(personas.residential_worker, kayleigh, car)
    body = client_for(personas.practitioner).get(
        reverse("api:intelligence-entity", kwargs={"entity_id": car.pk})).json()
    assert [ln["child"]["name"] for ln in body["links"]] == ["Jodie Smyth"]
    police = client_for(personas.police_lead).get(reverse("api:intelligence-entity", kwargs={"entity_id": car.pk}))
    assert sorted(ln["child"]["name"] for ln in police.json()["links"]) == ["Jodie Smyth", "Kayleigh Moss"]
    assert AuditEvent.objects.filter(verb="intelligence_viewed", actor=personas.police_lead).exists()
    alerts = client_for(personas.named_lead).get(reverse("api:intelligence-alerts")).json()
    assert alerts["count"] == 1
    detail = client_for(personas.named_lead).get(
        reverse("api:intelligence-alert", kwargs={"alert_id": alerts["results"][0]["id"]})).json()
    assert sorted(c["name"] for c in detail["children"]) == ["Jodie Smyth", "a child known to Care View Children's Home"]
    assert [c["id"] for c in detail["children"] if c["id"] is not None] == [jodie.pk]


def test_nrm_decision_out_of_date_is_409(client_for, personas, girls):
    jodie, _ = girls
    client = client_for(personas.mash_worker)
    made = client.post(reverse("api:intelligence-nrm", kwargs={"child_id": jodie.pk}),
                       {"referred_on": on(10).isoformat(), "summary": "Moved between cities"},
                       content_type="application/json")
    assert made.status_code == 201
    url = reverse("api:intelligence-nrm-decision", kwargs={"nrm_id": made.json()["id"]})
    ok = client.post(url, {"stage": "reasonable", "decision": "positive", "decided_on": on(5).isoformat(),
                           "version": 1}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["reasonable_grounds"] == "positive"
    stale = client.post(url, {"stage": "conclusive", "decision": "positive", "decided_on": on(1).isoformat(),
                              "version": 1}, content_type="application/json")
    assert stale.status_code == 409


def test_disruption_through_the_api(client_for, personas):
    car = vehicle(personas.police_lead)
    url = reverse("api:intelligence-disruptions", kwargs={"entity_id": car.pk})
    made = client_for(personas.police_lead).post(url, {"action": "vehicle_stop", "occurred_on": on(1).isoformat(),
                                                       "outcome": "Driver warned"}, content_type="application/json")
    assert made.status_code == 201
    refused = client_for(personas.practitioner).post(url, {"action": "vehicle_stop", "occurred_on": on(1).isoformat(),
                                                           "outcome": "x"}, content_type="application/json")
    assert refused.status_code == 404  # the practitioner does not see an entity linked to no child of theirs
