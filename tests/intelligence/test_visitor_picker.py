"""The visitor form's entity picker (issue 12 item 2): pick a recorded person, vehicle or phone as on
the return form; the link is made from the visit in the same step and raises its alerts; words stay
as text; a search without scripts keeps everything typed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguard.intelligence.models import Alert, Link
from safeguard.missing import services as missing_services
from safeguard.missing.models import Visitor
from tests.factories import access_for

from .builders import link, phone, vehicle

pytestmark = pytest.mark.django_db


def _visit(when, **extra):
    local = timezone.localtime(when)
    return {"how": "in_person", "occurred_on_day": local.day, "occurred_on_month": local.month,
            "occurred_on_year": local.year, "occurred_time": local.strftime("%H:%M"),
            "description": "Man in his twenties asking for Kayleigh", "vehicle": "silver car", **extra}


def test_the_visitor_form_offers_the_picker_and_links_what_is_picked(client_for, personas, girls):
    jodie, kayleigh = girls
    car = vehicle(personas.practitioner)
    link(personas.practitioner, jodie, car, kind="picked_up_by")
    client = client_for(personas.residential_worker)
    url = reverse("missing:visitor_add", kwargs={"child_id": kayleigh.pk})
    page = client.get(url).content.decode()
    assert 'id="picker-q-linked"' in page and "opens in a new tab" in page
    typed = client.get(reverse("intelligence:picker"), {"field": "linked", "multiple": "1", "q_linked": "AB12"},
                       HTTP_HX_REQUEST="true")
    assert f'value="{car.pk}"' in typed.content.decode()
    response = client.post(url, _visit(timezone.now() - timedelta(hours=1), linked=[car.pk]))
    assert response.status_code == 302
    visit = Visitor.objects.get(child=kayleigh)
    made = Link.objects.get(child=kayleigh)
    assert (made.entity, made.kind, made.source_kind, made.source_id) == (car, "seen_with", "visitor", visit.pk)
    assert visit.vehicle == "silver car"  # the words are kept too
    assert Alert.objects.filter(pattern="shared_entity", entity=car).count() == 1
    shown = client.get(reverse("missing:visitor", kwargs={"child_id": kayleigh.pk, "visitor_id": visit.pk}))
    assert car.label in shown.content.decode()


def test_a_search_without_scripts_keeps_what_was_typed_and_saves_nothing(client_for, personas, girls):
    _, kayleigh = girls
    number = phone(personas.police_lead)
    client = client_for(personas.residential_worker)
    url = reverse("missing:visitor_add", kwargs={"child_id": kayleigh.pk})
    page = client.post(url, {"description": "Tall man, grey hoodie", "q_linked": "07700 900123",
                             "picker_search": "linked"})
    body = page.content.decode()
    assert page.status_code == 200 and "Tall man, grey hoodie" in body and f'value="{number.pk}"' in body
    assert "There is a problem" not in body  # nothing is missing yet: the user is still typing
    assert not Visitor.objects.exists()


def test_an_error_on_the_form_keeps_the_picked_entities(client_for, personas, girls):
    _, kayleigh = girls
    car = vehicle(personas.police_lead)
    client = client_for(personas.residential_worker)
    url = reverse("missing:visitor_add", kwargs={"child_id": kayleigh.pk})
    page = client.post(url, {**_visit(timezone.now() - timedelta(hours=1)), "description": "", "linked": [car.pk]})
    body = page.content.decode()
    assert "Describe the person" in body and f'value="{car.pk}" checked' in body
    assert not Link.objects.exists()


def test_the_service_links_each_picked_entity_from_the_visit(personas, girls):
    _, kayleigh = girls
    car, number = vehicle(personas.police_lead), phone(personas.police_lead)
    visit = missing_services.visitor_record(
        access=access_for(personas.residential_worker, kayleigh), linked=[car, number],
        details=missing_services.VisitorDetails(how="phone", occurred_at=timezone.now() - timedelta(hours=2),
                                                description="Called asking for her"),
    )
    made = {(lk.entity_id, lk.kind) for lk in Link.objects.filter(source_id=visit.pk, source_kind="visitor")}
    assert made == {(car.pk, "seen_with"), (number.pk, "called_by")}
