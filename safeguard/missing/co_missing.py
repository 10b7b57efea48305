"""Children missing together (§10.5.4): the pure matching of two episodes' places, people,
vehicles, phones and placement. No database access; ``services.episodes`` stores the links."""

from __future__ import annotations

import re

_SPLIT = re.compile(r"[\n;,]+")
_NOT_WORD = re.compile(r"[^a-z0-9 ]+")


def normalise_item(text: str) -> str:
    """Lower case, punctuation removed, spaces collapsed: "12, Elm St." and "12 elm st" match."""
    return " ".join(_NOT_WORD.sub(" ", text.lower()).split())


def _items(*texts: str) -> set[str]:
    found = set()
    for text in texts:
        for part in _SPLIT.split(text or ""):
            item = normalise_item(part)
            if len(item) >= 3:
                found.add(item)
    return found


# A current-style UK registration (two letters, two digits, three letters), spaces optional.
_REGISTRATION = re.compile(r"\b([a-z]{2}[0-9]{2}) ?([a-z]{3})\b")


def _vehicle_items(text: str) -> set[str]:
    """Each vehicle line, and any registration in it, compared without spaces: "Silver Astra KX12 ABC"
    and "silver astra, kx12abc" share the registration kx12abc."""
    found = set()
    for item in _items(text):
        found.add(item.replace(" ", ""))
        found.update(a + b for a, b in _REGISTRATION.findall(item))
    return found


def shared_things(one, other, linked_one: dict | None = None, linked_other: dict | None = None) -> list[dict]:
    """What two episodes share, as ``[{kind, value}]`` (kinds: place, person, vehicle, phone,
    placement). Takes anything with an episode's text fields, and the intelligence entities linked
    from each episode (``{entity id: (kind, label)}``): the same entity is the surest match."""
    shared = []
    mine, theirs = linked_one or {}, linked_other or {}
    for entity_id in sorted(set(mine) & set(theirs)):
        kind, label = mine[entity_id]
        shared.append({"kind": kind, "value": label, "entity": entity_id})
    kinds = (
        ("place", lambda e: _items(e.last_seen_where, e.found_where, e.addresses)),
        ("person", lambda e: _items(e.who_with, e.names_mentioned)),
        ("vehicle", lambda e: _vehicle_items(e.vehicles)),
        ("phone", lambda e: {re.sub(r"\D", "", p) for p in _items(e.phones)} - {""}),
    )
    already = {(s["kind"], s["value"].replace(" ", "").lower()) for s in shared}
    for kind, extract in kinds:
        for value in sorted(extract(one) & extract(other)):
            if (kind, value.replace(" ", "").lower()) not in already:
                shared.append({"kind": kind, "value": value})
    placement = normalise_item(one.placement)
    if placement and placement == normalise_item(other.placement):
        shared.append({"kind": "placement", "value": placement})
    return shared


_shared_things = shared_things
