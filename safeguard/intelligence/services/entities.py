"""Recording people, vehicles, phones, social media accounts and places. Saving one whose normalised
key exists lands on the existing entity (filling in what it lacked); a person is first checked
against the people already recorded, by the children app's sound-alike name matcher and age."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from safeguard.access.policy import require_child_worker
from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.children.matching import name_words, phonetic_key, second_key
from safeguard.platform.versioning import version_bump, version_check

from .. import keys
from ..models import Entity, EntityKind, PersonName, PlaceType


@dataclass(frozen=True)
class EntityData:
    """What a person recording an entity knows. Only the fields of ``kind`` are read."""

    kind: str
    name: str = ""  # person: name; place: the place's name
    aliases: Sequence[str] = ()
    approx_age: int | None = None
    date_of_birth: date | None = None
    description: str = ""
    registration: str = ""
    make: str = ""
    vehicle_model: str = ""
    colour: str = ""
    number: str = ""
    platform: str = ""
    handle: str = ""
    address: str = ""
    postcode: str = ""
    place_type: str = ""
    area: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    of_concern: bool = False


@dataclass
class EntityOutcome:
    """The entity saved (or found), or the likely matches offered instead of a new person."""

    entity: Entity | None
    created: bool = False
    likely_matches: list = field(default_factory=list)


def _clean(text: str) -> str:
    return " ".join((text or "").split())


PLATFORMS = ("snapchat", "instagram", "facebook", "whatsapp", "tiktok", "x", "telegram", "other")


def entity_key_and_values(data: EntityData) -> tuple[str, dict]:
    """The normalised key and the fields to store, or ValidationError naming what is wrong."""
    errors: dict[str, str] = {}
    values: dict = {"description": (data.description or "").strip(), "area": _clean(data.area)}
    key = ""
    if data.kind == EntityKind.PERSON:
        name = _clean(data.name)
        if not name:
            errors["name"] = "Enter the person's name, or what they are called"
        if data.approx_age is not None and not 10 <= data.approx_age <= 100:
            errors["approx_age"] = "Enter an age between 10 and 100"
        if data.date_of_birth is not None and data.date_of_birth > date.today():
            errors["date_of_birth"] = "The date of birth must be in the past"
        values.update(label=name, approx_age=data.approx_age, date_of_birth=data.date_of_birth)
    elif data.kind == EntityKind.VEHICLE:
        key = keys.registration_key(data.registration)
        if not 2 <= len(key) <= 8:
            errors["registration"] = "Enter the registration, like AB12 CDE"
        values.update(
            registration=key, make=_clean(data.make), vehicle_model=_clean(data.vehicle_model),
            colour=_clean(data.colour).lower(),
        )
        values["label"] = " ".join(p for p in (key, values["colour"], values["make"], values["vehicle_model"]) if p)
    elif data.kind == EntityKind.PHONE:
        try:
            key = keys.phone_key(data.number)
        except ValueError as error:
            errors["number"] = str(error)
        values["label"] = keys.phone_display(key) if key else ""
    elif data.kind == EntityKind.SOCIAL:
        platform = (data.platform or "").strip().lower()
        if platform not in PLATFORMS:
            errors["platform"] = "Select the platform"
        key = keys.handle_key(platform, data.handle)
        if key.endswith(":"):
            errors["handle"] = "Enter the account's name or handle"
        values.update(platform=platform, handle=key.split(":", 1)[1], label=f"{platform} @{key.split(':', 1)[1]}")
    elif data.kind == EntityKind.PLACE:
        postcode = ""
        if data.postcode.strip():
            try:
                postcode = keys.postcode_key(data.postcode)
            except ValueError as error:
                errors["postcode"] = str(error)
        if not _clean(data.address) and not _clean(data.name):
            errors["name"] = "Enter the place's name or its address"
        if _clean(data.address) and not data.postcode.strip():
            errors["postcode"] = "Enter the address's postcode"
        if data.place_type and data.place_type not in PlaceType.values:
            errors["place_type"] = "Select the kind of place"
        for name, value, limit in (("latitude", data.latitude, 90), ("longitude", data.longitude, 180)):
            if value is not None and not -limit <= value <= limit:
                errors[name] = f"Enter a {name} between -{limit} and {limit}"
        if not errors:
            key = keys.place_key(address=data.address, postcode=postcode, name=data.name)
        label = ", ".join(p for p in (_clean(data.name), _clean(data.address).split(",")[0], postcode) if p)
        values.update(
            place_name=_clean(data.name), address=_clean(data.address), postcode=postcode,
            place_type=data.place_type or "", latitude=data.latitude, longitude=data.longitude,
            of_concern=bool(data.of_concern), label=label,
        )
    else:
        errors["kind"] = "Select what you are recording"
    if errors:
        raise ValidationError(errors)
    values["label"] = values["label"][:200]
    return key, values


def _vehicle_label(entity: Entity) -> str:
    return " ".join(p for p in (entity.registration, entity.colour, entity.make, entity.vehicle_model) if p)[:200]


def person_names_index(entity: Entity, names: Sequence[tuple[str, bool]]) -> None:
    """(Re)build the sound-alike index for a person's names and aliases."""
    PersonName.objects.filter(entity=entity).delete()
    rows = []
    for name, alias in names:
        for word in name_words(name):
            rows.append(PersonName(
                entity=entity, name=name[:200], alias=alias, word=word[:100], key=phonetic_key(word),
                key2=second_key(word),
            ))
    PersonName.objects.bulk_create(rows)


