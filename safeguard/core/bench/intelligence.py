"""Intelligence for the page benchmark: people, vehicles, phones, accounts and places of concern
linked to the children the police know, so that saving a link has a graph to run its pattern checks
on and the risk panel's agenda has offenders, hot spots and alerts to list.

Written with the bench-data writer (COPY on PostgreSQL with the secondary indexes built once at the
end, batched INSERTs on SQLite), as ``bench/link_bench.py`` loads its graph. Each entity's stored
fields and key come from the intelligence service's own ``entity_key_and_values``, each person's
(and named place's) name index from the sound-alike matcher, as ``entity_save`` writes them.

Links go in in the order they happened (ids by date), each with the chronology item the service
records on the child's file. Their networks are joined and their alerts raised as each save would
have done it, by the same rules (``safeguard.rules.intelligence``): the loaded graph is the steady
state years of saves leave. The networks are written as they end up (no merged-away rows), and the
alerts without recipients or notifications: the police, children's social care and the panel chair
see every alert whatever.

Most links fall within a group of a few children and entities (a handful of people of concern,
their cars, phones and places); a few go to any entity, the busier the likelier, so hubs (a
takeaway, a shopping centre) join groups, as in life. Deterministic for a seed and the database's
children, police staff and day.
"""

from __future__ import annotations

import hashlib
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from safeguard.children.matching import name_words, phonetic_key, second_key
from safeguard.children.models import ChronologyItem, Involvement
from safeguard.children.summaries import summary
from safeguard.intelligence.models import (
    Alert,
    AlertChild,
    Entity,
    EntityKind,
    Link,
    LinkKind,
    Network,
    NetworkMember,
    PersonName,
    PlaceType,
)
from safeguard.intelligence.services import EntityData, entity_key_and_values
from safeguard.platform.rules_settings import rules_params
from safeguard.rules.intelligence import most_children_in_window

from . import names
from .writer import RowWriter, columns, finish, next_id, skip_foreign_key_checks, without_indexes

LINKS_PER_CHILD = 4  # links for each child the police know
ENTITIES_PER_CHILD = 1.0
GROUP = 8  # children in one group; its entities are in proportion
ACROSS = 0.01  # links to any entity outside the child's group
SAVES_ACROSS = 0.05  # the benchmark's saves to an entity outside the child's network
YEARS = 2  # links happened over this many years, more of them recently
ALERT_CHILDREN = 50  # children an alert names, as the service names them

KINDS = [(EntityKind.PERSON, 35), (EntityKind.VEHICLE, 20), (EntityKind.PHONE, 20), (EntityKind.SOCIAL, 10),
         (EntityKind.PLACE, 15)]
LINK_KINDS = {
    EntityKind.PERSON: [LinkKind.SEEN_WITH, LinkKind.SEEN_WITH, LinkKind.ASSOCIATE],
    EntityKind.VEHICLE: [LinkKind.PICKED_UP_BY],
    EntityKind.PHONE: [LinkKind.CALLED_BY],
    EntityKind.SOCIAL: [LinkKind.CALLED_BY],
    EntityKind.PLACE: [LinkKind.SEEN_WITH, LinkKind.VISITED, LinkKind.FOUND_AT],
}
AREAS = ["Northbridge", "Eastmoor", "Westford", "Southgate", "Millbrook", "Riverside", "Hillside", "Oldfield"]
STREETS = ["Station Road", "Mill Lane", "High Street", "Church Street", "Park Road", "Victoria Road", "Elm Grove",
           "Canal Side", "Market Place", "Queen Street"]
PLACES = [(PlaceType.ADDRESS, "", 40), (PlaceType.TAKEAWAY, "Chicken and Pizza", 12), (PlaceType.SHOP, "Shopping Centre", 10),
          (PlaceType.PARK, "Park", 10), (PlaceType.HOTEL, "Guest House", 8), (PlaceType.TRANSPORT, "Bus Station", 8),
          (PlaceType.PUB, "Social Club", 6), (PlaceType.TAXI, "Cars", 6)]
MAKES = [("Audi", "A3"), ("Ford", "Focus"), ("Vauxhall", "Corsa"), ("BMW", "3 Series"), ("Volkswagen", "Golf"),
         ("Mercedes", "A Class"), ("Toyota", "Yaris"), ("Nissan", "Qashqai")]
