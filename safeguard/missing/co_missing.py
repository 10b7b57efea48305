"""Children missing together (§10.5.4): the pure matching of two episodes' places, people,
vehicles, phones and placement. No database access; ``services.episodes`` stores the links."""

from __future__ import annotations

import re

_SPLIT = re.compile(r"[\n;,]+")
_NOT_WORD = re.compile(r"[^a-z0-9 ]+")


def normalise_item(text: str) -> str:
    """Lower case, punctuation removed, spaces collapsed: "12, Elm St." and "12 elm st" match."""
    return " ".join(_NOT_WORD.sub(" ", text.lower()).split())


def _recorded(*texts: str) -> dict[str, str]:
    """Each item's comparison key, mapped to the item as it was recorded (first one wins)."""
    found: dict[str, str] = {}
    for text in texts:
        for part in _SPLIT.split(text or ""):
            item = normalise_item(part)
            if len(item) >= 3:
                found.setdefault(item, " ".join(part.split()))
    return found


# A current-style UK registration (two letters, two digits, three letters), spaces optional.
_REGISTRATION = re.compile(r"\b([a-z]{2}[0-9]{2}) ?([a-z]{3})\b")


def _vehicle_recorded(text: str) -> dict[str, str]:
    """Each vehicle line, and any registration in it, compared without spaces: "Silver Astra KX12 ABC"
    and "silver astra, kx12abc" share the registration kx12abc. A registration is shown as
    registrations are written (KX12 ABC), a whole line as it was recorded."""
    found: dict[str, str] = {}
    for item, as_recorded in _recorded(text).items():
        for a, b in _REGISTRATION.findall(item):
            found[a + b] = f"{a} {b}".upper()
        found.setdefault(item.replace(" ", ""), as_recorded)
    return found


def _phone_recorded(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for part in _SPLIT.split(text or ""):
        digits = re.sub(r"\D", "", part)
        if len(digits) >= 3:
            found.setdefault(digits, " ".join(part.split()))
    return found


def shared_things(one, other) -> list[dict]:
    """What two episodes share, as ``[{kind, value, shown}]`` (kinds: place, person, vehicle, phone,
    placement): ``value`` is the comparison key, ``shown`` the thing as ``one`` recorded it (what a
    page says). Takes anything with an episode's text fields."""
    shared = []
    kinds = (
        ("place", lambda e: _recorded(e.last_seen_where, e.found_where, e.addresses)),
        ("person", lambda e: _recorded(e.who_with, e.names_mentioned)),
        ("vehicle", lambda e: _vehicle_recorded(e.vehicles)),
        ("phone", lambda e: _phone_recorded(e.phones)),
    )
    for kind, extract in kinds:
        mine = extract(one)
        for value in sorted(mine.keys() & extract(other).keys()):
            shared.append({"kind": kind, "value": value, "shown": mine[value]})
    placement = normalise_item(one.placement)
    if placement and placement == normalise_item(other.placement):
        shared.append({"kind": "placement", "value": placement, "shown": " ".join(one.placement.split())})
    return shared


def shared_text(shared: list[dict]) -> list[str]:
    """How a page lists what two episodes shared: kind and the thing as recorded (a link stored before
    ``shown`` was kept shows its key)."""
    return [f"{thing['kind']} “{thing.get('shown') or thing['value']}”" for thing in shared]


_shared_things = shared_things