def _fill_blanks(entity: Entity, values: dict) -> list[str]:
    """Fill what the existing entity lacked from what was just recorded; never overwrite."""
    changed = []
    for name, value in values.items():
        if name in {"label", "of_concern"}:
            continue
        if value not in (None, "") and getattr(entity, name) in (None, ""):
            setattr(entity, name, value)
            changed.append(name)
    if values.get("of_concern") and not entity.of_concern:
        entity.of_concern = True
        changed.append("of_concern")
    return changed


@transaction.atomic
def entity_save(*, actor, data: EntityData, confirm_new_person: bool = False) -> EntityOutcome:
    """Record an entity. A keyed kind lands on the existing entity with that key (filling in blank
    details); a person with a likely match already recorded is not created unless
    ``confirm_new_person`` (the likely matches are returned instead)."""
    require_child_worker(actor)
    key, values = entity_key_and_values(data)
    if data.kind == EntityKind.PERSON:
        if not confirm_new_person:
            from ..selectors import person_likely_matches

            matches = person_likely_matches(
                name=values["label"], approx_age=data.approx_age, date_of_birth=data.date_of_birth
            )
            if matches:
                return EntityOutcome(entity=None, likely_matches=matches)
        entity = Entity.objects.create(
            kind=data.kind, key="", created_by=actor, created_agency=actor.agency, **values
        )
        aliases = [_clean(a) for a in data.aliases if _clean(a)]
        person_names_index(entity, [(entity.label, False)] + [(a, True) for a in aliases])
        _audit(actor, entity, Verb.ENTITY_RECORDED)
        return EntityOutcome(entity=entity, created=True)
    existing = Entity.objects.select_for_update(no_key=True).filter(kind=data.kind, key=key).first()
    if existing is None:
        try:
            with transaction.atomic():
                entity = Entity.objects.create(
                    kind=data.kind, key=key, created_by=actor, created_agency=actor.agency, **values
                )
        except IntegrityError:  # recorded at the same moment by someone else: use theirs
            existing = Entity.objects.select_for_update(no_key=True).get(kind=data.kind, key=key)
        else:
            if entity.kind == EntityKind.PLACE and entity.place_name:
                person_names_index(entity, [(entity.place_name, False)])
            _audit(actor, entity, Verb.ENTITY_RECORDED)
            return EntityOutcome(entity=entity, created=True)
    changed = _fill_blanks(existing, values)
    if changed and existing.kind == EntityKind.VEHICLE:
        existing.label = _vehicle_label(existing)
    if changed:
        version_bump(existing)
        existing.save()
        _audit(actor, existing, Verb.ENTITY_UPDATED, fields=changed)
    return EntityOutcome(entity=existing, created=False)


def person_alias_add(*, actor, entity: Entity, alias: str) -> Entity:
    """Add a name a person of concern is also known by."""
    require_child_worker(actor)
    alias = _clean(alias)
    if not alias:
        raise ValidationError({"alias": "Enter the other name"})
    if entity.kind != EntityKind.PERSON:
        raise ValidationError("Only a person has other names")
    with transaction.atomic():
        locked = Entity.objects.select_for_update(no_key=True).get(pk=entity.pk)
        for word in name_words(alias):
            PersonName.objects.create(
                entity=locked, name=alias[:200], alias=True, word=word[:100], key=phonetic_key(word),
                key2=second_key(word),
            )
        version_bump(locked)
        locked.save(update_fields=["version", "updated_at"])
        _audit(actor, locked, Verb.ENTITY_UPDATED, fields=["alias"])
    return locked


