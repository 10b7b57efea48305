"""Handling code C (3x5x2 grading, intelligence.md): a link under conditions is shown, marked, on the
product's pages, and left out of every answer that leaves the product (the API) for an agency
outside its conditions: only the recording agency and the agencies its conditions name get it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguard.intelligence import selectors, services
from safeguard.intelligence.models import Link
from tests.factories import access_for, child

from .builders import link, on, place, vehicle

pytestmark = pytest.mark.django_db


@pytest.fixture
def jodie(personas):
    return child(first_name="Jodie", last_name="Smyth", involved=[personas.school, personas.police, personas.csc],
                 lead=personas.school)


def _conditional(personas, jodie, entity, *, shared_with=()):
    return services.link_child(access=access_for(personas.police_lead, jodie), entity=entity, details=services.LinkDetails(
        kind="seen_with", occurred_on=on(2),
        grading=services.Grading("1", "B", "C", "Not to be shared outside the police and MASH",
                                 tuple(a.pk for a in shared_with)),
    )).link


def _exported_ids(client, url, **params) -> set[int]:
    response = client.get(url, params)
    assert response.status_code == 200
    body = response.json()
    return {row["id"] for row in body.get("results", body.get("links", []))}


def test_the_api_leaves_a_c_link_out_for_agencies_outside_its_conditions(client_for, personas, jodie):
    car = vehicle(personas.police_lead)
    open_link = link(personas.practitioner, jodie, car).link
    secret = _conditional(personas, jodie, car, shared_with=[personas.csc])
    assert list(secret.shared_with.all()) == [personas.csc]
    links_url, detail_url = reverse("api:intelligence-links"), reverse("api:intelligence-entity", args=[car.pk])
    for user, sees_secret in ((personas.police_lead, True), (personas.mash_worker, True),
                              (personas.named_lead, False), (personas.practitioner, False)):
        client = client_for(user)
        expected = {open_link.pk, secret.pk} if sees_secret else {open_link.pk}
        assert _exported_ids(client, links_url, entity=car.pk) == expected, user
        assert _exported_ids(client, links_url, child=jodie.pk) == expected, user
        assert _exported_ids(client, detail_url) == expected, user
    shown = client_for(personas.mash_worker).get(links_url, {"entity": car.pk}).json()["results"]
    assert next(r for r in shown if r["id"] == secret.pk)["shared_with"] == [personas.csc.pk]


def test_a_c_link_is_still_shown_marked_on_the_products_own_page(client_for, personas, jodie):
    car = vehicle(personas.police_lead)
    secret = _conditional(personas, jodie, car)
    page = client_for(personas.named_lead).get(car.get_absolute_url()).content.decode()
    assert secret.handling_conditions in page


def test_the_shared_with_agencies_are_given_by_the_link_form(client_for, personas, jodie):
    car = vehicle(personas.police_lead)
    day = timezone.localdate() - timedelta(days=1)
    response = client_for(personas.police_lead).post(
        reverse("intelligence:link_add", kwargs={"child_id": jodie.pk}),
        {"entity": car.pk, "kind": "seen_with", "occurred_on_day": day.day, "occurred_on_month": day.month,
         "occurred_on_year": day.year, "source_evaluation": "1", "assessment": "A", "handling": "C",
         "handling_conditions": "MASH only", "shared_with": [personas.csc.pk]})
    assert response.status_code == 302
    assert list(Link.objects.get().shared_with.all()) == [personas.csc]


def test_counts_for_a_report_that_leaves_the_product_leave_c_links_out(personas):
    spot = place(personas.police_lead)
    girls = [child(first_name=n, involved=[personas.school]) for n in ("Amy", "Bea", "Cat")]
    for girl in girls[:2]:
        link(personas.practitioner, girl, spot)
    _conditional(personas, girls[2], spot)
    since = timezone.localdate() - timedelta(days=30)
    assert [s.children for s in selectors.hot_spots(since=since, min_children=2)][:1] == [3]
    assert [s.children for s in selectors.hot_spots(since=since, min_children=2, exported=True)][:1] == [2]
    ranked = selectors.entities_by_linked_children(kind="place", since=since, exported=True)
    assert [r.children for r in ranked] == [2]
