"""Return interviews after a missing episode (handbook §14.1; missing.md).

* The interview is ``required`` when the child was missing from care or any priority reason holds;
  otherwise it is offered (design decision following the national statutory guidance).
* Priority reasons (``tables/return_interview.toml``), each a predicate below named by its code;
  ``over_24_hours`` means strictly more than 24 hours.
* ``due_by`` is the return time plus ``Params.return_interview_due_hours`` (default 72).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from safeguard.rules._common import RULES_VERSION, Reason, RulesInputError, check_bool, check_number
from safeguard.rules._tables import load
from safeguard.rules.params import Params

__all__ = [
    "MISSING_FROM",
    "PRIORITY_REASONS",
    "ReturnInterviewInput",
    "ReturnInterviewOutcome",
    "evaluate",
    "known_cse_risk",
]

_TABLE = load("return_interview")
MISSING_FROM: tuple[str, ...] = tuple(_TABLE["missing_from"])
PRIORITY_REASONS: tuple[str, ...] = tuple(r["code"] for r in _TABLE["priority_reasons"])
FLAG_INPUTS: tuple[str, ...] = tuple(code for code in PRIORITY_REASONS if code != "over_24_hours")


@dataclass(frozen=True)
class ReturnInterviewInput:
    missing_from: str
    returned_at: datetime  # timezone-aware
    duration_hours: float
    criminal_activity: bool = False
    harmed: bool = False
    mental_health_or_ld: bool = False
    cse_risk: bool = False
    risky_contact: bool = False
    other_risk: bool = False

    def __post_init__(self) -> None:
        if self.missing_from not in MISSING_FROM:
            raise RulesInputError("missing_from must be home, care or other", "missing_from")
        if not isinstance(self.returned_at, datetime):
            raise RulesInputError("returned_at must be a date and time", "returned_at")
        if self.returned_at.tzinfo is None or self.returned_at.utcoffset() is None:
            raise RulesInputError("returned_at must include its UTC offset, e.g. +00:00", "returned_at")
        check_number(self.duration_hours, "duration_hours", minimum=0)
        for name in FLAG_INPUTS:
            check_bool(getattr(self, name), name)


@dataclass(frozen=True)
class ReturnInterviewOutcome:
    interview: str  # required | offer
    priority: bool
    priority_reasons: tuple[str, ...]  # alphabetical, as in contracts.md
    due_by: datetime
    reasons: tuple[Reason, ...]
    rules_version: str = RULES_VERSION

    def to_dict(self) -> dict[str, Any]:
        """The contract's JSON shape (contracts.md), plus rules_version and reason_details."""
        return {
            "interview": self.interview,
            "priority": self.priority,
            "priority_reasons": list(self.priority_reasons),
            "due_by": self.due_by.isoformat(),
            "rules_version": self.rules_version,
            "reason_details": [reason.to_dict() for reason in self.reasons],
        }


def over_24_hours(episode: ReturnInterviewInput) -> bool:
    """over_24_hours: missing for strictly more than 24 hours (§14.1)."""
    return bool(episode.duration_hours > _TABLE["over_hours"]["hours"])


def _flag(code: str) -> Callable[[ReturnInterviewInput], bool]:
    def reason_holds(episode: ReturnInterviewInput) -> bool:
        return bool(getattr(episode, code))

    reason_holds.__name__ = code
    reason_holds.__doc__ = f"{code}: as recorded on the episode (§14.1)."
    return reason_holds


_PREDICATES: dict[str, Callable[[ReturnInterviewInput], bool]] = {
    "over_24_hours": over_24_hours,
    **{code: _flag(code) for code in FLAG_INPUTS},
}


def known_cse_risk(
    screening_band: str | None = None, open_form_b: bool = False, marp_case: bool = False
) -> bool:
    """cse_risk without anyone ticking it: a screening of concern/significant, open Form B or MARP case."""
    return screening_band in _TABLE["cse_risk"]["screening_bands"] or open_form_b or marp_case


def evaluate(episode: ReturnInterviewInput, params: Params | None = None) -> ReturnInterviewOutcome:
    """Whether a return interview is required or offered, its priority, and when it is due (§14.1)."""
    params = params or Params()
    holding = [spec for spec in _TABLE["priority_reasons"] if _PREDICATES[spec["code"]](episode)]
    reasons = [Reason(spec["text"], spec["section"]) for spec in holding]
    from_care = _TABLE["required_when_missing_from"].get(episode.missing_from)
    if from_care:
        reasons.insert(0, Reason(from_care["text"], from_care["section"]))
    interview = "required" if from_care or holding else "offer"
    if interview == "offer":
        reasons.append(Reason(_TABLE["offer"]["text"], _TABLE["offer"]["section"]))
    hours = params.return_interview_due_hours
    reasons.append(Reason(_TABLE["due"]["text"].format(hours=hours), _TABLE["due"]["section"]))
    return ReturnInterviewOutcome(
        interview=interview,
        priority=bool(holding),
        priority_reasons=tuple(sorted(spec["code"] for spec in holding)),
        # Elapsed hours, not wall-clock hours: add in UTC so a clock change cannot move the deadline.
        due_by=(episode.returned_at.astimezone(UTC) + timedelta(hours=hours)).astimezone(
            episode.returned_at.tzinfo
        ),
        reasons=tuple(reasons),
    )
