"""The RAG priority a referral starts with (§12; design decision, ADR 6).

A decision table (``tables/referral_priority.toml``), rows RP1-RP6, first match for the source:

* From a sexual activity assessment: RP1 red for a child at immediate risk (§9.6), RP2 red for a
  child under 13 (§9.2), RP3 amber when any action is a must, RP4 green otherwise.
* From a screening: RP5 red when it found a significant risk indicator (§16).
* RP6 — anything else (a screening without one, a Form B, no source): amber.

The receiving team may change the priority on receipt.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from safeguard.rules._common import RULES_VERSION, Reason, RulesInputError, first_row
from safeguard.rules._tables import load

__all__ = ["FACTS", "SOURCES", "PriorityOutcome", "referral_priority"]

_TABLE = load("referral_priority")
SOURCES: tuple[str, ...] = tuple(_TABLE["sources"])
FACTS: frozenset[str] = frozenset(fact for row in _TABLE["rows"] for fact in row.get("when", ()))


@dataclass(frozen=True)
class PriorityOutcome:
    code: str
    priority: str  # red | amber | green
    reason: Reason
    rules_version: str = RULES_VERSION


def referral_priority(*, source: str, facts: Iterable[str] = ()) -> PriorityOutcome:
    """The priority a referral from ``source`` starts with, given the facts that hold (RP1-RP6)."""
    if source not in SOURCES:
        raise RulesInputError(f"source must be one of {', '.join(SOURCES)}", "source")
    holding = set(facts)
    unknown = sorted(holding - FACTS)
    if unknown:
        raise RulesInputError(f"unknown fact(s): {', '.join(unknown)}", "facts")
    rows = [row for row in _TABLE["rows"] if row["source"] in (source, "any")]
    row = first_row(rows, holding)
    return PriorityOutcome(code=row["code"], priority=row["priority"], reason=Reason(row["text"], row["section"]))
