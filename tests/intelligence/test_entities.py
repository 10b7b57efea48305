"""Entities land on their normalised key; persons are offered as likely matches before a duplicate."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safeguard.intelligence import keys, services
from safeguard.intelligence.models import Entity, EntityKind
from safeguard.platform.versioning import StaleEdit

from .builders import person, vehicle

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("typed", "key"), [
    ("ab12 cde", "AB12CDE"), ("AB12-CDE", "AB12CDE"), (" Ab12Cde ", "AB12CDE"),
])
def test_registration_key(typed, key):
    assert keys.registration_key(typed) == key


@pytest.mark.parametrize(("typed", "key"), [
    ("07700 900123", "+447700900123"), ("+44 7700 900123", "+447700900123"), ("(0113) 496 0000", "+441134960000"),
    ("+1 202 555 0143", "+12025550143"),
])
def test_phone_key_is_e164_with_uk_default(typed, key):
    assert keys.phone_key(typed) == key


@pytest.mark.parametrize("typed", ["12", "not a number", ""])
def test_phone_key_refuses_what_is_not_a_number(typed):
    with pytest.raises(ValueError):
        keys.phone_key(typed)


@pytest.mark.parametrize(("typed", "key"), [("ls14ap", "LS1 4AP"), ("SW1A 1AA", "SW1A 1AA"), ("m1 1ae", "M1 1AE")])
def test_postcode_key(typed, key):
    assert keys.postcode_key(typed) == key


@pytest.mark.parametrize("typed", ["LS1", "12345", "LS1 4AQQ"])
def test_postcode_refused(typed):
    with pytest.raises(ValueError):
        keys.postcode_key(typed)


def test_free_text_readers():
    assert keys.registrations_in("Silver Astra ab12 cde then KX12ABC and AB12CDE again") == ["AB12CDE", "KX12ABC"]
    assert keys.phones_in("called on 07700 900123, and +44 7700 900456") == ["+447700900123", "+447700900456"]


def test_same_vehicle_twice_lands_on_one_entity_and_fills_blanks(personas):
    first = services.entity_save(actor=personas.practitioner,
                                 data=services.EntityData(kind="vehicle", registration="ab12 cde"))
    second = services.entity_save(actor=personas.residential_worker, data=services.EntityData(
        kind="vehicle", registration="AB12CDE", colour="Silver", make="Vauxhall"))
    assert first.created and not second.created
    assert second.entity.pk == first.entity.pk
    assert Entity.objects.filter(kind=EntityKind.VEHICLE).count() == 1
    entity = Entity.objects.get()
    assert (entity.colour, entity.make, entity.version) == ("silver", "Vauxhall", 2)
    assert entity.label == "AB12CDE silver Vauxhall"


def test_phone_handle_and_place_keys_dedupe(personas):
    actor = personas.practitioner
    a = services.entity_save(actor=actor, data=services.EntityData(kind="phone", number="07700 900123")).entity
    b = services.entity_save(actor=actor, data=services.EntityData(kind="phone", number="+447700900123")).entity
    c = services.entity_save(actor=actor, data=services.EntityData(kind="social", platform="snapchat",
                                                                   handle="@Kaz_99")).entity
    d = services.entity_save(actor=actor, data=services.EntityData(kind="social", platform="snapchat",
                                                                   handle="kaz_99")).entity
    e = services.entity_save(actor=actor, data=services.EntityData(kind="place", address="12 Elm Street, Leeds",
                                                                   postcode="ls14ap")).entity
    f = services.entity_save(actor=actor, data=services.EntityData(kind="place", address="12 elm street",
                                                                   postcode="LS1 4AP")).entity
    assert a.pk == b.pk and c.pk == d.pk and e.pk == f.pk
    assert a.label == "07700 900123"
    assert c.handle == "kaz_99"


@pytest.mark.parametrize(("data", "field"), [
    (services.EntityData(kind="vehicle", registration=""), "registration"),
    (services.EntityData(kind="phone", number="abc"), "number"),
    (services.EntityData(kind="social", platform="myspace", handle="x"), "platform"),
    (services.EntityData(kind="place", address="1 High St"), "postcode"),
    (services.EntityData(kind="place", name="Park", postcode="nope"), "postcode"),
    (services.EntityData(kind="person", name=""), "name"),
    (services.EntityData(kind="unknown"), "kind"),
])
def test_what_is_missing_is_named(personas, data, field):
    with pytest.raises(ValidationError) as error:
        services.entity_save(actor=personas.practitioner, data=data)
    assert field in error.value.message_dict
    assert not Entity.objects.exists()


def test_person_with_a_similar_name_is_offered_before_a_duplicate(personas):
    kaz = person(personas.practitioner, "Kasim Khan", aliases=["Kaz"], approx_age=24)
    outcome = services.entity_save(actor=personas.residential_worker,
                                   data=services.EntityData(kind="person", name="Kassim Kahn", approx_age=25))
    assert outcome.entity is None and not outcome.created
    assert [m.entity.pk for m in outcome.likely_matches] == [kaz.pk]
    by_alias = services.entity_save(actor=personas.residential_worker,
                                    data=services.EntityData(kind="person", name="Kaz"))
    assert [m.entity.pk for m in by_alias.likely_matches] == [kaz.pk]
    confirmed = services.entity_save(actor=personas.residential_worker, confirm_new_person=True,
                                     data=services.EntityData(kind="person", name="Kassim Kahn", approx_age=25))
    assert confirmed.created and confirmed.entity.pk != kaz.pk


def test_an_unrelated_name_is_not_offered(personas):
    person(personas.practitioner, "Kasim Khan", approx_age=24)
    outcome = services.entity_save(actor=personas.practitioner,
                                   data=services.EntityData(kind="person", name="Daniel Price", approx_age=40))
    assert outcome.created and outcome.likely_matches == []


def test_only_child_workers_record_entities(personas):
    with pytest.raises(PermissionDenied):
        vehicle(personas.analyst)


def test_stale_entity_edit_is_refused(personas):
    car = vehicle(personas.practitioner)
    services.entity_update(actor=personas.practitioner, entity=car, version=car.version, data=services.EntityData(
        kind="vehicle", registration="AB12 CDE", description="Tinted windows", colour="silver"))
    with pytest.raises(StaleEdit, match="changed since you opened it"):
        services.entity_update(actor=personas.police_lead, entity=car, version=car.version,
                               data=services.EntityData(kind="vehicle", registration="AB12 CDE", description="Other"))
    car.refresh_from_db()
    assert car.description == "Tinted windows" and car.version == 2