class KeyTaken(ValidationError):
    """An edit would give the entity a normalised key another entity of its kind already has: refused,
    with that entity named, rather than making a duplicate or merging two records silently."""

    def __init__(self, field_name: str, existing: Entity):
        self.existing = existing
        super().__init__({field_name: (
            f"{existing.label} is already recorded as another {EntityKind(existing.kind).label.lower()} "
            f"(record {existing.pk}). Nothing was changed: open that record to add what you know, or check "
            "what you typed."
        )})


def _key_field(data: EntityData) -> str:
    """The form field a kind's normalised key is typed in (where a clash is shown)."""
    if data.kind == EntityKind.PLACE:
        return "address" if _clean(data.address) else "name"
    return {EntityKind.VEHICLE: "registration", EntityKind.PHONE: "number", EntityKind.SOCIAL: "handle"}.get(
        EntityKind(data.kind), "name")


def entity_aliases(entity: Entity) -> list[str]:
    """The other names a person is known by, as recorded (one query)."""
    return list(dict.fromkeys(entity.names.filter(alias=True).order_by("id").values_list("name", flat=True)))


def entity_data_of(entity: Entity) -> EntityData:
    """What is recorded about the entity, as the details an edit sends: the starting point of a
    partial edit (the API's PATCH), so that a field not sent keeps its value."""
    person = entity.kind == EntityKind.PERSON
    return EntityData(
        kind=entity.kind, name=entity.label if person else entity.place_name,
        aliases=tuple(entity_aliases(entity)) if person else (), approx_age=entity.approx_age,
        date_of_birth=entity.date_of_birth, description=entity.description, registration=entity.registration,
        make=entity.make, vehicle_model=entity.vehicle_model, colour=entity.colour,
        number=entity.key if entity.kind == EntityKind.PHONE else "", platform=entity.platform,
        handle=entity.handle, address=entity.address, postcode=entity.postcode, place_type=entity.place_type,
        area=entity.area, latitude=entity.latitude, longitude=entity.longitude, of_concern=entity.of_concern,
    )


def entity_update(*, actor, entity: Entity, version: int | None, data: EntityData) -> Entity:
    """Change what is recorded about an entity, its key too (a registration typed wrongly). The row is
    locked and the edit refused if someone saved since ``version`` was read (``StaleEdit``, nothing
    written). The normalised key is worked out again from what was typed: if another entity of the
    kind already has it, ``KeyTaken`` names that record and nothing is changed. An edit that changes
    nothing writes nothing (the version stays)."""
    require_child_worker(actor)
    data = replace(data, kind=entity.kind)
    key, values = entity_key_and_values(data)
    with transaction.atomic():
        locked = Entity.objects.select_for_update(no_key=True).get(pk=entity.pk)
        version_check(locked, version, label=EntityKind(locked.kind).label.lower())
        if key != locked.key:
            taken = Entity.objects.filter(kind=locked.kind, key=key).exclude(pk=locked.pk).first()
            if taken is not None:
                raise KeyTaken(_key_field(data), taken)
        changed = sorted(name for name, value in values.items() if getattr(locked, name) != value)
        aliases = [_clean(a) for a in data.aliases if _clean(a)]
        if locked.kind == EntityKind.PERSON and aliases != entity_aliases(locked):
            changed.append("aliases")
        if key != locked.key:
            changed.append("key")
        if not changed:  # saved as it was: nothing to write, the version stays
            return locked
        for name, value in values.items():
            setattr(locked, name, value)
        locked.key = key
        version_bump(locked)
        try:
            with transaction.atomic():
                locked.save()
        except IntegrityError:  # the same key recorded at this moment by someone else
            raise KeyTaken(_key_field(data), Entity.objects.get(kind=locked.kind, key=key)) from None
        if locked.kind == EntityKind.PERSON:
            person_names_index(locked, [(locked.label, False)] + [(a, True) for a in aliases])
        elif locked.kind == EntityKind.PLACE:
            person_names_index(locked, [(locked.place_name, False)] if locked.place_name else [])
        _audit(actor, locked, Verb.ENTITY_UPDATED, fields=changed, version=locked.version)
    return locked


def _audit(actor, entity: Entity, verb: Verb, **payload) -> None:
    audit_record(verb=verb, actor=actor, target=entity, payload={"kind": entity.kind, **payload})
