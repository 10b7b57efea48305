"""Every read of intelligence, bounded by a limit, with children named only to those who may see them.

The five selectors other apps call (meetings, reports) keep these names and keyword-only arguments:
``persons_of_concern_for_children``, ``hot_spots``, ``entities_by_linked_children``,
``alerts_since`` and ``disruption_actions_in_period``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Q, QuerySet

from safeguard.access.intelligence import (
    alerts_visible_to,
    entities_linkable_by,
    entities_visible_to,
    links_visible_q,
    may_see_intelligence,
    visible_child_ids,
)
from safeguard.access.policy import children_visible_to
from safeguard.children.matching import MATCH_THRESHOLD, name_similarity, name_words, phonetic_key, second_key
from safeguard.children.models import Child, Involvement

from . import keys
from .models import (
    Alert,
    AlertAction,
    AlertRecipient,
    Disruption,
    Entity,
    EntityKind,
    Link,
    Network,
    NetworkMember,
    NrmReferral,
)
from .services.entities import PLATFORMS

MAX_LIMIT = 200


def _limit(limit: int) -> int:
    return max(1, min(int(limit), MAX_LIMIT))


def _day(moment: date | datetime | None) -> date | None:
    if moment is None:
        return None
    return moment.date() if isinstance(moment, datetime) else moment


# -- how a child is shown ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChildRef:
    """A child as intelligence shows them: by name to someone who may see them, otherwise as "a
    child known to <agency>"."""

    child_id: int
    label: str
    visible: bool


def child_refs(user, child_ids: Iterable[int], *, children: QuerySet[Child] | None = None) -> dict[int, ChildRef]:
    """ChildRef for each id, in two queries (which are visible; the records and their lead agency)."""
    ids = set(child_ids)
    if not ids:
        return {}
    visible = visible_child_ids(user, ids, children=children)
    records = Child.objects.select_related("lead_agency").in_bulk(ids)
    missing_agency = [pk for pk, c in records.items() if c.lead_agency_id is None]
    fallback: dict[int, str] = {}
    if missing_agency:
        for child_id, name in (
            Involvement.objects.filter(child_id__in=missing_agency).order_by("since")
            .values_list("child_id", "agency__name")
        ):
            fallback.setdefault(child_id, name)
    refs = {}
    for pk in ids:
        record = records.get(pk)
        if record is None:
            continue
        if pk in visible:
            refs[pk] = ChildRef(pk, record.full_name, True)
        else:
            agency = record.lead_agency.name if record.lead_agency else fallback.get(pk, "another agency")
            refs[pk] = ChildRef(pk, f"a child known to {agency}", False)
    return refs


# -- the selectors other apps call ------------------------------------------------------------------


@dataclass
class PersonOfConcern:
    person: Entity
    children: list[ChildRef]
    latest_disruption: Disruption | None
    conditional: bool = False  # some link to this person carries handling code C


def persons_of_concern_for_children(*, user, child_ids: Iterable[int], limit: int = 50) -> list[PersonOfConcern]:
    """Persons of concern linked to these children, each with every child they are linked to (named
    only where the user may see the child) and their latest disruption action. Intelligence roles
    see persons around any of the children; others only around children they may see."""
    ids = set(child_ids)
    if not may_see_intelligence(user):
        ids = visible_child_ids(user, ids)
    if not ids:
        return []
    limit = _limit(limit)
    person_ids = list(
        Link.objects.filter(child_id__in=ids, entity__kind=EntityKind.PERSON)
        .values_list("entity", flat=True).order_by("entity").distinct()[:limit]
    )
    persons = Entity.objects.in_bulk(person_ids)
    pairs = list(
        Link.objects.filter(entity_id__in=person_ids, child__isnull=False)
        .values_list("entity", "child").order_by("entity", "child").distinct()[: limit * 20]
    )
    conditional = set(
        Link.objects.filter(entity_id__in=person_ids, handling="C").values_list("entity", flat=True).distinct()
    )
    refs = child_refs(user, {child for _e, child in pairs})
    children_of: dict[int, list[ChildRef]] = defaultdict(list)
    for entity_id, child_id in pairs:
        if child_id in refs:
            children_of[entity_id].append(refs[child_id])
    latest: dict[int, Disruption] = {}
    for disruption in (
        Disruption.objects.filter(entity_id__in=person_ids).select_related("agency")
        .order_by("entity", "-occurred_on", "-id")
    ):
        latest.setdefault(disruption.entity_id, disruption)
    rows = [
        PersonOfConcern(persons[pk], children_of.get(pk, []), latest.get(pk), pk in conditional)
        for pk in person_ids if pk in persons
    ]
    rows.sort(key=lambda r: (-len(r.children), r.person.label))
    return rows


@dataclass(frozen=True)
class HotSpot:
    """A place (``place`` set) or an area (``place`` None) and the different children linked to it
    in the period."""

    place: Entity | None
    area: str
    children: int

    @property
    def label(self) -> str:
        return self.place.label if self.place is not None else self.area


