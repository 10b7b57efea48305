"""Entities, search, likely matches and links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet

from safeguard.access.intelligence import (
    entities_linkable_by,
    entities_visible_to,
    links_visible_q,
)
from safeguard.children.matching import MATCH_THRESHOLD, name_similarity, name_words, phonetic_key, second_key
from safeguard.children.models import Child

from .. import keys
from ..models import (
    Disruption,
    Entity,
    EntityKind,
    HandlingCode,
    Link,
    Network,
    NetworkMember,
    NrmReferral,
)
from ..services.entities import PLATFORMS
from ._common import ChildRef, _limit, child_refs

# -- entities and search ------------------------------------------------------------------------


@dataclass(frozen=True)
class LikelyMatch:
    entity: Entity
    score: float


def person_likely_matches(*, name: str, approx_age: int | None = None, date_of_birth: date | None = None,
                          limit: int = 5) -> list[LikelyMatch]:
    """People already recorded whose name sounds like ``name`` (any word, the children app's
    matcher) and whose age is near, best first. Looks up the sound-alike keys (indexed)."""
    words = name_words(name)[:4]
    if not words:
        return []
    codes = {phonetic_key(w) for w in words} | {second_key(w) for w in words}
    codes.discard("")
    from ..models import PersonName

    candidates = (
        PersonName.objects.filter(Q(key__in=codes) | Q(key2__in=codes) | Q(word__in=words))
        .values_list("entity", flat=True).distinct()[:200]
    )
    people = Entity.objects.filter(pk__in=list(candidates), kind=EntityKind.PERSON).prefetch_related("names")
    found = []
    for person in people:
        known = {n.name for n in person.names.all()} | {person.label}
        score = max(_name_score(name, other) for other in known)
        age = approx_age
        if age is None and date_of_birth is not None:
            age = date.today().year - date_of_birth.year
        their_age = person.approx_age
        if their_age is None and person.date_of_birth is not None:
            their_age = date.today().year - person.date_of_birth.year
        if age is not None and their_age is not None:
            score += 0.05 if abs(age - their_age) <= 3 else -0.15
        if score >= MATCH_THRESHOLD:
            found.append(LikelyMatch(person, round(score, 3)))
    found.sort(key=lambda m: (-m.score, m.entity.pk))
    return found[:limit]


def _name_score(typed: str, known: str) -> float:
    """Every typed word against its best word of the known name, averaged."""
    a, b = name_words(typed), name_words(known)
    if not a or not b:
        return 0.0
    parts_a = a[:-1] if len(a) > 1 else a
    parts_b = b[:-1] if len(b) > 1 else b
    return sum(max(name_similarity(x, y) for y in parts_b) for x in parts_a) / len(parts_a)


def entity_search(*, user, query: str, kind: str = "", limit: int = 20,
                  children: QuerySet[Child] | None = None, for_linking: bool = False) -> list[Entity]:
    """Entities the user may see (``for_linking``: may pick, see ``entities_linkable_by``) matching a
    registration, phone number, handle, postcode or part of a name or label. Key lookups are exact
    on indexed columns; a name fragment uses the sound-alike keys."""
    text = (query or "").strip()
    if len(text) < 2:
        return []
    visible = entities_linkable_by(user) if for_linking else entities_visible_to(user, children=children)
    if kind:
        visible = visible.filter(kind=kind)
    condition = Q(pk__in=[])
    plate = keys.registration_key(text)
    if len(plate) >= 3:
        condition |= Q(kind=EntityKind.VEHICLE, key__startswith=plate)
    try:
        condition |= Q(kind=EntityKind.PHONE, key=keys.phone_key(text))
    except ValueError:
        pass
    digits = "".join(c for c in text if c.isdigit())
    if len(digits) >= 6:
        condition |= Q(kind=EntityKind.PHONE, key__endswith=digits[-9:])
    handle = text.lstrip("@").lower()
    condition |= Q(kind=EntityKind.SOCIAL, key__in=[keys.handle_key(p, handle) for p in PLATFORMS])
    try:
        condition |= Q(postcode=keys.postcode_key(text))
    except ValueError:
        if plate and len(plate) <= 4:
            condition |= Q(postcode__startswith=text.upper().strip())
    words = name_words(text)
    if words:
        codes = {phonetic_key(w) for w in words} - {""}
        condition |= Q(names__key__in=codes) | Q(names__word__startswith=words[0])
    return list(visible.filter(condition).distinct().order_by("kind", "label", "pk")[: _limit(limit)])


@dataclass
class LinkRow:
    link: Link
    child: ChildRef | None
    other: Entity | None


def links_exportable_q(user) -> Q:
    """Links that may leave the product for the user's agency (an API read, an export): handling code
    P, or code C where the user's agency recorded it or is one its conditions name (``shared_with``).
    A C link is shown, marked, on the product's own pages; it is never exported beyond its conditions
    (intelligence.md, 3x5x2 grading)."""
    agency_id = getattr(user, "agency_id", None)
    if agency_id is None:
        return Q(handling=HandlingCode.PERMITTED)
    named = Link.shared_with.through.objects.filter(link=OuterRef("pk"), agency_id=agency_id)
    return Q(handling=HandlingCode.PERMITTED) | Q(agency_id=agency_id) | Q(Exists(named))


def links_for_entity(*, user, entity: Entity, limit: int = 100, children: QuerySet[Child] | None = None,
                     export: bool = False) -> list[LinkRow]:
    """The entity's links, newest first, children named only where the user may see them; a
    practitioner sees only the links on their own children and links between entities. ``export``:
    for an answer that leaves the product (the API), without the code C links outside their conditions."""
    links = list(
        Link.objects.filter(Q(entity=entity) | Q(other=entity)).filter(links_visible_q(user, children=children))
        .filter(links_exportable_q(user) if export else Q())
        .select_related("entity", "other", "agency", "recorded_by")
        .prefetch_related(*(["shared_with"] if export else [])).order_by("-occurred_on", "-id")[: _limit(limit)]
    )
    refs = child_refs(user, {lk.child_id for lk in links if lk.child_id}, children=children)
    rows = []
    for lk in links:
        other = None
        if lk.child_id is None:
            other = lk.other if lk.entity_id == entity.pk else lk.entity
        rows.append(LinkRow(lk, refs.get(lk.child_id) if lk.child_id else None, other))
    return rows


def links_for_child(child: Child, *, limit: int = 100) -> list[Link]:
    """A child's links, newest first (the caller holds the child's access)."""
    return list(
        Link.objects.filter(child=child).select_related("entity", "agency", "recorded_by")
        .order_by("-occurred_on", "-id")[: _limit(limit)]
    )


def disruptions_for_entity(entity: Entity, *, limit: int = 50) -> list[Disruption]:
    return list(
        Disruption.objects.filter(entity=entity).select_related("agency", "recorded_by")
        .order_by("-occurred_on", "-id")[: _limit(limit)]
    )


def nrm_for_child(child: Child) -> list[NrmReferral]:
    return list(NrmReferral.objects.filter(child=child).select_related("first_responder", "referred_by")[:20])


def network_of(*, child_id: int | None = None, entity_id: int | None = None) -> Network | None:
    member = NetworkMember.objects.select_related("network").filter(
        **({"child_id": child_id} if child_id is not None else {"entity_id": entity_id})
    ).first()
    return member.network if member is not None else None


def entity_search_one(*, user, entity_id: int, kind: str = "") -> Entity | None:
    """One entity the user may pick (a picker's chosen value), or None."""
    found = entities_linkable_by(user).filter(pk=entity_id)
    if kind:
        found = found.filter(kind=kind)
    return found.first()




def entities_linked_from(model, source_ids: list[int]) -> dict[int, dict[int, tuple[str, str]]]:
    """For records of ``model`` (e.g. missing episodes), the entities linked from each:
    ``{source id: {entity id: (kind, label)}}``. One indexed query (link_source)."""
    from django.contrib.contenttypes.models import ContentType

    if not source_ids:
        return {}
    found: dict[int, dict[int, tuple[str, str]]] = {}
    rows = Link.objects.filter(
        source_type=ContentType.objects.get_for_model(model), source_id__in=source_ids
    ).values_list("source_id", "entity_id", "entity__kind", "entity__label")
    for source_id, entity_id, kind, label in rows:
        if source_id is not None:
            found.setdefault(source_id, {})[entity_id] = (kind, label)
    return found