COLOURS = ["black", "silver", "white", "grey", "blue", "red"]
PLATFORMS = ["snapchat", "instagram", "whatsapp", "tiktok", "facebook", "telegram"]
LETTERS = "ABCDEFGHJKLMNOPRSTUVWXYZ"  # registration letters (no I, Q)
UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # a postcode's last two letters


@dataclass
class Graph:
    """What was written."""

    entities: int = 0
    links: int = 0
    networks: int = 0
    alerts: dict[str, int] = field(default_factory=dict)


def known_children(police_agency_id: int) -> list[int]:
    """The children the police know: the ones links are recorded for (no new agency comes in)."""
    return sorted(Involvement.objects.filter(agency_id=police_agency_id).values_list("child_id", flat=True))


def _letters(n: int, width: int, alphabet: str) -> str:
    out = ""
    for _ in range(width):
        n, r = divmod(n, len(alphabet))
        out = alphabet[r] + out
    return out


def entity_data(kind: str, n: int, rng: random.Random) -> EntityData:
    """The ``n``-th entity of a kind as a police officer would record it; keys unique by ``n``."""
    area = rng.choice(AREAS)
    if kind == EntityKind.PERSON:
        first = names.BOY_NAMES.draw(rng) if rng.random() < 0.85 else names.GIRL_NAMES.draw(rng)
        return EntityData(kind=kind, name=f"{first} {names.surname(rng)}", approx_age=rng.randint(17, 45), area=area)
    if kind == EntityKind.VEHICLE:
        make, model = rng.choice(MAKES)
        prefix = _letters(n // (len(LETTERS) ** 3 * 60), 2, LETTERS)
        return EntityData(kind=kind, registration=f"{prefix}{10 + n // len(LETTERS) ** 3 % 60} "
                          f"{_letters(n, 3, LETTERS)}", make=make, vehicle_model=model, colour=rng.choice(COLOURS))
    if kind == EntityKind.PHONE:
        return EntityData(kind=kind, number=f"077{n:08d}")
    if kind == EntityKind.SOCIAL:
        return EntityData(kind=kind, platform=rng.choice(PLATFORMS), handle=f"@{names.surname(rng).lower()}_{n}")
    place_type, word, _weight = rng.choices(PLACES, weights=[w for *_, w in PLACES])[0]
    street = f"{1 + n % 180} {STREETS[n // 180 % len(STREETS)]}"
    postcode = f"NB{1 + n // 1800 % 99} {n % 10}{_letters(n // 10, 2, UNIT_LETTERS)}"
    return EntityData(kind=kind, name=f"{area} {word}" if word else "", address=f"{street}, {area}", postcode=postcode,
                      place_type=place_type, area=area, of_concern=word != "" and rng.random() < 0.5)


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


class _History:
    """The networks and alerts the links would have made, link by link in time order."""

    def __init__(self) -> None:
        self.params = rules_params()
        self.parent: dict[tuple[str, int], tuple[str, int]] = {}
        self.size: dict[tuple[str, int], int] = {}
        self.children: dict[tuple[str, int], int] = {}
        self.listed: dict[tuple[str, int], tuple[datetime, int, str]] = {}  # root: when, link, title
        self.entity_children: dict[int, list[int]] = {}
        self.child_persons: dict[int, set[int]] = {}
        self.place_events: dict[int, list[tuple[date, int]]] = {}
        self.alerts: list[tuple[str, str, int | None, int | None, int, str, datetime, list[int]]] = []
        self.raised: set[tuple[str, str]] = set()

    def _find(self, node):
        while self.parent[node] != node:
            self.parent[node] = self.parent[self.parent[node]]
            node = self.parent[node]
        return node

    def _node(self, node) -> None:
        if node not in self.parent:
            self.parent[node], self.size[node], self.children[node] = node, 1, int(node[0] == "c")

    def _join(self, child: int, entity: int):
        a, b = ("c", child), ("e", entity)
        self._node(a)
        self._node(b)
        ra, rb = self._find(a), self._find(b)
        if ra == rb:
            return ra
        big, small = (ra, rb) if self.size[ra] >= self.size[rb] else (rb, ra)
        self.parent[small] = big
        self.size[big] += self.size[small]
        self.children[big] += self.children[small]
        if big not in self.listed and small in self.listed:
            self.listed[big] = self.listed[small]
        return big

    def _raise(self, pattern, subject, at, link, title, child_ids, *, entity=None, child=None) -> None:
        self.raised.add((pattern, subject))
        self.alerts.append((pattern, subject, entity, child, link, title[:200], at, child_ids[:ALERT_CHILDREN]))

    def add(self, link: int, child: int, entity: int, kind: str, label: str, day: date, at: datetime) -> None:
        p = self.params
        root = self._join(child, entity)
        if self.children[root] >= p.network_children and root not in self.listed:
            title = (f"A network of {self.size[root]} people, places and things has {self.children[root]} "
                     "children: listed for the risk panel")
            self.listed[root] = (at, link, title)
        around = self.entity_children.setdefault(entity, [])
        if child not in around:
            around.append(child)
        subject = f"entity:{entity}"
        if len(around) >= p.shared_entity_children and ("shared_entity", subject) not in self.raised:
            self._raise("shared_entity", subject, at, link,
                        f"{EntityKind(kind).label} {label} is linked to {len(around)} children", sorted(around),
                        entity=entity)
        if kind == EntityKind.PERSON:
            persons = self.child_persons.setdefault(child, set())
            persons.add(entity)
            if len(persons) >= p.persons_per_child and ("several_persons", f"child:{child}") not in self.raised:
                self._raise("several_persons", f"child:{child}", at, link,
                            f"A child is linked to {len(persons)} persons of concern", [child], child=child)
        if kind == EntityKind.PLACE:
            events = self.place_events.setdefault(entity, [])
            events.append((day, child))
            if ("hot_spot", subject) not in self.raised:
                window = timedelta(days=p.hot_spot_days)
                near = [e for e in events if day - window <= e[0] <= day + window]
                hot = most_children_in_window(near, anchor=day, days=p.hot_spot_days)
                if len(hot) >= p.hot_spot_children:
                    self._raise("hot_spot", subject, at, link, f"Hot spot: {label} is linked to {len(hot)} "
                                f"children within {p.hot_spot_days} days", sorted(hot), entity=entity)

    def groups(self) -> dict:
        found: dict = {}
        for node in self.parent:
            found.setdefault(self._find(node), []).append(node)
        return found


def _entities(rng, count: int, now: datetime, police: int, recorders: list[int], digest) -> list[tuple]:
    """Writes the entities and their name index; returns (id, kind, label) for each."""
    names_, template = columns(Entity, now)
    at = {name: n - 1 for n, name in enumerate(names_)}
    rows = RowWriter(Entity, names_, digest)
    index = RowWriter(PersonName, ["id", "entity", "name", "alias", "word", "key", "key2"], digest)
    entity_id, name_id = next_id(Entity), next_id(PersonName)
    counters: dict[str, int] = {}
    made = []
    for _ in range(count):
        kind = rng.choices([k for k, _ in KINDS], weights=[w for _, w in KINDS])[0]
        n = counters[kind] = counters.get(kind, -1) + 1
        key, values = entity_key_and_values(entity_data(kind, n, rng))
        row = list(template)
        for name, value in {**values, "kind": kind, "key": key, "created_by": rng.choice(recorders),
                            "created_agency": police}.items():
            row[at[name]] = value
        rows.add((entity_id, *row))
        named = values["label"] if kind == EntityKind.PERSON else values.get("place_name", "")
        for word in name_words(named):
            index.add((name_id, entity_id, named[:200], False, word[:100], phonetic_key(word), second_key(word)))
            name_id += 1
        made.append((entity_id, kind, values["label"]))
        entity_id += 1
    rows.flush()
    index.flush()
    return made


def _plan_links(rng, children: list[int], entities: list[tuple], count: int, today: date) -> list[tuple]:
    """(day, child, entity) for each link, in time order: mostly within the child's group."""
    groups = max(1, len(children) // GROUP)
    cumulative = list(itertools.accumulate(1.0 / (1 + n % 997) for n in range(len(entities))))  # a long tail
    planned = []
    for _ in range(count):
        child = rng.randrange(len(children))
        group = child % groups
        if rng.random() < ACROSS:
            entity = rng.choices(range(len(entities)), cum_weights=cumulative)[0]
        else:
            members = range(group, len(entities), groups)
            entity = members[rng.randrange(len(members))] if members else rng.randrange(len(entities))
        day = today - timedelta(days=int(365 * YEARS * rng.random() ** 1.6))
        planned.append((day, children[child], entity))
    planned.sort(key=lambda p: (p[0], p[1], p[2]))
    return planned


@transaction.atomic
def graph_write(*, police_agency_id: int, recorders: list[int], seed: int = 15, today: date | None = None) -> Graph:
    """Write the graph for the children the police know; nothing if there are none. Call it once (the
    caller checks no child has a link yet)."""
    children = known_children(police_agency_id)
    if not children or not recorders:
        return Graph()
    rng = random.Random(f"{seed}-intelligence")
    today = today or timezone.localdate()
    now = timezone.now()
    digest = hashlib.sha256()
    loaded = [Entity, PersonName, Link, Network, NetworkMember, Alert, AlertChild]
    skip_foreign_key_checks()
    rebuild = without_indexes(loaded)
    entities = _entities(rng, max(1, int(len(children) * ENTITIES_PER_CHILD)), now, police_agency_id, recorders, digest)
    link_names, template = columns(Link, now, kind="", child=None, entity=None, occurred_on=None, source_evaluation="",
                                   assessment="", handling="", handling_conditions="", recorded_by=None,
                                   agency=police_agency_id, recorded_at=now)
    at = {name: n - 1 for n, name in enumerate(link_names)}
    links = RowWriter(Link, link_names, digest)
    items = RowWriter(ChronologyItem, ["id", "child", "occurred_at", "occurred_time_known", "recorded_at", "kind",
                                       "agency", "author", "summary", "source_type", "source_id", "url", "tags"], digest)
    link_type = ContentType.objects.get_for_model(Link).pk
    history = _History()
    link_id, item_id = next_id(Link), next_id(ChronologyItem)
    planned = _plan_links(rng, children, entities, len(children) * LINKS_PER_CHILD, today)
    for day, child, position in planned:
        entity, kind, label = entities[position]
        link_kind = rng.choice(LINK_KINDS[kind])
        grading = (rng.choices("123", weights=[30, 60, 10])[0], rng.choices("ABCDE", weights=[20, 35, 35, 8, 2])[0],
                   "C" if rng.random() < 0.05 else "P")
        author = rng.choice(recorders)
        occurred = _at(day)
        recorded = min(now, occurred + timedelta(hours=rng.randint(2, 72)))
        row = list(template)
        for name, value in (("kind", link_kind), ("child", child), ("entity", entity), ("occurred_on", day),
                            ("source_evaluation", grading[0]), ("assessment", grading[1]), ("handling", grading[2]),
                            ("handling_conditions", "Police and children's social care only" if grading[2] == "C" else ""),
                            ("recorded_by", author), ("recorded_at", recorded)):
            row[at[name]] = value
        links.add((link_id, *row))
        text = summary("intelligence.link", kind=LinkKind(link_kind).label, entity=label, grading="/".join(grading),
                       conditional=" — handling code C: share only as its conditions allow" if grading[2] == "C" else "")
        items.add((item_id, child, occurred, False, recorded, ChronologyItem.Kind.INTELLIGENCE, police_agency_id, author,
                   text[:300], link_type, link_id, reverse("intelligence:entity", kwargs={"entity_id": entity}), []))
        history.add(link_id, child, entity, kind, label, day, recorded)
        link_id += 1
        item_id += 1
    links.flush()
    items.flush()
    graph = Graph(entities=len(entities), links=len(planned))
    graph.networks, graph.alerts = _networks_and_alerts(history, now, digest)
    rebuild()
    finish([*loaded, ChronologyItem])
    return graph


def write_networks(groups: dict[Any, list[tuple[str, int]]], *, listed_at: Callable[[Any, int], datetime | None],
                   now: datetime, digest) -> dict[Any, tuple[int, list[int]]]:
    """A network row for each group of joined nodes (``("c", child)`` or ``("e", entity)``) and a member
    row for each node; ``listed_at(root, children)`` says when the network was listed for the panel.
    Returns each group's network id and its children, in order (the page benchmark's graph and
    bench/link_bench.py)."""
    networks = RowWriter(Network, ["id", "size", "children", "high_risk", "merged_into", "listed_at", "created_at"], digest)
    members = RowWriter(NetworkMember, ["id", "network", "child", "entity"], digest)
    network_id, member_id = next_id(Network), next_id(NetworkMember)
    written: dict[Any, tuple[int, list[int]]] = {}
    for root, nodes in groups.items():
        kids = sorted(pk for k, pk in nodes if k == "c")
        networks.add((network_id, len(nodes), len(kids), False, None, listed_at(root, len(kids)), now))
        written[root] = (network_id, kids)
        for k, pk in nodes:
            members.add((member_id, network_id, pk, None) if k == "c" else (member_id, network_id, None, pk))
            member_id += 1
        network_id += 1
    networks.flush()
    members.flush()
    return written


def _networks_and_alerts(history: _History, now: datetime, digest) -> tuple[int, dict[str, int]]:
    written = write_networks(history.groups(), now=now, digest=digest,
                             listed_at=lambda root, _children: history.listed[root][0] if root in history.listed else None)
    network_of = {root: network for root, (network, _kids) in written.items()}
    kids_of = dict(written.values())
    alerts = RowWriter(Alert, ["id", "pattern", "subject_key", "entity", "child", "network", "link", "title",
                               "raised_at"], digest)
    concerns = RowWriter(AlertChild, ["id", "alert", "child"], digest)
    alert_id, concern_id = next_id(Alert), next_id(AlertChild)
    counts: dict[str, int] = {}
    raised = list(history.alerts)
    for root, (at, link, title) in history.listed.items():
        if root in network_of:  # a network listed, then merged into a bigger one, is that one's now
            listed = network_of[root]
            raised.append(("network", f"network:{listed}", None, None, link, title, at, kids_of[listed][:ALERT_CHILDREN]))
    for pattern, subject, entity, child, link, title, at, child_ids in sorted(raised, key=lambda a: (a[6], a[4], a[0])):
        network = int(subject.split(":")[1]) if pattern == "network" else None
        alerts.add((alert_id, pattern, subject, entity, child, network, link, title, at))
        for concerned in dict.fromkeys(child_ids):
            concerns.add((concern_id, alert_id, concerned))
            concern_id += 1
        counts[pattern] = counts.get(pattern, 0) + 1
        alert_id += 1
    alerts.flush()
    concerns.flush()
    return len(written), counts


def link_pairs(*, police_agency_id: int, count: int, seed: int = 15) -> list[tuple[int, int]]:
    """(child, entity) pairs not linked yet, one for each link save the benchmark makes: a child the
    police know and, most often, an entity already in the child's network (a new sighting around
    it); one in twenty an entity anywhere, the busier the likelier, which joins two networks."""
    children = known_children(police_agency_id)
    drawn = list(Link.objects.filter(child__isnull=False).order_by("pk").values_list("entity_id", flat=True))
    if not children or not drawn:
        return []
    network_of = dict(NetworkMember.objects.filter(child__isnull=False).values_list("child_id", "network_id"))
    around: dict[int, list[int]] = {}
    for network, entity in NetworkMember.objects.filter(entity__isnull=False).order_by("pk").values_list(
            "network_id", "entity_id"):
        around.setdefault(network, []).append(entity)
    rng = random.Random(f"{seed}-link-saves")
    wanted = []
    for _ in range(count * 2):
        child = children[rng.randrange(len(children))]
        near = around.get(network_of.get(child, 0), [])
        entity = near[rng.randrange(len(near))] if near and rng.random() >= SAVES_ACROSS else drawn[rng.randrange(len(drawn))]
        wanted.append((child, entity))
    chosen = sorted({c for c, _ in wanted})
    linked: set[tuple[int, int]] = set()
    for start in range(0, len(chosen), 500):
        linked.update(Link.objects.filter(child_id__in=chosen[start:start + 500]).values_list("child_id", "entity_id"))
    pairs = list(dict.fromkeys(p for p in wanted if p not in linked))
    return pairs[:count]
