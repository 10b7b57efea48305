"""The selectors other branches call: names, keyword-only arguments, limits, and children named only
to those who may see them."""

from __future__ import annotations

import inspect
from datetime import timedelta

import pytest
from django.utils import timezone

from safeguard.intelligence import selectors, services
from tests.factories import child

from .builders import link, on, person, phone, place, vehicle

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("name", "params"), [
    ("persons_of_concern_for_children", ["user", "child_ids", "limit"]),
    ("hot_spots", ["since", "until", "min_children", "limit", "exported"]),
    ("entities_by_linked_children", ["kind", "since", "until", "limit", "exported"]),
    ("alerts_since", ["user", "since", "limit"]),
    ("disruption_actions_in_period", ["since", "until"]),
])
def test_the_shared_selectors_keep_their_signatures(name, params):
    signature = inspect.signature(getattr(selectors, name))
    assert list(signature.parameters) == params
    assert all(p.kind == p.KEYWORD_ONLY for p in signature.parameters.values())


@pytest.fixture
def world(personas):
    jodie = child(first_name="Jodie", involved=[personas.school], lead=personas.school)
    kayleigh = child(first_name="Kayleigh", involved=[personas.residential], lead=personas.residential)
    kaz = person(personas.police_lead, "Kasim Khan")
    link(personas.police_lead, jodie, kaz)
    link(personas.police_lead, kayleigh, kaz)
    return jodie, kayleigh, kaz


def test_persons_of_concern_name_only_children_the_user_may_see(personas, world):
    jodie, kayleigh, kaz = world
    services.disruption_record(actor=personas.police_lead, entity=kaz, details=services.DisruptionDetails(
        "cawn_served", on(2), "Served at his flat", on(-30)))
    rows = selectors.persons_of_concern_for_children(user=personas.named_lead, child_ids=[jodie.pk])
    assert [r.person.pk for r in rows] == [kaz.pk]
    labels = sorted(ref.label for ref in rows[0].children)
    assert labels == ["Jodie Smyth", "a child known to Care View Children's Home"]
    assert rows[0].latest_disruption.action == "cawn_served"
    police = selectors.persons_of_concern_for_children(user=personas.police_lead, child_ids=[jodie.pk])
    assert sorted(ref.label for ref in police[0].children) == ["Jodie Smyth", "Kayleigh Smyth"]


def test_persons_of_concern_for_a_practitioner_only_around_their_children(personas, world):
    jodie, kayleigh, _ = world
    assert selectors.persons_of_concern_for_children(user=personas.practitioner, child_ids=[kayleigh.pk]) == []
    assert selectors.persons_of_concern_for_children(user=personas.outsider, child_ids=[jodie.pk]) == []
    assert len(selectors.persons_of_concern_for_children(user=personas.practitioner, child_ids=[jodie.pk])) == 1


def test_persons_of_concern_are_bounded(personas, django_assert_max_num_queries):
    girl = child(first_name="Amy", involved=[personas.school])
    for i in range(5):
        link(personas.police_lead, girl, person(personas.police_lead, f"Person{i} Unique{i}x"))
    assert len(selectors.persons_of_concern_for_children(user=personas.police_lead, child_ids=[girl.pk], limit=3)) == 3
    with django_assert_max_num_queries(10):
        selectors.persons_of_concern_for_children(user=personas.police_lead, child_ids=[girl.pk])


def test_hot_spots_rank_places_and_areas(personas):
    centre = place(personas.police_lead, "Eastgate Shopping Centre", area="Eastgate")
    park = place(personas.police_lead, "Elm Park", area="Eastgate")
    girls = [child(first_name=f"G{i}", involved=[personas.school]) for i in range(4)]
    for g in girls[:3]:
        link(personas.police_lead, g, centre, days_ago=3)
    link(personas.police_lead, girls[3], park, days_ago=3)
    rows = selectors.hot_spots(since=on(30))
    assert [(r.label, r.children) for r in rows] == [("Eastgate", 4), ("Eastgate Shopping Centre", 3)]
    assert rows[1].place == centre
    assert selectors.hot_spots(since=on(30), until=on(10)) == []
    assert selectors.hot_spots(since=on(30), min_children=5) == []


def test_entities_by_linked_children(personas, world):
    jodie, kayleigh, kaz = world
    car = vehicle(personas.police_lead)
    link(personas.police_lead, jodie, car)
    rows = selectors.entities_by_linked_children(kind="person", since=on(30))
    assert [(r.entity.pk, r.children) for r in rows] == [(kaz.pk, 2)]
    assert [(r.entity.pk, r.children) for r in
            selectors.entities_by_linked_children(kind="vehicle", since=on(30))] == [(car.pk, 1)]
    with pytest.raises(ValueError):
        selectors.entities_by_linked_children(kind="boat", since=on(30))


def test_alerts_since_only_what_the_user_may_see(personas, world):
    since = timezone.now() - timedelta(hours=1)
    assert [a.pattern for a in selectors.alerts_since(user=personas.police_lead, since=since)] == ["shared_entity"]
    assert len(selectors.alerts_since(user=personas.named_lead, since=since)) == 1  # sent to the school's lead
    assert selectors.alerts_since(user=personas.outsider, since=since) == []
    assert selectors.alerts_since(user=personas.practitioner, since=since) == []
    assert selectors.alerts_since(user=personas.police_lead, since=timezone.now() + timedelta(minutes=1)) == []


def test_disruption_actions_in_period(personas, world):
    _, _, kaz = world
    car = vehicle(personas.police_lead)
    for action, entity, day in (("cawn_served", kaz, 40), ("arrest", kaz, 5), ("vehicle_stop", car, 4)):
        services.disruption_record(actor=personas.police_lead, entity=entity,
                                   details=services.DisruptionDetails(action, on(day), "Done"))
    summary = selectors.disruption_actions_in_period(since=on(30), until=on(0))
    assert summary.count == 2
    assert summary.by_action == {"arrest": 1, "vehicle_stop": 1}
    assert [d.action for d in summary.actions] == ["vehicle_stop", "arrest"]


def test_entity_search_by_key_and_name(personas, world):
    jodie, _, kaz = world
    car = vehicle(personas.police_lead)
    mobile = phone(personas.police_lead)
    hotel = place(personas.police_lead, "Budget hotel", address="3 Station Road", postcode="WF1 1AA")
    link(personas.police_lead, jodie, mobile)
    find = lambda q, user=personas.police_lead: [e.pk for e in selectors.entity_search(user=user, query=q)]  # noqa: E731
    assert find("ab12 cde") == [car.pk]
    assert find("07700900123") == [mobile.pk]
    assert find("wf11aa") == [hotel.pk]
    assert find("Kasim") == [kaz.pk]
    assert find("Kassim") == [kaz.pk]  # sounds the same
    # A practitioner finds only what is linked to their own children.
    assert find("ab12", user=personas.practitioner) == []
    assert set(find("07700 900123", user=personas.practitioner)) == {mobile.pk}
    assert find("Kasim", user=personas.outsider) == []