def _period(queryset: QuerySet[Link], since, until) -> QuerySet[Link]:
    queryset = queryset.filter(occurred_on__gte=_day(since))
    if until is not None:
        queryset = queryset.filter(occurred_on__lte=_day(until))
    return queryset


def hot_spots(*, since: date | datetime, until: date | datetime | None = None, min_children: int = 3,
              limit: int = 50) -> list[HotSpot]:
    """Places, and areas, with at least ``min_children`` different children linked in the period,
    most children first. Counts only: no child is named."""
    limit = _limit(limit)
    linked = _period(Link.objects.filter(child__isnull=False, entity__kind=EntityKind.PLACE), since, until)
    by_place = list(
        linked.values("entity").annotate(n=Count("child", distinct=True)).filter(n__gte=min_children)
        .order_by("-n", "entity").values_list("entity", "n")[:limit]
    )
    by_area = list(
        linked.exclude(entity__area="").values("entity__area").annotate(n=Count("child", distinct=True))
        .filter(n__gte=min_children).order_by("-n", "entity__area").values_list("entity__area", "n")[:limit]
    )
    places = Entity.objects.in_bulk([pk for pk, _n in by_place])
    rows = [HotSpot(places[pk], places[pk].area, n) for pk, n in by_place if pk in places]
    rows += [HotSpot(None, area, n) for area, n in by_area]
    rows.sort(key=lambda r: (-r.children, r.place is None, r.label))
    return rows[:limit]


@dataclass(frozen=True)
class EntityCount:
    entity: Entity
    children: int


def entities_by_linked_children(*, kind: str, since: date | datetime, until: date | datetime | None = None,
                                limit: int = 50) -> list[EntityCount]:
    """Vehicles, persons, phones (any ``kind``) ranked by the different children linked to each in
    the period (for the local problem profile). Counts only."""
    if kind not in EntityKind.values:
        raise ValueError(f"unknown entity kind {kind!r}")
    grouped = list(
        _period(Link.objects.filter(child__isnull=False, entity__kind=kind), since, until)
        .values("entity").annotate(n=Count("child", distinct=True)).order_by("-n", "entity")
        .values_list("entity", "n")[: _limit(limit)]
    )
    found = Entity.objects.in_bulk([pk for pk, _n in grouped])
    return [EntityCount(found[pk], n) for pk, n in grouped if pk in found]


def alerts_since(*, user, since: datetime, limit: int = 50) -> list[Alert]:
    """Pattern alerts raised since ``since`` that the user may see, newest first. Titles name no child."""
    return list(
        alerts_visible_to(user).filter(raised_at__gte=since).select_related("entity", "network")
        .order_by("-raised_at", "-id")[: _limit(limit)]
    )


@dataclass
class DisruptionSummary:
    count: int
    by_action: dict[str, int]
    actions: list[Disruption] = field(default_factory=list)  # the newest, at most MAX_LIMIT


def disruption_actions_in_period(*, since: date | datetime, until: date | datetime) -> DisruptionSummary:
    """Disruption actions in the period (inclusive dates): how many, by action, and the newest."""
    period = Disruption.objects.filter(occurred_on__gte=_day(since), occurred_on__lte=_day(until))
    by_action = dict(period.values("action").annotate(n=Count("pk")).order_by("action").values_list("action", "n"))
    actions = list(period.select_related("entity", "agency").order_by("-occurred_on", "-id")[:MAX_LIMIT])
    return DisruptionSummary(count=sum(by_action.values()), by_action=by_action, actions=actions)


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
    from .models import PersonName

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


