"""Which patterns a newly saved link reveals (intelligence.md "Patterns", handbook §10.1.4, §10.2.4,
§10.6.6, §11.2, §13, §15). Plain Python: the caller counts, this decides.

The counts are what the link's save reads from indexed tables (see docs/intelligence.md): how many
different children the linked entity now has, how many persons of concern the child now has, how
many children the place has within the hot-spot period, and the network's size and risk after the
link joined it. Each count may be capped at the threshold by the caller (it only needs to know
whether the threshold is reached).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .params import Params

SHARED_ENTITY = "shared_entity"
SEVERAL_PERSONS = "several_persons"
HOT_SPOT = "hot_spot"
NETWORK = "network"

# code → (what the pattern is, handbook §)
PATTERNS: dict[str, tuple[str, str]] = {
    SHARED_ENTITY: ("One person, vehicle, phone, account or place linked to several children", "13"),
    SEVERAL_PERSONS: ("Several persons of concern around one child", "10.1.4"),
    HOT_SPOT: ("A place linked to several children within the period (hot spot)", "15"),
    NETWORK: ("A connected network with several children, or a child at high risk, for the risk panel", "11.2"),
}


@dataclass(frozen=True)
class LinkFacts:
    """What a save knows after the link is written."""

    entity_children: int  # different children linked to the entity (0 for an entity-entity link)
    child_persons: int  # persons of concern linked to the child (0 when no child or not a person)
    place_children_in_period: int  # different children at the place within hot_spot_days (0 if not a place)
    network_children: int
    network_high_risk: bool


def patterns_met(facts: LinkFacts, params: Params) -> list[str]:
    """The pattern codes the facts meet, in the order of ``PATTERNS``."""
    met = []
    if facts.entity_children >= params.shared_entity_children:
        met.append(SHARED_ENTITY)
    if facts.child_persons >= params.persons_per_child:
        met.append(SEVERAL_PERSONS)
    if facts.place_children_in_period >= params.hot_spot_children:
        met.append(HOT_SPOT)
    if facts.network_children >= params.network_children or (facts.network_high_risk and facts.network_children):
        met.append(NETWORK)
    return met


def most_children_in_window(events: list[tuple[date, int]], *, anchor: date, days: int) -> set[int]:
    """The largest set of different children seen at a place within any ``days``-long period that
    includes ``anchor`` (the new link's date). ``events`` are (date, child id) pairs, any order.
    One pass with two pointers over the sorted events."""
    ordered = sorted(events)
    span = timedelta(days=days)
    counts: dict[int, int] = {}
    best: set[int] = set()
    j = 0
    for i, (start, _child) in enumerate(ordered):
        if i > 0:  # the window no longer starts at the previous event
            previous = ordered[i - 1][1]
            counts[previous] -= 1
            if not counts[previous]:
                del counts[previous]
        j = max(j, i)
        while j < len(ordered) and ordered[j][0] <= start + span:
            counts[ordered[j][1]] = counts.get(ordered[j][1], 0) + 1
            j += 1
        if start <= anchor <= start + span and len(counts) > len(best):
            best = set(counts)
    return best
