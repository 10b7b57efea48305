"""Pattern alerts raised in the link's own transaction, once per pattern and subject, to the right people."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safeguard.audit.models import AuditEvent
from safeguard.children.models import ChronologyItem, Involvement
from safeguard.intelligence import services
from safeguard.intelligence.models import Alert, AlertRecipient, Link, Network, NetworkMember
from safeguard.notifications.models import Notification
from tests.factories import access_for, child, user

from .builders import link, on, person, phone, place, vehicle

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_girls(personas):
    jodie = child(first_name="Jodie", last_name="Smyth", involved=[personas.school], lead=personas.school)
    kayleigh = child(first_name="Kayleigh", last_name="Moss", involved=[personas.residential],
                     lead=personas.residential)
    return jodie, kayleigh


def test_second_child_on_a_vehicle_raises_exactly_one_alert_to_the_right_people(personas, two_girls):
    jodie, kayleigh = two_girls
    residential_lead = user("rita_lead", personas.residential, "named_lead", "practitioner")
    car = vehicle(personas.practitioner)
    first = link(personas.practitioner, jodie, car, kind="picked_up_by")
    assert first.alerts == []
    second = link(personas.residential_worker, kayleigh, car, kind="picked_up_by")
    assert [a.pattern for a in second.alerts] == ["shared_entity"]
    alert = second.alerts[0]
    assert alert.entity == car and "AB12CDE" in alert.title
    assert "Jodie" not in alert.title and "Kayleigh" not in alert.title
    told = set(AlertRecipient.objects.filter(alert=alert).values_list("user__username", flat=True))
    assert told == {"nadia_lead", "rita_lead", "pete_police", "paula_panel"}
    notes = Notification.objects.filter(kind="intelligence_alert")
    assert set(notes.values_list("recipient__username", flat=True)) == told
    assert all(n.url == alert.get_absolute_url() for n in notes)
    # Saving it again raises nothing more.
    third = link(personas.residential_worker, kayleigh, car, kind="seen_with")
    assert third.alerts == []
    assert Alert.objects.filter(pattern="shared_entity").count() == 1
    assert Notification.objects.filter(kind="intelligence_alert").count() == 4
    assert residential_lead.pk in AlertRecipient.objects.values_list("user", flat=True)


def _statements_of_checks(monkeypatch) -> list[list[str]]:
    """The SQL each save's pattern checks send, one list per save."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from safeguard.intelligence.services import links as link_services

    sent: list[list[str]] = []
    original = link_services.link_patterns_check

    def captured(saved):
        with CaptureQueriesContext(connection) as queries:
            result = original(saved)
        sent.append([q["sql"] for q in queries.captured_queries])
        return result

    monkeypatch.setattr(link_services, "link_patterns_check", captured)
    return sent


def test_a_save_reads_a_fixed_handful_of_rows_whatever_the_data(personas, two_girls, monkeypatch):
    """docs/intelligence.md "What a save reads": once an entity's alert was raised, a save on it sends
    one statement for both ends' networks (locked) and the child's Form B, and one for the alerts
    raised before; a child new to the network adds their member row and the network's counters."""
    jodie, kayleigh = two_girls
    car = vehicle(personas.practitioner)
    link(personas.practitioner, jodie, car)
    link(personas.residential_worker, kayleigh, car)  # raises the shared-entity alert
    sent = _statements_of_checks(monkeypatch)
    assert link(personas.residential_worker, kayleigh, car, kind="seen_with").alerts == []
    third = child(first_name="Amy", involved=[personas.school])
    assert link(personas.practitioner, third, car).alerts[0].pattern == "network"  # 3 children: listed
    fourth = child(first_name="Bea", involved=[personas.school])
    assert link(personas.practitioner, fourth, car).alerts == []
    assert [len(statements) for statements in sent[:1] + sent[2:]] == [2, 4], sent
    assert "intelligence_alert" in sent[0][1] and "intelligence_networkmember" in sent[0][0]


def test_a_link_is_recorded_on_the_childs_file(personas, two_girls):
    jodie, _ = two_girls
    car = vehicle(personas.practitioner)
    outcome = link(personas.practitioner, jodie, car, kind="picked_up_by", handling="C", conditions="Police only")
    item = ChronologyItem.objects.get(child=jodie, kind="intelligence")
    assert "Picked up by AB12CDE silver (2/B/C)" in item.summary and "handling code C" in item.summary
    assert item.url == car.get_absolute_url()
    assert AuditEvent.objects.filter(verb="link_recorded", child_id=jodie.pk).exists()
    assert outcome.link.conditional


def test_several_persons_around_one_child(personas, two_girls):
    jodie, _ = two_girls
    link(personas.practitioner, jodie, person(personas.practitioner, "Kasim Khan"))
    outcome = link(personas.practitioner, jodie, person(personas.practitioner, "Daniel Price"))
    assert [a.pattern for a in outcome.alerts] == ["several_persons"]
    assert outcome.alerts[0].child == jodie