def links_for_entity(*, user, entity: Entity, limit: int = 100,
                     children: QuerySet[Child] | None = None) -> list[LinkRow]:
    """The entity's links, newest first, children named only where the user may see them; a
    practitioner sees only the links on their own children and links between entities."""
    links = list(
        Link.objects.filter(Q(entity=entity) | Q(other=entity)).filter(links_visible_q(user, children=children))
        .select_related("entity", "other", "agency", "recorded_by").order_by("-occurred_on", "-id")[: _limit(limit)]
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


# -- the network view ------------------------------------------------------------------------------


@dataclass
class Node:
    id: str
    kind: str  # "child" or an EntityKind
    label: str
    visible: bool = True
    url_id: int | None = None  # entity id or child id, for the page to link to
    of_concern: bool = False


@dataclass
class Edge:
    source: str
    target: str
    kind: str
    label: str
    occurred_on: date
    grading: str
    conditional: bool
    source_label: str = ""
    target_label: str = ""


@dataclass
class Graph:
    network: Network
    nodes: list[Node]
    edges: list[Edge]
    truncated: bool
    disruptions: list[Disruption]

    @property
    def entities_count(self) -> int:
        return sum(1 for n in self.nodes if n.kind != "child")

    def elements(self) -> list[dict]:
        """The graph as cytoscape.js elements (labels already filtered by access)."""
        nodes = [{"data": {"id": n.id, "label": n.label, "kind": n.kind, "concern": n.of_concern}}
                 for n in self.nodes]
        edges = [{"data": {"id": f"l{i}", "source": e.source, "target": e.target, "label": e.label,
                           "conditional": e.conditional}} for i, e in enumerate(self.edges)]
        return nodes + edges


NETWORK_NODES = 200  # nodes drawn at most; the page says when a network is larger


def network_graph(*, user, network: Network, limit: int = NETWORK_NODES,
                  children: QuerySet[Child] | None = None) -> Graph:
    """The network's nodes and links for the drawing and its table equivalent. A child the user may
    not see is a node labelled "a child known to <agency>" with no link to the record."""
    limit = _limit(limit)
    members = list(
        NetworkMember.objects.filter(network=network).select_related("entity").order_by("child", "entity")[: limit + 1]
    )
    truncated = len(members) > limit
    members = members[:limit]
    child_ids = {m.child_id for m in members if m.child_id}
    entity_ids = {m.entity_id for m in members if m.entity_id}
    refs = child_refs(user, child_ids, children=children)
    nodes = []
    for m in members:
        if m.child_id:
            ref = refs.get(m.child_id)
            if ref is not None:
                nodes.append(Node(f"c{m.child_id}", "child", ref.label, ref.visible,
                                  m.child_id if ref.visible else None))
        elif m.entity is not None:
            nodes.append(Node(f"e{m.entity_id}", m.entity.kind, m.entity.label, True, m.entity_id,
                              m.entity.of_concern))
    links = list(
        Link.objects.filter(entity_id__in=entity_ids)
        .filter(Q(child_id__in=child_ids) | Q(other_id__in=entity_ids))
        .order_by("-occurred_on", "-id")[: limit * 5]
    )
    labels = {n.id: n.label for n in nodes}
    edges = []
    for lk in links:
        source = f"c{lk.child_id}" if lk.child_id else f"e{lk.other_id}"
        target = f"e{lk.entity_id}"
        if source in labels and target in labels:
            edges.append(Edge(source, target, lk.kind, lk.get_kind_display(), lk.occurred_on, lk.grading,
                              lk.conditional, labels[source], labels[target]))
    disruptions = list(
        Disruption.objects.filter(entity_id__in=entity_ids).select_related("entity", "agency")
        .order_by("-occurred_on", "-id")[:50]
    )
    return Graph(network, nodes, edges, truncated, disruptions)


# -- alerts ------------------------------------------------------------------------------------------


def alerts_for(user, *, limit: int = 50, offset: int = 0) -> list[Alert]:
    return list(
        alerts_visible_to(user).select_related("entity", "network").order_by("-raised_at", "-id")
        [offset: offset + _limit(limit)]
    )


@dataclass
class AlertDetail:
    alert: Alert
    children: list[ChildRef]
    recipients: list[AlertRecipient]
    actions: list[AlertAction]
    network: Network | None


def alert_detail(*, user, alert: Alert, children: QuerySet[Child] | None = None) -> AlertDetail:
    child_ids = list(alert.alert_children.values_list("child", flat=True)[:MAX_LIMIT])
    refs = child_refs(user, child_ids, children=children)
    network = alert.network
    if network is None:
        network = network_of(entity_id=alert.entity_id) if alert.entity_id else network_of(child_id=alert.child_id)
    while network is not None and network.merged_into_id is not None:
        network = Network.objects.get(pk=network.merged_into_id)
    return AlertDetail(
        alert=alert,
        children=[refs[c] for c in child_ids if c in refs],
        recipients=list(alert.recipients.select_related("user", "user__agency").order_by("why", "user__last_name")),
        actions=list(alert.actions.select_related("by", "agency")),
        network=network,
    )


def alert_counts_by_pattern(user) -> dict[str, int]:
    return dict(Counter(alerts_visible_to(user).values_list("pattern", flat=True)[:1000]))


def review_list_for(user, *, limit: int = 50):
    """Earlier free text waiting for a named lead of the recording agency to review."""
    from .models import FreeTextReview

    if not (user.agency_id and may_see_intelligence(user)):
        return []
    return list(
        FreeTextReview.objects.filter(agency_id=user.agency_id, reviewed_at__isnull=True)
        .filter(child__in=children_visible_to(user)).order_by("id")[: _limit(limit)]
    )


def entity_search_one(*, user, entity_id: int, kind: str = "") -> Entity | None:
    """One entity the user may pick (a picker's chosen value), or None."""
    found = entities_linkable_by(user).filter(pk=entity_id)
    if kind:
        found = found.filter(kind=kind)
    return found.first()


def review_item_for(user, item_id: int):
    """One free-text item for the user's agency to review, or Http404."""
    from django.http import Http404

    from .models import FreeTextReview

    item = FreeTextReview.objects.filter(
        pk=item_id, agency_id=user.agency_id, child__in=children_visible_to(user)
    ).first() if user.agency_id else None
    if item is None:
        raise Http404("No such record")
    return item
