"""Pickers on the return form and the observation page; co-missing matching uses linked entities."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguard.children.services import WhatHappened, observation_record
from safeguard.intelligence.models import Alert, Link
from safeguard.missing import services as missing_services
from safeguard.missing.models import CoMissingLink, Episode
from tests.factories import access_for
from tests.missing.builders import report

from .builders import link, vehicle

pytestmark = pytest.mark.django_db


def _return_form(returned_at):
    local = timezone.localtime(returned_at)
    return {"returned_on_day": local.day, "returned_on_month": local.month, "returned_on_year": local.year,
            "returned_time": local.strftime("%H:%M"), "harmed": "no", "criminal_activity": "no",
            "risky_contact": "yes", "mental_health_or_ld": "no", "vehicles": "silver car"}


def test_picking_a_recorded_car_on_the_return_form_links_it_and_raises_the_alert(client_for, personas, girls):
    jodie, kayleigh = girls
    car = vehicle(personas.practitioner)
    link(personas.practitioner, jodie, car, kind="picked_up_by")
    episode = report(personas.residential_worker, kayleigh, hours_ago=20)
    client = client_for(personas.residential_worker)
    url = reverse("missing:return", kwargs={"child_id": kayleigh.pk, "episode_id": episode.pk})
    page = client.get(url, {"q_linked": "ab12"})
    assert f'value="{car.pk}"' in page.content.decode() and 'type="checkbox"' in page.content.decode()
    typed = client.get(reverse("intelligence:picker"), {"field": "linked", "multiple": "1", "q_linked": "AB12"},
                       HTTP_HX_REQUEST="true")  # as you type: htmx sends the box by its own name
    assert f'value="{car.pk}"' in typed.content.decode() and 'type="checkbox"' in typed.content.decode()
    response = client.post(url, {**_return_form(timezone.now() - timedelta(hours=2)), "linked": [car.pk]})
    assert response.status_code == 302
    made = Link.objects.get(child=kayleigh)
    assert (made.entity, made.kind, made.source_kind, made.source_id) == (car, "picked_up_by", "missing_episode",
                                                                         episode.pk)
    assert Alert.objects.filter(pattern="shared_entity", entity=car).count() == 1
    assert Episode.objects.get(pk=episode.pk).vehicles == "silver car"  # the words are kept too


def test_co_missing_matches_on_a_linked_entity(personas, girls):
    jodie, kayleigh = girls
    car = vehicle(personas.police_lead, "KX19 WKA")
    first = report(personas.residential_worker, kayleigh, hours_ago=30)
    second = report(personas.practitioner, jodie, hours_ago=28)
    for actor, episode in ((personas.residential_worker, first), (personas.practitioner, second)):
        missing_services.episode_return_record(
            access=access_for(actor, episode.child), episode=episode, linked=[car],
            details=missing_services.ReturnDetails(returned_at=timezone.now() - timedelta(hours=1)),
        )
    pair = CoMissingLink.objects.get()
    assert {"kind": "vehicle", "value": car.label, "shown": car.label, "entity": car.pk} in pair.shared


def test_linking_from_an_observation_records_its_source(client_for, personas, girls):
    jodie, _ = girls
    observation = observation_record(
        access=access_for(personas.practitioner, jodie), indicators=["I12"],
        happened=WhatHappened(occurred_at=timezone.now() - timedelta(days=1), source="seen"),
        details="Got into a car", vehicles="Silver car AB12 CDE",
    )
    car = vehicle(personas.practitioner)
    client = client_for(personas.practitioner)
    page = client.get(observation.get_absolute_url())
    assert f"?observation={observation.pk}" in page.content.decode()
    url = reverse("intelligence:link_add", kwargs={"child_id": jodie.pk})
    assert "Silver car AB12 CDE" in client.get(url, {"observation": observation.pk}).content.decode()
    day = timezone.localdate() - timedelta(days=1)
    client.post(url, {"entity": car.pk, "observation": observation.pk, "kind": "picked_up_by",
                      "occurred_on_day": day.day, "occurred_on_month": day.month, "occurred_on_year": day.year,
                      "source_evaluation": "1", "assessment": "A", "handling": "P"})
    made = Link.objects.get()
    assert (made.source_kind, made.source_id) == ("observation", observation.pk)
