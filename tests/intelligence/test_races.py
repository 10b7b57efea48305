"""Two transactions at once on PostgreSQL (two connections): the link that connects a second and a
third child to one vehicle at the same moment raises exactly one alert, and two people recording the
same registration at once get one vehicle."""

from __future__ import annotations

import pytest

from safeguard.intelligence import services
from safeguard.intelligence.models import Alert, AlertRecipient, Entity, Link, Network
from safeguard.notifications.models import Notification
from tests.factories import child, make_personas
from tests.race import needs_postgresql, run_concurrently

from .builders import link, vehicle

pytestmark = pytest.mark.usefixtures("committed_db")


def test_two_children_linked_to_one_vehicle_at_once_raise_one_alert():
    needs_postgresql()
    personas = make_personas()
    jodie = child(first_name="Jodie", involved=[personas.school], lead=personas.school)
    girls = [child(first_name=f"Girl{i}", involved=[personas.residential], lead=personas.residential)
             for i in range(2)]
    car = vehicle(personas.practitioner)
    link(personas.practitioner, jodie, car)
    outcomes = run_concurrently(*[
        (lambda g=g: link(personas.residential_worker, g, car, kind="picked_up_by")) for g in girls
    ])
    assert not [o for o in outcomes if isinstance(o, BaseException)], outcomes
    assert Link.objects.filter(entity=car).count() == 3
    assert sum(len(o.alerts) for o in outcomes) == 2  # one shared-entity alert, one network alert
    assert Alert.objects.filter(pattern="shared_entity", entity=car).count() == 1
    assert Alert.objects.filter(pattern="network").count() == 1
    alert = Alert.objects.get(pattern="shared_entity")
    assert AlertRecipient.objects.filter(alert=alert, user=personas.police_lead).count() == 1
    assert Notification.objects.filter(kind="intelligence_alert", url=alert.get_absolute_url(),
                                       recipient=personas.police_lead).count() == 1
    network = Network.objects.get(merged_into__isnull=True)
    assert (network.size, network.children) == (4, 3)


def test_the_same_registration_recorded_at_once_is_one_vehicle():
    needs_postgresql()
    personas = make_personas()
    data = services.EntityData(kind="vehicle", registration="KX12 ABC", colour="black")
    outcomes = run_concurrently(
        lambda: services.entity_save(actor=personas.practitioner, data=data),
        lambda: services.entity_save(actor=personas.residential_worker, data=data),
    )
    assert not [o for o in outcomes if isinstance(o, BaseException)], outcomes
    assert Entity.objects.filter(kind="vehicle", key="KX12ABC").count() == 1
    assert sorted(o.created for o in outcomes) == [False, True]


def test_two_networks_joined_from_both_ends_at_once_stay_consistent():
    needs_postgresql()
    personas = make_personas()
    a, b = child(first_name="Amy", involved=[personas.school]), child(first_name="Beth", involved=[personas.school])
    car_a, car_b = vehicle(personas.police_lead, "AA11 AAA"), vehicle(personas.police_lead, "BB22 BBB")
    link(personas.police_lead, a, car_a)
    link(personas.police_lead, b, car_b)
    # Both join the two networks at once: Amy to Beth's car, Beth to Amy's car.
    outcomes = run_concurrently(
        lambda: link(personas.police_lead, a, car_b),
        lambda: link(personas.police_lead, b, car_a),
    )
    assert not [o for o in outcomes if isinstance(o, BaseException)], outcomes
    live = Network.objects.filter(merged_into__isnull=True)
    assert live.count() == 1
    assert (live.get().size, live.get().children) == (4, 2)
    assert Alert.objects.filter(pattern="shared_entity").count() == 2  # each car now has both girls
