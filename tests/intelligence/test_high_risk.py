"""A network that includes a child at high risk is listed for the panel (intelligence.md pattern 5):
on the link's save when the child is already assessed high, and when Form B is completed high
after the child's links were saved (the tick), not only at the next link saved in the network."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from safeguard.intelligence.models import Alert, Network
from safeguard.intelligence.tick import networks_high_risk_mark
from safeguard.screening import services as screening
from safeguard.screening.models import FormB
from tests.factories import access_for, child

from .builders import link, phone, vehicle

pytestmark = pytest.mark.django_db


def _assess(personas, kid, level: str) -> FormB:
    header = screening.FormAHeader(referrer_name="Tara Teacher", organisation="Northgate Academy",
                                   contact_details="0100 000000", child_name=kid.full_name,
                                   previous_cp_referral="no")
    screening.screening_submit(access=access_for(personas.practitioner, kid), header=header,
                               answers=screening.FormAAnswers(ticked=["S1"]))
    draft = FormB.objects.get(child=kid, status="draft")
    return screening.form_b_update(access=access_for(personas.mash_worker, kid), form_b=draft, complete=True,
                                   data=screening.FormBData(indicators=[], exploitation_models=[],
                                                            analysis="Seen with older men", risk_level=level))


@pytest.fixture
def erin(personas):
    return child(first_name="Erin", involved=[personas.school], lead=personas.school)


def test_a_child_already_assessed_high_lists_the_network_on_the_link_save(personas, erin):
    _assess(personas, erin, "high")
    outcome = link(personas.practitioner, erin, vehicle(personas.practitioner))
    assert [a.pattern for a in outcome.alerts] == ["network"]
    assert "high risk" in outcome.alerts[0].title and outcome.link.child == erin
    assert Network.objects.get(pk=outcome.alerts[0].network_id).high_risk


def test_form_b_completed_high_after_the_links_lists_the_network_at_the_next_tick(personas, erin):
    first = link(personas.practitioner, erin, vehicle(personas.practitioner))
    assert first.alerts == []
    _assess(personas, erin, "high")
    assert networks_high_risk_mark(now=timezone.now()) == 1
    alert = Alert.objects.get(pattern="network")
    network = alert.network
    assert network.high_risk and network.listed_at is not None and "high risk" in alert.title
    assert set(alert.recipients.values_list("user", flat=True)) >= {personas.named_lead.pk, personas.police_lead.pk}
    # Idempotent: a second run and the next link raise no second alert for the network.
    assert networks_high_risk_mark(now=timezone.now()) == 0
    assert "network" not in [a.pattern for a in link(personas.practitioner, erin, phone(personas.practitioner)).alerts]
    assert Alert.objects.filter(pattern="network").count() == 1


def test_a_medium_assessment_or_an_old_one_marks_nothing(personas, erin):
    link(personas.practitioner, erin, vehicle(personas.practitioner))
    _assess(personas, erin, "medium")
    assert networks_high_risk_mark(now=timezone.now()) == 0
    assert networks_high_risk_mark(now=timezone.now() + timedelta(days=30)) == 0
    assert not Network.objects.get().high_risk


def test_a_child_in_no_network_is_left_alone(personas, erin):
    _assess(personas, erin, "high")
    assert networks_high_risk_mark(now=timezone.now()) == 0
    assert not Alert.objects.exists()
