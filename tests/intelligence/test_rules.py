"""The pattern rules as tables of scenarios (safeguard/rules/intelligence.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from safeguard.rules import Params
from safeguard.rules.intelligence import LinkFacts, most_children_in_window, patterns_met

D = date(2026, 6, 1)


@pytest.mark.parametrize(("facts", "expected"), [
    (LinkFacts(1, 0, 0, 1, False), []),
    (LinkFacts(2, 0, 0, 2, False), ["shared_entity"]),
    (LinkFacts(1, 2, 0, 1, False), ["several_persons"]),
    (LinkFacts(3, 0, 3, 3, False), ["shared_entity", "hot_spot", "network"]),
    (LinkFacts(1, 0, 2, 1, False), []),
    (LinkFacts(1, 0, 0, 1, True), ["network"]),
    (LinkFacts(0, 0, 0, 0, True), []),  # an entity-only network with no child is not listed
])
def test_patterns_met(facts, expected):
    assert patterns_met(facts, Params()) == expected


def test_thresholds_are_local_policy():
    params = Params(shared_entity_children=3, network_children=5)
    assert patterns_met(LinkFacts(2, 0, 0, 4, False), params) == []


def _days(*offsets):
    return [D + timedelta(days=o) for o in offsets]


@pytest.mark.parametrize(("events", "anchor", "expected"), [
    ([(D, 1), (D, 2), (D, 3)], D, {1, 2, 3}),
    ([(D - timedelta(days=100), 1), (D - timedelta(days=10), 2), (D, 3)], D, {2, 3}),
    # A late-recorded earlier link: the window may start before and end after it.
    ([(D - timedelta(days=80), 1), (D + timedelta(days=5), 2), (D, 3)], D, {1, 2, 3}),
    ([(D, 1), (D + timedelta(days=1), 1)], D, {1}),
    ([(D + timedelta(days=95), 1), (D + timedelta(days=96), 2)], D, set()),
    ([], D, set()),
])
def test_most_children_in_window(events, anchor, expected):
    assert most_children_in_window(events, anchor=anchor, days=90) == expected
