"""The intelligence pages through HTTP: recording, linking with the picker, alerts, the network view
and its table, disruption and the National Referral Mechanism; hidden children stay unnamed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safeguard.audit.models import AuditEvent
from safeguard.intelligence.models import (
    Alert,
    AlertAction,
    AlertRecipient,
    Disruption,
    Entity,
    Link,
    NrmReferral,
)
from tests.factories import child, user

from .builders import link, on, person, vehicle

pytestmark = pytest.mark.django_db


def _date(prefix, day):
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


@pytest.fixture
def girls(personas):
    jodie = child(first_name="Jodie", last_name="Smyth", involved=[personas.school], lead=personas.school)
    kayleigh = child(first_name="Kayleigh", last_name="Moss", involved=[personas.residential],
                     lead=personas.residential)
    return jodie, kayleigh


def test_record_a_vehicle_then_link_it_from_the_childs_page(client_for, personas, girls):
    jodie, _ = girls
    client = client_for(personas.practitioner)
    response = client.post(reverse("intelligence:entity_create") + f"?child={jodie.pk}", {
        "kind": "vehicle", "registration": "ab12 cde", "colour": "Silver", "for_child": jodie.pk})
    car = Entity.objects.get(kind="vehicle")
    assert response.status_code == 302
    assert response["Location"] == reverse("intelligence:link_add", kwargs={"child_id": jodie.pk}) + f"?entity={car.pk}"
    page = client.get(response["Location"])
    assert "AB12CDE silver" in page.content.decode()
    response = client.post(reverse("intelligence:link_add", kwargs={"child_id": jodie.pk}), {
        "entity": car.pk, "kind": "picked_up_by", **_date("occurred_on", on(1)), "source_evaluation": "1",
        "assessment": "A", "handling": "P", "notes": "Seen getting into the car after school"})
    assert response.status_code == 302
    link_row = Link.objects.get()
    assert (link_row.child, link_row.entity, link_row.grading) == (jodie, car, "1/A/P")
    assert "AB12CDE" in client.get(reverse("intelligence:child", kwargs={"child_id": jodie.pk})).content.decode()


def test_link_form_says_what_is_missing_and_keeps_what_was_typed(client_for, personas, girls):
    jodie, _ = girls
    response = client_for(personas.practitioner).post(
        reverse("intelligence:link_add", kwargs={"child_id": jodie.pk}),
        {"kind": "picked_up_by", "notes": "Silver car", "handling": "C", "source_evaluation": "2", "assessment": "B"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Choose who or what the child is linked to" in body
    assert "Say what the conditions on sharing are" in body or "Enter" in body
    assert "Silver car" in body
    assert not Link.objects.exists()


def test_picker_finds_as_you_type(client_for, personas, girls):
    jodie, _ = girls
    car = vehicle(personas.practitioner)
    link(personas.practitioner, jodie, car)
    response = client_for(personas.practitioner).get(
        reverse("intelligence:picker"), {"q": "ab12", "field": "entity", "child": jodie.pk}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert f'value="{car.pk}"' in body and 'name="entity"' in body
    assert "Record a new" in body


def test_person_likely_match_is_offered_on_the_page(client_for, personas):
    kaz = person(personas.police_lead, "Kasim Khan", aliases=["Kaz"])
    client = client_for(personas.residential_worker)
    response = client.post(reverse("intelligence:entity_create"), {"kind": "person", "name": "Kassim Kahn"})
    body = response.content.decode()
    assert response.status_code == 200 and "This may be someone already recorded" in body
    assert kaz.get_absolute_url() in body
    assert Entity.objects.filter(kind="person").count() == 1
    response = client.post(reverse("intelligence:entity_create"),
                           {"kind": "person", "name": "Kassim Kahn", "confirm_new": "True"})
    assert response.status_code == 302 and Entity.objects.filter(kind="person").count() == 2


def test_alert_page_network_and_table_respect_access(client_for, personas, girls):
    jodie, kayleigh = girls
    residential_lead = user("rita_lead", personas.residential, "named_lead", "practitioner")
    car = vehicle(personas.practitioner)
    link(personas.practitioner, jodie, car)
    alert = link(personas.residential_worker, kayleigh, car).alerts[0]
    url = alert.get_absolute_url()
    police = client_for(personas.police_lead).get(url).content.decode()
    assert "Jodie Smyth" in police and "Kayleigh Moss" in police and 'id="network-table"' in police
    assert "vendor/cytoscape.min.js" in police
    school_lead = client_for(personas.named_lead).get(url).content.decode()
    assert "Jodie Smyth" in school_lead and "Kayleigh Moss" not in school_lead
    assert "A child known to Care View Children&#x27;s Home" in school_lead
    home_lead = client_for(residential_lead).get(url).content.decode()
    assert "Kayleigh Moss" in home_lead and "Jodie Smyth" not in home_lead
    assert client_for(personas.outsider).get(url).status_code == 404
    assert client_for(personas.practitioner).get(url).status_code == 404
    viewed = AlertRecipient.objects.get(alert=alert, user=personas.police_lead)
    assert viewed.viewed_at is not None
    assert AuditEvent.objects.filter(verb="intelligence_viewed", actor=personas.police_lead).exists()
    response = client_for(personas.police_lead).post(reverse("intelligence:alert_action", kwargs={"alert_id": alert.pk}),
                                                     {"text": "Vehicle flagged on ANPR"})
    assert response.status_code == 302 and AlertAction.objects.get().text == "Vehicle flagged on ANPR"
    empty = client_for(personas.police_lead).post(reverse("intelligence:alert_action", kwargs={"alert_id": alert.pk}),
                                                  {"text": ""})
    assert empty.status_code == 200 and "Say what was done" in empty.content.decode()


def test_network_page_names_only_visible_children(client_for, personas, girls):
    jodie, kayleigh = girls
    car = vehicle(personas.practitioner)
    link(personas.practitioner, jodie, car)
    link(personas.residential_worker, kayleigh, car)
    network = Alert.objects.get(pattern="shared_entity").link.entity.member.network
    url = network.get_absolute_url()
    practitioner = client_for(personas.practitioner).get(url)
    body = practitioner.content.decode()
    assert practitioner.status_code == 200
    assert "Jodie Smyth" in body and "Kayleigh" not in body and "A child known to Care View" in body
    assert "Kayleigh" not in str(practitioner.context["graph_json"])
    assert client_for(personas.outsider).get(url).status_code == 404


def test_entity_page_for_a_practitioner_shows_only_their_childrens_links(client_for, personas, girls):
    jodie, kayleigh = girls
    car = vehicle(personas.practitioner)
    link(personas.practitioner, jodie, car)
    link(personas.residential_worker, kayleigh, car)
    body = client_for(personas.practitioner).get(car.get_absolute_url()).content.decode()
    assert "Jodie Smyth" in body and "Kayleigh" not in body and "Moss" not in body
    assert client_for(personas.outsider).get(car.get_absolute_url()).status_code == 404
    other = vehicle(personas.police_lead, "ZZ99 ZZZ")
    assert client_for(personas.practitioner).get(other.get_absolute_url()).status_code == 404
    assert client_for(personas.police_lead).get(other.get_absolute_url()).status_code == 200


def test_disruption_is_recorded_by_the_police_lead(client_for, personas, girls):
    car = vehicle(personas.police_lead)
    url = reverse("intelligence:disruption_add", kwargs={"entity_id": car.pk})
    assert client_for(personas.practitioner).get(url).status_code == 404
    client = client_for(personas.police_lead)
    bad = client.post(url, {"action": "licensing_visit", **_date("occurred_on", on(1)), "outcome": "Visited"})
    assert "A licensing visit is recorded against a place" in bad.content.decode()
    response = client.post(url, {"action": "vehicle_stop", **_date("occurred_on", on(1)),
                                 "outcome": "Driver spoken to and warned", **_date("review_on", on(-28))})
    assert response.status_code == 302
    assert Disruption.objects.get().agency == personas.police
    assert "Vehicle stop" in client.get(car.get_absolute_url()).content.decode()


def test_nrm_referral_and_decisions(client_for, personas, girls):
    jodie, _ = girls
    client = client_for(personas.mash_worker)
    response = client.post(reverse("intelligence:nrm_add", kwargs={"child_id": jodie.pk}), {
        **_date("referred_on", on(20)), "summary": "Taken to Westford and back overnight", "reference": "NRM-1"})
    referral = NrmReferral.objects.get()
    assert response.status_code == 302 and referral.first_responder == personas.csc
    url = reverse("intelligence:nrm", kwargs={"child_id": jodie.pk, "nrm_id": referral.pk})
    early = client.post(url, {"stage": "conclusive", "decision": "positive", **_date("decided_on", on(10)),
                              "version": referral.version})
    assert "follows a positive reasonable grounds decision" in early.content.decode()
    client.post(url, {"stage": "reasonable", "decision": "positive", **_date("decided_on", on(15)),
                      "version": referral.version})
    stale = client.post(url, {"stage": "conclusive", "decision": "positive", **_date("decided_on", on(2)),
                              "version": referral.version})
    assert "changed since you opened it" in stale.content.decode()  # platform.versioning's StaleEdit
    referral.refresh_from_db()
    assert referral.reasonable_grounds == "positive" and referral.conclusive_grounds == "pending"
    assert client_for(personas.outsider).get(url).status_code == 404


def test_search_by_registration_and_name(client_for, personas, girls):
    jodie, _ = girls
    car = vehicle(personas.police_lead)
    response = client_for(personas.police_lead).get(reverse("intelligence:search"), {"q": "AB12 CDE"})
    assert car.label in response.content.decode()
    assert AuditEvent.objects.filter(verb="intelligence_searched").exists() or AuditEvent.objects.filter(
        verb="intelligence_viewed", payload__what="search").exists()
    practitioner = client_for(personas.practitioner).get(reverse("intelligence:search"), {"q": "AB12"})
    assert car.label not in practitioner.content.decode()


def test_pages_do_a_bounded_number_of_queries(client_for, personas, django_assert_max_num_queries):
    car = vehicle(personas.police_lead)
    for i in range(12):
        girl = child(first_name=f"Girl{i}", involved=[personas.school])
        link(personas.police_lead, girl, car)
    alert = Alert.objects.get(pattern="shared_entity")
    client = client_for(personas.police_lead)
    with django_assert_max_num_queries(40):
        assert client.get(car.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(45):
        assert client.get(alert.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(reverse("intelligence:alerts")).status_code == 200
