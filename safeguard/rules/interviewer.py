"""Who may conduct a return interview: someone independent of the child's placement (§14.1).

A decision table (``tables/interviewer.toml``), first match wins: RI1 someone who belongs to no
agency is not shown to be independent; RI2 someone from the agency that reported the episode is
not independent; RI3 anyone else is.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from safeguard.rules._common import RULES_VERSION, Reason, first_row
from safeguard.rules._tables import load

__all__ = ["IndependenceOutcome", "interviewer_independence", "not_independent_message"]

_TABLE = load("interviewer")


@dataclass(frozen=True)
class IndependenceOutcome:
    code: str
    independent: bool
    reason: Reason
    rules_version: str = RULES_VERSION


def interviewer_independence(
    *, interviewer_agency: Hashable | None, reporting_agency: Hashable | None
) -> IndependenceOutcome:
    """Whether someone from ``interviewer_agency`` is independent of the placement (RI1-RI3)."""
    facts: set[str] = set()
    if interviewer_agency is None:
        facts.add("no_agency")
    elif interviewer_agency == reporting_agency:
        facts.add("same_agency")
    row = first_row(_TABLE["rows"], facts)
    return IndependenceOutcome(code=row["code"], independent=row["independent"], reason=Reason(row["text"], row["section"]))


def not_independent_message(*, who: str) -> str:
    """The plain message for someone who is not independent: ``who`` is "you" or "they"."""
    return str(_TABLE["refusal"]).format(who=who, s="")