def test_hot_spot_needs_three_children_within_the_period(personas, settings):
    centre = place(personas.practitioner, of_concern=True)
    children = [child(first_name=f"Girl{i}", involved=[personas.school]) for i in range(4)]
    link(personas.practitioner, children[0], centre, days_ago=200)  # too long ago to count with the others
    link(personas.practitioner, children[1], centre, days_ago=10)
    second = link(personas.practitioner, children[2], centre, days_ago=5)
    assert "hot_spot" not in [a.pattern for a in second.alerts]
    third = link(personas.practitioner, children[3], centre, days_ago=1)
    assert "hot_spot" in [a.pattern for a in third.alerts]
    hot = Alert.objects.get(pattern="hot_spot")
    assert set(hot.alert_children.values_list("child", flat=True)) == {c.pk for c in children[1:]}


def test_hot_spot_period_is_a_setting(personas, settings):
    settings.SAFEGUARD_RULES = {"hot_spot_days": 365, "hot_spot_children": 2}
    centre = place(personas.practitioner)
    a, b = child(first_name="A", involved=[personas.school]), child(first_name="B", involved=[personas.school])
    link(personas.practitioner, a, centre, days_ago=200)
    assert "hot_spot" in [x.pattern for x in link(personas.practitioner, b, centre, days_ago=1).alerts]


def test_network_joins_and_lists_three_children(personas):
    girls = [child(first_name=n, involved=[personas.school]) for n in ("Amy", "Beth", "Cara")]
    brother_a = person(personas.police_lead, "Imran Khan")
    brother_b = person(personas.police_lead, "Tariq Shah")
    mobile = phone(personas.police_lead)
    link(personas.police_lead, girls[0], brother_a)
    link(personas.police_lead, girls[1], brother_b)
    assert Network.objects.filter(merged_into__isnull=True).count() == 2
    services.link_entities(actor=personas.police_lead, entity=mobile, other=brother_a,
                           details=services.LinkDetails(kind="uses", occurred_on=on(3)))
    joined = services.link_entities(actor=personas.police_lead, entity=mobile, other=brother_b,
                                    details=services.LinkDetails(kind="uses", occurred_on=on(3)))
    assert joined.alerts == []  # the phone has no child of its own yet
    live = Network.objects.filter(merged_into__isnull=True)
    assert live.count() == 1
    network = live.get()
    assert (network.size, network.children) == (5, 2) and network.listed_at is None
    outcome = link(personas.police_lead, girls[2], mobile, kind="called_by")
    assert "network" in [a.pattern for a in outcome.alerts]
    network.refresh_from_db()
    assert (network.size, network.children) == (6, 3) and network.listed_at is not None
    assert NetworkMember.objects.filter(network=network).count() == 6
    # Growing further raises no second network alert.
    fourth = child(first_name="Dee", involved=[personas.school])
    assert "network" not in [a.pattern for a in link(personas.police_lead, fourth, brother_a).alerts]


def test_network_with_a_high_risk_child_is_listed(personas, monkeypatch):
    from safeguard.intelligence.services import networks as network_services

    girl = child(first_name="Erin", involved=[personas.school])
    monkeypatch.setattr(network_services, "child_high_risk", lambda child_id: child_id == girl.pk)
    outcome = link(personas.practitioner, girl, vehicle(personas.practitioner))
    assert [a.pattern for a in outcome.alerts] == ["network"]
    assert "high risk" in outcome.alerts[0].title


def test_grading_and_date_are_checked(personas, two_girls):
    jodie, _ = two_girls
    car = vehicle(personas.practitioner)
    with pytest.raises(ValidationError) as error:
        services.link_child(access=access_for(personas.practitioner, jodie), entity=car, details=services.LinkDetails(
            kind="teleported", occurred_on=on(-3),
            grading=services.Grading("9", "Z", "C", ""),
        ))
    assert set(error.value.message_dict) == {"kind", "occurred_on", "source_evaluation", "assessment",
                                             "handling_conditions"}
    assert not Link.objects.exists()


def test_a_read_only_access_cannot_link(personas, two_girls):
    jodie, _ = two_girls
    from dataclasses import replace

    access = replace(access_for(personas.practitioner, jodie), can_change=False)
    with pytest.raises(PermissionDenied):
        services.link_child(access=access, entity=vehicle(personas.practitioner),
                            details=services.LinkDetails(kind="seen_with", occurred_on=on(1)))


def test_linking_brings_the_agency_into_the_circle(personas, two_girls):
    jodie, _ = two_girls
    car = vehicle(personas.police_lead)
    link(personas.police_lead, jodie, car)
    assert Involvement.objects.filter(child=jodie, agency=personas.police).exists()


def test_movement_is_links_that_share_it(personas, two_girls):
    jodie, kayleigh = two_girls
    home = place(personas.police_lead, "Care View", address="1 Hill Road", postcode="LS1 4AP")
    hotel = place(personas.police_lead, "Budget hotel", area="Westford")
    car = vehicle(personas.police_lead)
    movement = services.movement_record(access=access_for(personas.police_lead, kayleigh), details=services.MovementDetails(
        to_place=hotel, from_place=home, vehicle=car, occurred_on=on(2)))
    assert set(movement.links.values_list("kind", flat=True)) == {"moved_from", "moved_to", "picked_up_by"}
    items = ChronologyItem.objects.filter(child=kayleigh, kind="intelligence")
    assert items.count() == 1 and "Budget hotel" in items.get().summary
    with pytest.raises(ValidationError):
        services.movement_record(access=access_for(personas.police_lead, jodie), details=services.MovementDetails(
            to_place=car, occurred_on=on(2)))
