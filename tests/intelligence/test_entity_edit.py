"""Changing what is recorded about an entity (issue 12): versioned, locked, audited, its normalised
key worked out again (a key another record has is refused with that record named), access as for
seeing the entity."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from safeguard.audit.models import AuditEvent
from safeguard.intelligence import services
from safeguard.intelligence.models import Entity, PersonName
from safeguard.platform.versioning import StaleEdit
from tests.factories import child

from .builders import link, person, phone, place, vehicle

pytestmark = pytest.mark.django_db


def _vehicle(**extra):
    return services.EntityData(kind="vehicle", **{"registration": "AB12 CDE", **extra})


def test_a_wrongly_typed_registration_is_corrected_and_found_by_its_new_key(personas):
    car = vehicle(personas.police_lead, "AB12 CDF")
    updated = services.entity_update(actor=personas.police_lead, entity=car, version=car.version,
                                     data=_vehicle(registration="ab12cde", colour="Silver", make="Audi"))
    assert (updated.key, updated.registration, updated.label, updated.version) == (
        "AB12CDE", "AB12CDE", "AB12CDE silver Audi", 2)
    again = services.entity_save(actor=personas.practitioner, data=_vehicle())
    assert again.entity.pk == car.pk and not again.created  # lands on the corrected record
    event = AuditEvent.objects.filter(verb="entity_updated", target_id=str(car.pk)).latest("id")
    assert "key" in event.payload["fields"] and event.payload["version"] == 2


def test_editing_into_a_key_another_record_has_says_so_and_changes_nothing(personas):
    first = vehicle(personas.police_lead, "AB12 CDE")
    second = vehicle(personas.police_lead, "KX19 WKA")
    with pytest.raises(services.KeyTaken) as refused:
        services.entity_update(actor=personas.police_lead, entity=second, version=second.version,
                               data=_vehicle(registration="AB12CDE"))
    assert refused.value.existing == first
    assert "already recorded" in refused.value.message_dict["registration"][0]
    second.refresh_from_db()
    assert (second.key, second.version) == ("KX19WKA", 1)
    assert Entity.objects.filter(kind="vehicle", key="AB12CDE").count() == 1


def test_a_phone_edited_into_another_number_is_checked_as_normalised(personas):
    phone(personas.police_lead, "07700 900123")
    other = phone(personas.police_lead, "07700 900999")
    with pytest.raises(services.KeyTaken):
        services.entity_update(actor=personas.police_lead, entity=other, version=other.version,
                               data=services.EntityData(kind="phone", number="+44 7700 900123"))


def test_a_stale_edit_is_refused_and_writes_nothing(personas):
    car = vehicle(personas.police_lead)
    opened = car.version
    services.entity_update(actor=personas.police_lead, entity=car, version=opened, data=_vehicle(make="Audi"))
    with pytest.raises(StaleEdit):
        services.entity_update(actor=personas.practitioner, entity=car, version=opened, data=_vehicle(make="Ford"))
    car.refresh_from_db()
    assert (car.make, car.version) == ("Audi", 2)


def test_a_persons_names_and_aliases_are_indexed_again(personas):
    kaz = person(personas.police_lead, "Kaz", approx_age=25)
    services.entity_update(actor=personas.police_lead, entity=kaz, version=kaz.version, data=services.EntityData(
        kind="person", name="Kasim Khan", aliases=["Kaz", "K"], approx_age=26))
    words = set(PersonName.objects.filter(entity=kaz).values_list("word", "alias"))
    assert ("kasim", False) in words and ("kaz", True) in words
    assert services.entity_aliases(kaz) == ["Kaz", "K"]


def test_the_kind_is_not_changed_by_an_edit(personas):
    spot = place(personas.police_lead)
    updated = services.entity_update(actor=personas.police_lead, entity=spot, version=spot.version,
                                     data=services.EntityData(kind="vehicle", name="Eastgate Shopping Centre",
                                                              area="Westford"))
    assert (updated.kind, updated.area) == ("place", "Westford")


def test_only_child_workers_edit(personas):
    car = vehicle(personas.police_lead)
    with pytest.raises(PermissionDenied):
        services.entity_update(actor=personas.analyst, entity=car, version=car.version, data=_vehicle())


# -- the page --------------------------------------------------------------------------------------


def test_the_edit_page_saves_and_shows_a_clash_plainly(client_for, personas):
    first = vehicle(personas.police_lead, "AB12 CDE")
    second = vehicle(personas.police_lead, "KX19 WKA")
    client = client_for(personas.police_lead)
    url = reverse("intelligence:entity_edit", kwargs={"entity_id": second.pk})
    page = client.get(url).content.decode()
    assert 'value="KX19WKA"' in page and 'name="version"' in page
    assert url in client.get(second.get_absolute_url()).content.decode()  # "Change these details"
    clash = client.post(url, {"version": 1, "registration": "AB12 CDE", "colour": "Blue"})
    body = clash.content.decode()
    assert clash.status_code == 200 and "already recorded" in body and first.get_absolute_url() in body
    assert 'value="Blue"' in body  # what was typed is kept
    saved = client.post(url, {"version": 1, "registration": "KX19 WKA", "colour": "Blue", "make": "Ford"})
    assert saved.status_code == 302
    second.refresh_from_db()
    assert (second.label, second.version) == ("KX19WKA blue Ford", 2)


def test_a_stale_save_on_the_page_shows_both_versions_and_keeps_what_was_typed(client_for, personas):
    car = vehicle(personas.police_lead)
    services.entity_update(actor=personas.police_lead, entity=car, version=1, data=_vehicle(make="Audi"))
    client = client_for(personas.mash_worker)
    url = reverse("intelligence:entity_edit", kwargs={"entity_id": car.pk})
    response = client.post(url, {"version": 1, "registration": "AB12 CDE", "make": "Ford"})
    body = response.content.decode()
    assert "changed since you opened it" in body and "Audi" in body and 'value="Ford"' in body
    assert 'name="version" value="2"' in body  # saving again keeps theirs, knowingly
    car.refresh_from_db()
    assert car.make == "Audi"


def test_access_to_the_edit_page_is_access_to_the_entity(client_for, personas):
    jodie = child(first_name="Jodie", involved=[personas.school], lead=personas.school)
    car = vehicle(personas.police_lead)
    url = reverse("intelligence:entity_edit", kwargs={"entity_id": car.pk})
    assert client_for(personas.practitioner).get(url).status_code == 404  # not on a child of theirs
    link(personas.practitioner, jodie, car)
    assert client_for(personas.practitioner).get(url).status_code == 200
    assert client_for(personas.outsider).get(url).status_code == 404
    assert client_for(personas.analyst).get(url).status_code == 404


# -- the API ---------------------------------------------------------------------------------------


def _api(client, method, entity, body=None, if_match=None):
    url = reverse("api:intelligence-entity", kwargs={"entity_id": entity.pk})
    headers = {"If-Match": if_match} if if_match is not None else {}
    return getattr(client, method)(url, body or {}, content_type="application/json", headers=headers)


def test_the_api_edits_at_the_version_read_and_answers_with_the_new_etag(client_for, personas):
    car = vehicle(personas.police_lead, "AB12 CDF")
    client = client_for(personas.police_lead)
    read = client.get(reverse("api:intelligence-entity", kwargs={"entity_id": car.pk}))
    assert read.headers["ETag"] == '"1"'
    put = _api(client, "put", car, {"registration": "ab12 cde", "colour": "Silver"}, if_match=read.headers["ETag"])
    assert put.status_code == 200, put.json()
    assert (put.json()["key"], put.json()["label"], put.json()["version"]) == ("AB12CDE", "AB12CDE silver", 2)
    assert put.headers["ETag"] == '"2"'
    # PATCH changes only what it sends; the registration and colour stay.
    patched = _api(client, "patch", car, {"make": "Audi", "version": 2})
    assert patched.status_code == 200
    car.refresh_from_db()
    assert (car.key, car.colour, car.make, car.version) == ("AB12CDE", "silver", "Audi", 3)
    events = AuditEvent.objects.filter(target_id=str(car.pk))
    assert events.filter(verb="entity_updated", actor=personas.police_lead).count() == 2
    assert events.filter(verb="intelligence_viewed", actor=personas.police_lead).count() == 3  # every answer read


def test_a_patch_that_changes_nothing_keeps_the_version(client_for, personas):
    car = vehicle(personas.police_lead)
    response = _api(client_for(personas.police_lead), "patch", car, {"version": 1})
    assert response.status_code == 200 and response.json()["version"] == 1
    assert not AuditEvent.objects.filter(verb="entity_updated", target_id=str(car.pk)).exists()


def test_a_stale_version_is_409_with_the_record_as_saved_and_writes_nothing(client_for, personas):
    car = vehicle(personas.police_lead)
    services.entity_update(actor=personas.police_lead, entity=car, version=1, data=_vehicle(make="Audi"))
    response = _api(client_for(personas.mash_worker), "put", car, {"registration": "AB12 CDE", "make": "Ford"},
                    if_match='"1"')
    body = response.json()
    assert response.status_code == 409 and response.headers["ETag"] == '"2"'
    assert "changed since you opened it" in body["detail"]
    assert (body["current_version"], body["your_version"], body["current"]["make"]) == (2, 1, "Audi")
    assert body["yours"]["make"] == "Ford"
    car.refresh_from_db()
    assert (car.make, car.version) == ("Audi", 2)


def test_a_key_another_record_has_is_refused_with_that_record_named(client_for, personas):
    first = vehicle(personas.police_lead, "AB12 CDE")
    second = vehicle(personas.police_lead, "KX19 WKA")
    response = _api(client_for(personas.police_lead), "patch", second, {"registration": "ab12cde", "version": 1})
    body = response.json()
    assert response.status_code == 409
    assert body["detail"] == body["registration"][0]
    assert f"(record {first.pk})" in body["detail"] and "Nothing was changed" in body["detail"]
    assert body["existing"] == first.pk
    second.refresh_from_db()
    assert (second.key, second.version) == ("KX19WKA", 1)


def test_who_may_not_edit_is_refused_as_the_matrix_says(client_for, personas):
    car = vehicle(personas.police_lead)  # linked to no child: seen whole by intelligence roles only
    body = {"registration": "AB12 CDE", "make": "Ford"}
    assert _api(client_for(personas.analyst), "put", car, body).status_code == 403  # no child-level role
    assert _api(client_for(personas.outsider), "put", car, body).status_code == 404
    assert _api(client_for(personas.practitioner), "patch", car, body).status_code == 404  # cannot see it
    car.refresh_from_db()
    assert (car.make, car.version) == ("", 1)


def test_wording_and_invalid_values_are_400(client_for, personas):
    kaz = person(personas.police_lead, "Kaz", approx_age=25)
    client = client_for(personas.police_lead)
    flagged = _api(client, "patch", kaz, {"description": "Told staff the girls are streetwise"})
    assert flagged.status_code == 400
    assert "description" in flagged.json() and "keep_wording" in flagged.json()
    young = _api(client, "patch", kaz, {"approx_age": 5})
    assert young.status_code == 400 and "approx_age" in young.json()
    nameless = _api(client, "put", kaz, {"description": "Tall"})
    assert nameless.status_code == 400 and nameless.json()["name"] == ["Enter the person's name, or what they are called"]
    bad_header = _api(client, "patch", kaz, {"approx_age": 26}, if_match="yesterday")
    assert bad_header.status_code == 400 and "If-Match" in bad_header.json()
    kaz.refresh_from_db()
    assert (kaz.approx_age, kaz.description, kaz.version) == (25, "", 1)
    kept = _api(client, "patch", kaz, {"description": "Told staff the girls are streetwise", "keep_wording": True})
    assert kept.status_code == 200 and kept.json()["description"] == "Told staff the girls are streetwise"
