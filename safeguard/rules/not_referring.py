"""Who must approve a decision not to refer (workflow.md "Decision records"; §9.2, §9.5, §9.7).

A decision table (``tables/not_referring.toml``), rows NR1-NR6, first match wins:

* NR1 — the assessment it relies on allows no decision not to refer (a pregnant child under 13,
  §9.5; a partner in a position of trust, §9.6): not allowed at all.
* NR2 — the assessment requires a senior manager's approval: designated lead and senior manager,
  exceptional (§9.5).
* NR3 — the assessment requires a discussion with the designated lead: designated lead (§9.7).
* NR4 — the assessment asks for no approval: none.
* NR5 — no assessment and the child is under 13 on the day: designated lead and senior manager,
  exceptional (§9.5).
* NR6 — otherwise (age unknown included): designated lead (§9.7).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from safeguard.rules._common import RULES_VERSION, Reason, RulesInputError, first_row
from safeguard.rules._tables import load

__all__ = ["NotReferringOutcome", "approvals_for_not_referring", "not_referring_table"]

_TABLE = load("not_referring")
UNDER_AGE: int = _TABLE["under_age"]
ROLES: tuple[str, ...] = tuple(_TABLE["roles"])


@dataclass(frozen=True)
class NotReferringOutcome:
    code: str
    allowed: bool
    approvals: tuple[str, ...]  # role codes, designated lead first
    exceptional: bool
    reason: Reason
    rules_version: str = RULES_VERSION


def approvals_for_not_referring(
    *,
    assessment: bool,
    assessment_allowed: bool = True,
    assessment_requires: Iterable[str] = (),
    child_age: int | None = None,
) -> NotReferringOutcome:
    """The approvals a decision not to refer needs, from the assessment it relies on (if any) or
    the child's age on the day (NR1-NR6, §9.5, §9.7)."""
    if child_age is not None and (isinstance(child_age, bool) or not isinstance(child_age, int)):
        raise RulesInputError("child_age must be a whole number or unknown", "child_age")
    requires = set(assessment_requires)
    facts: set[str] = set()
    if assessment:
        facts.add("assessment")
        if not assessment_allowed:
            facts.add("opt_out_forbidden")
        facts |= requires & {"senior_manager_approval", "designated_lead_discussion"}
    elif child_age is not None and child_age < UNDER_AGE:
        facts.add("under_13")
    row = first_row(_TABLE["rows"], facts)
    return NotReferringOutcome(
        code=row["code"],
        allowed=row["allowed"],
        approvals=tuple(row["approvals"]),
        exceptional=row["exceptional"],
        reason=Reason(row["text"], row["section"]),
    )


@dataclass(frozen=True)
class NotReferringRow:
    """One row of the table as a reader needs it: when it applies and who approves, in words."""

    code: str
    when: str
    allowed: bool
    approvers: tuple[str, ...]  # the roles in words, from the table's ``roles``
    exceptional: bool
    section: str


def not_referring_table() -> tuple[NotReferringRow, ...]:
    """Every row NR1-NR6, in order, so a page can say what the rules actually require."""
    return tuple(
        NotReferringRow(
            code=row["code"], when=row["text"], allowed=row["allowed"],
            approvers=tuple(_TABLE["roles"][role] for role in row["approvals"]),
            exceptional=row["exceptional"], section=row["section"],
        )
        for row in _TABLE["rows"]
    )
