"""Linking a child to an entity, two entities together, and a child's movements (§7, §10), with the
pattern checks run in the same transaction (intelligence.md "Patterns").

A save never recomputes the whole graph. It locks the rows it touches (the child, then the entity or
entities by id: one order everywhere, so two saves never wait on each other in a circle) with FOR NO
KEY UPDATE, which does not block the key-share locks other saves take when their alert rows refer to
the same child (a plain FOR UPDATE there deadlocked under two concurrent saves), writes the
link, and reads only bounded, indexed answers: which of the link's possible alerts were raised
before (one read; those patterns are not counted again), and for the others whether the entity has
another child (``LIMIT``), whether the child has another person of concern, which children the place
has in the hot-spot period (``LIMIT``); and the two ends' network rows (``networks.py``: union by
size, the smaller network's member rows move to the larger). docs/intelligence.md has the figures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from safeguard.access.policy import ChildAccess, require_child_worker
from safeguard.accounts.models import Agency
from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.children.chronology import record_on_file
from safeguard.children.models import Child, ChronologyItem
from safeguard.children.summaries import summary
from safeguard.platform.rules_settings import rules_params
from safeguard.rules.intelligence import (
    HOT_SPOT,
    NETWORK,
    SEVERAL_PERSONS,
    SHARED_ENTITY,
    LinkFacts,
    most_children_in_window,
    patterns_met,
)

from ..models import (
    Alert,
    Entity,
    EntityKind,
    HandlingCode,
    IntelligenceAssessment,
    Link,
    LinkKind,
    Movement,
    SourceEvaluation,
    SourceKind,
)
from .alerts import alert_raise
from .networks import ALERT_CHILDREN, network_alert, network_join

HOT_SPOT_EVENTS = 500  # (child, date) pairs read around a place's new link, at most


@dataclass(frozen=True)
class Grading:
    """The 3x5x2 grading: source evaluation (1-3), intelligence assessment (A-E), handling (P or C)."""

    source_evaluation: str = SourceEvaluation.UNTESTED
    assessment: str = IntelligenceAssessment.INDIRECT
    handling: str = HandlingCode.PERMITTED
    handling_conditions: str = ""
    shared_with: tuple[int, ...] = ()  # code C: agencies (ids) its conditions allow; the recorder's always may


@dataclass(frozen=True)
class LinkDetails:
    kind: str
    occurred_on: date
    grading: Grading = Grading()
    notes: str = ""
    source_kind: str = SourceKind.DIRECT
    source: models.Model | None = None


@dataclass
class LinkOutcome:
    link: Link
    alerts: list[Alert]


def _check(details: LinkDetails, today: date) -> None:
    errors = {}
    if details.kind not in LinkKind.values:
        errors["kind"] = "Select how they are linked"
    if details.occurred_on > today:
        errors["occurred_on"] = "The date must be today or in the past"
    grading = details.grading
    if grading.source_evaluation not in SourceEvaluation.values:
        errors["source_evaluation"] = "Select how reliable the source is (1, 2 or 3)"
    if grading.assessment not in IntelligenceAssessment.values:
        errors["assessment"] = "Select how the source knows it (A to E)"
    if grading.handling not in HandlingCode.values:
        errors["handling"] = "Select P or C"
    elif grading.handling == HandlingCode.CONDITIONS and not grading.handling_conditions.strip():
        errors["handling_conditions"] = "Say what the conditions on sharing are"
    if details.source_kind not in SourceKind.values:
        errors["source_kind"] = "Select where this came from"
    if errors:
        raise ValidationError(errors)


def _new_link(details: LinkDetails, *, entity: Entity, actor, agency, child=None, other=None,
              movement=None, kept=None) -> Link:
    source = details.source
    link = Link.objects.create(
        kind=details.kind, child=child, entity=entity, other=other, occurred_on=details.occurred_on,
        source_kind=details.source_kind,
        source_type=ContentType.objects.get_for_model(source) if source is not None else None,
        source_id=source.pk if source is not None else None, movement=movement,
        source_evaluation=details.grading.source_evaluation, assessment=details.grading.assessment,
        handling=details.grading.handling, handling_conditions=details.grading.handling_conditions.strip(),
        notes=(details.notes or "").strip(), recorded_by=actor, agency=agency, language_flags_kept=kept or {},
    )
    if details.grading.handling == HandlingCode.CONDITIONS and details.grading.shared_with:
        link.shared_with.set(Agency.objects.filter(pk__in=details.grading.shared_with))
    return link


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def link_child(
    *,
    access: ChildAccess,
    entity: Entity,
    details: LinkDetails,
    language_flags_kept: Mapping[str, Sequence[str]] | None = None,
    movement: Movement | None = None,
    record: bool = True,
) -> LinkOutcome:
    """Link the child to an entity, record it on the child's file and run the pattern checks, all in
    one transaction. Alerts are raised at most once per pattern and subject."""
    access.require_change()
    _check(details, timezone.localdate())
    with transaction.atomic():
        child = Child.objects.select_for_update(no_key=True).get(pk=access.child.pk)
        entity = Entity.objects.select_for_update(no_key=True).get(pk=entity.pk)
        kept = {k: list(v) for k, v in (language_flags_kept or {}).items() if v}
        link = _new_link(details, entity=entity, actor=access.actor, agency=access.agency, child=child,
                         movement=movement, kept=kept)
        if record:
            record_on_file(
                access.for_child(child),
                kind=ChronologyItem.Kind.INTELLIGENCE,
                occurred_at=_at(link.occurred_on),
                occurred_time_known=False,
                summary=summary(
                    "intelligence.link", kind=link.get_kind_display(), entity=entity.label, grading=link.grading,
                    conditional=" — handling code C: share only as its conditions allow" if link.conditional else "",
                ),
                verb=Verb.LINK_RECORDED,
                source=link,
                payload={"kind": link.kind, "entity": entity.pk, "entity_kind": entity.kind, "grading": link.grading},
                language_kept=kept,
            )
        alerts = link_patterns_check(link)
    return LinkOutcome(link=link, alerts=alerts)


def link_entities(*, actor, entity: Entity, other: Entity, details: LinkDetails) -> LinkOutcome:
    """Link two entities (a person uses a phone, drives a vehicle, lives at a place)."""
    require_child_worker(actor)
    _check(details, timezone.localdate())
    if entity.pk == other.pk:
        raise ValidationError({"other": "Choose a different record to link to"})
    with transaction.atomic():
        first, second = sorted((entity.pk, other.pk))
        locked = {e.pk: e for e in Entity.objects.select_for_update(no_key=True).filter(pk__in=(first, second)).order_by("pk")}
        link = _new_link(details, entity=locked[entity.pk], other=locked[other.pk], actor=actor,
                         agency=actor.agency)
        audit_record(verb=Verb.LINK_RECORDED, actor=actor, target=link,
                     payload={"kind": link.kind, "entity": entity.pk, "other": other.pk, "grading": link.grading})
        alerts = link_patterns_check(link)
    return LinkOutcome(link=link, alerts=alerts)


@dataclass(frozen=True)
class MovementDetails:
    to_place: Entity
    occurred_on: date
    from_place: Entity | None = None
    with_person: Entity | None = None
    vehicle: Entity | None = None
    grading: Grading = Grading()
    notes: str = ""


def movement_record(*, access: ChildAccess, details: MovementDetails) -> Movement:
    """A trafficking concern: the child moved from one place to another, with whom, in which vehicle
    (§7). Each part is a link, so the patterns see them; the file gets one chronology item."""
    access.require_change()
    errors = {}
    for name, value, kind in (("to_place", details.to_place, EntityKind.PLACE),
                              ("from_place", details.from_place, EntityKind.PLACE),
                              ("with_person", details.with_person, EntityKind.PERSON),
                              ("vehicle", details.vehicle, EntityKind.VEHICLE)):
        if value is not None and value.kind != kind:
            errors[name] = f"Choose a {EntityKind(kind).label.lower()}"
    if details.from_place is not None and details.from_place.pk == details.to_place.pk:
        errors["to_place"] = "The child moved to a different place"
    if errors:
        raise ValidationError(errors)
    _check(LinkDetails(kind=LinkKind.MOVED_TO, occurred_on=details.occurred_on, grading=details.grading),
           timezone.localdate())
    with transaction.atomic():
        movement = Movement.objects.create(
            child=access.child, from_place=details.from_place, to_place=details.to_place,
            occurred_on=details.occurred_on, with_person=details.with_person, vehicle=details.vehicle,
            recorded_by=access.actor,
        )
        parts = [(details.from_place, LinkKind.MOVED_FROM), (details.to_place, LinkKind.MOVED_TO),
                 (details.with_person, LinkKind.SEEN_WITH), (details.vehicle, LinkKind.PICKED_UP_BY)]
        for part, link_kind in parts:
            if part is not None:
                link_child(access=access, entity=part, movement=movement, record=False, details=LinkDetails(
                    kind=link_kind, occurred_on=details.occurred_on, grading=details.grading, notes=details.notes,
                ))
        record_on_file(
            access,
            kind=ChronologyItem.Kind.INTELLIGENCE,
            occurred_at=_at(details.occurred_on),
            occurred_time_known=False,
            summary=summary(
                "intelligence.movement",
                from_place=f"from {details.from_place.label} " if details.from_place else "",
                to_place=details.to_place.label,
                with_person=f" with {details.with_person.label}" if details.with_person else "",
                vehicle=f" in {details.vehicle.label}" if details.vehicle else "",
            ),
            verb=Verb.MOVEMENT_RECORDED,
            source=movement,
            payload={"to": details.to_place.pk, "from": details.from_place.pk if details.from_place else None},
        )
    return movement


# -- the pattern checks ----------------------------------------------------------------------------


def _children_of_entity(entity_id: int, limit: int) -> list[int]:
    return list(
        Link.objects.filter(entity_id=entity_id, child__isnull=False).values_list("child", flat=True)
        .order_by("child").distinct()[:limit]
    )


def _persons_of_child(child_id: int, limit: int) -> list[int]:
    return list(
        Link.objects.filter(child_id=child_id, entity__kind=EntityKind.PERSON).values_list("entity", flat=True)
        .order_by("entity").distinct()[:limit]
    )


def _children_at_place(place_id: int, around: date, days: int) -> list[tuple[date, int]]:
    window = timedelta(days=days)
    return list(
        Link.objects.filter(
            entity_id=place_id, child__isnull=False, occurred_on__gte=around - window, occurred_on__lte=around + window
        ).values_list("occurred_on", "child").order_by("occurred_on")[:HOT_SPOT_EVENTS]
    )


def link_patterns_check(link: Link) -> list[Alert]:
    """Join the link's network and raise what the link reveals. Call inside the link's transaction,
    with the link's child and entities locked.

    First one indexed read (the unique (pattern, subject) index) finds which of the link's possible
    alerts were raised before: those patterns are not counted again (most saves add to an entity
    or a child whose alert was raised long ago), so a save reads only what could raise a new alert."""
    params = rules_params()
    network = network_join(link)
    entity = link.entity
    subjects: dict[str, str] = {}
    if link.child_id:
        subjects[SHARED_ENTITY] = f"entity:{entity.pk}"
        if entity.kind == EntityKind.PERSON:
            subjects[SEVERAL_PERSONS] = f"child:{link.child_id}"
        if entity.kind == EntityKind.PLACE:
            subjects[HOT_SPOT] = f"entity:{entity.pk}"
    raised_before = set(Alert.objects.filter(
        Q(*[Q(pattern=p, subject_key=k) for p, k in subjects.items()], _connector=Q.OR)
    ).values_list("pattern", flat=True)) if subjects else set()
    to_count = set(subjects) - raised_before
    entity_children: list[int] = []
    child_persons: list[int] = []
    hot_children: set[int] = set()
    if SHARED_ENTITY in to_count:
        entity_children = _children_of_entity(entity.pk, max(params.shared_entity_children, ALERT_CHILDREN))
    if SEVERAL_PERSONS in to_count:
        child_persons = _persons_of_child(link.child_id or 0, params.persons_per_child)
    if HOT_SPOT in to_count:
        hot_children = most_children_in_window(
            _children_at_place(entity.pk, link.occurred_on, params.hot_spot_days),
            anchor=link.occurred_on, days=params.hot_spot_days,
        )
    facts = LinkFacts(
        entity_children=len(entity_children),
        child_persons=len(child_persons),
        place_children_in_period=len(hot_children),
        network_children=network.children,
        network_high_risk=network.high_risk,
    )
    raised = []
    for pattern in patterns_met(facts, params):
        alert = None
        if pattern == SHARED_ENTITY:
            alert = alert_raise(
                pattern=pattern, subject_key=f"entity:{entity.pk}", link=link, entity=entity,
                title=f"{EntityKind(entity.kind).label} {entity.label} is linked to {len(entity_children)} children",
                child_ids=entity_children,
            )
        elif pattern == SEVERAL_PERSONS:
            alert = alert_raise(
                pattern=pattern, subject_key=f"child:{link.child_id}", link=link, child_id=link.child_id,
                title=f"A child is linked to {len(child_persons)} persons of concern",
                child_ids=[link.child_id or 0],
            )
        elif pattern == HOT_SPOT:
            alert = alert_raise(
                pattern=pattern, subject_key=f"entity:{entity.pk}", link=link, entity=entity,
                title=f"Hot spot: {entity.label} is linked to {len(hot_children)} children within "
                f"{params.hot_spot_days} days",
                child_ids=sorted(hot_children),
            )
        elif pattern == NETWORK:
            alert = network_alert(network, link)
        if alert is not None:
            raised.append(alert)
    return raised
