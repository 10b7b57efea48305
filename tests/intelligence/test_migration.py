"""The data migration that reads earlier free text into entities and links, and lists the rest."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from safeguard.children.services import WhatHappened, observation_record
from safeguard.intelligence.models import Entity, FreeTextReview, Link, Network, NetworkMember
from tests.factories import access_for, child
from tests.missing.builders import report, returned

pytestmark = pytest.mark.django_db
migration = importlib.import_module("safeguard.intelligence.migrations.0003_read_earlier_free_text")


def test_registrations_and_phones_become_links_and_the_rest_is_listed_for_review(personas):
    jodie = child(first_name="Jodie", involved=[personas.school])
    kayleigh = child(first_name="Kayleigh", involved=[personas.residential])
    observation_record(
        access=access_for(personas.practitioner, jodie), indicators=["I12"],
        happened=WhatHappened(occurred_at=timezone.now() - timedelta(days=3), source="seen"),
        details="Got into a car", vehicles="Silver Astra ab12 cde", people="Man called Dee",
    )
    episode = report(personas.residential_worker, kayleigh, hours_ago=30)
    returned(personas.residential_worker, episode, after_hours=10, vehicles="AB12CDE\nblack saloon",
             phones="07700 900123")
    migration.forwards(apps, None)
    car = Entity.objects.get(kind="vehicle")
    phone = Entity.objects.get(kind="phone")
    assert (car.key, phone.key, phone.label) == ("AB12CDE", "+447700900123", "07700 900123")
    assert set(Link.objects.values_list("child__first_name", "entity__kind", "kind", "source_kind")) == {
        ("Jodie", "vehicle", "seen_with", "migrated"), ("Kayleigh", "vehicle", "picked_up_by", "migrated"),
        ("Kayleigh", "phone", "called_by", "migrated")}
    review = set(FreeTextReview.objects.values_list("field", "agency"))
    # The people text, and the return's vehicles (one line has no registration); the observation's
    # vehicle line and the phone were read in full.
    assert review == {("people", personas.school.pk), ("vehicles", personas.residential.pk)}
    network = Network.objects.get()
    assert (network.size, network.children) == (4, 2)
    assert NetworkMember.objects.filter(network=network).count() == 4


def test_the_review_list_is_for_the_agency_that_wrote_it(client_for, personas):
    jodie = child(first_name="Jodie", involved=[personas.school])
    observation_record(
        access=access_for(personas.practitioner, jodie), indicators=["I12"],
        happened=WhatHappened(occurred_at=timezone.now() - timedelta(days=3), source="seen"),
        details="With older males", places="The park by the canal",
    )
    migration.forwards(apps, None)
    from django.urls import reverse

    page = client_for(personas.named_lead).get(reverse("intelligence:review")).content.decode()
    assert "The park by the canal" in page
    assert "The park by the canal" not in client_for(personas.police_lead).get(reverse("intelligence:review")).content.decode()
    item = FreeTextReview.objects.get()
    client_for(personas.named_lead).post(reverse("intelligence:review_done", kwargs={"item_id": item.pk}))
    item.refresh_from_db()
    assert item.reviewed_by == personas.named_lead
