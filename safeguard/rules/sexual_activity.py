"""Underage sexual activity: assessment and referral (handbook §9; sexual-activity.md).

The rules are rows of ``tables/sexual_activity.toml`` (SA1 under 13, SA1P pregnant under 13,
SA2/SA2C 13-15, SA3C/SA3N 16-17, SA4 considerable age difference, SA5 position of trust, SA5W
partner works with children, SA6 immediate risk, SA7 disabled child, SA8 decision not to refer).
A row applies when each of its named conditions (``PREDICATES`` below) holds. Outcomes combine:
one action per code with the strongest strength any applying row gives it.

Two criteria are also answered from other inputs: C6 (age imbalance) is ``yes`` when a partner is
considerably older (:func:`considerable_age_difference`), and C7 (power imbalance) is ``yes`` for a
position of trust. A practitioner's own ``yes`` is never turned into anything weaker.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from types import MappingProxyType
from typing import Any

from safeguard.rules._common import RULES_VERSION, Reason, RulesInputError, check_bool, check_int
from safeguard.rules._tables import load
from safeguard.rules.params import Params

__all__ = [
    "ACTION_CODES",
    "CRITERIA",
    "CRITERION_TEXT",
    "NOT_REFERRING_TEXT",
    "Action",
    "NotReferring",
    "SexualActivityInput",
    "SexualActivityOutcome",
    "age_band",
    "age_on",
    "considerable_age_difference",
    "evaluate",
    "peers_aged_13_and_over",
]

_TABLE = load("sexual_activity")
CRITERIA: tuple[str, ...] = tuple(_TABLE["criteria"]["text"])
# The words of each criterion (C1-C14, §9.6) and of each requirement of a decision not to refer (§9.7).
CRITERION_TEXT: dict[str, str] = dict(_TABLE["criteria"]["text"])
NOT_REFERRING_TEXT: dict[str, str] = dict(_TABLE["not_referring_requirements"])
ANSWERS: tuple[str, ...] = tuple(_TABLE["criteria"]["answers"])
ACTION_CODES: tuple[str, ...] = tuple(_TABLE["actions"])
STRENGTHS: tuple[str, ...] = tuple(_TABLE["strengths"]["order"])
_RANK = {strength: len(STRENGTHS) - n for n, strength in enumerate(STRENGTHS)}
MAX_CHILD_AGE = max(band["max"] for band in _TABLE["age_bands"])
# The youngest age outside the under-13 band (§9.1).
PEER_MIN_AGE: int = next(band["max"] for band in _TABLE["age_bands"] if band["code"] == "under_13") + 1
MAX_PARTNER_AGE = 120
BOOLEAN_INPUTS = (
    "position_of_trust",
    "partner_works_with_children",
    "pregnant",
    "penetrative",
    "disabled",
    "immediate_risk",
)


def age_band(age: int) -> str:
    """The §9.1 age band of a child: ``under_13``, ``13_to_15`` or ``16_to_17``."""
    check_int(age, "child_age", minimum=0, maximum=MAX_CHILD_AGE)
    return str(next(band["code"] for band in _TABLE["age_bands"] if band["min"] <= age <= band["max"]))


def age_on(date_of_birth: date, on_date: date) -> int:
    """Age in whole years on ``on_date`` (the activity's date when known, else the assessment's).

    A child born on 29 February has a birthday on 1 March in other years (as in UK law).
    """
    if on_date < date_of_birth:
        raise RulesInputError("the date is before the date of birth", "date_of_birth")
    before_birthday = (on_date.month, on_date.day) < (date_of_birth.month, date_of_birth.day)
    return on_date.year - date_of_birth.year - before_birthday


def considerable_age_difference(child_age: int, partner_age: int, params: Params) -> bool:
    """Rule SA4 (§9.2, design decision): is this partner considerably older than the child?

    Under 16: a partner aged ``under16_partner_adult_age`` or over, or ``under16_age_gap_years``
    or more older. 16-17: ``over16_age_gap_years`` or more older.
    """
    gap = partner_age - child_age
    if child_age < 16:
        return partner_age >= params.under16_partner_adult_age or gap >= params.under16_age_gap_years
    return gap >= params.over16_age_gap_years


def peers_aged_13_and_over(child_age: int, partner_ages: Iterable[int | None], params: Params | None = None) -> bool:
    """Sexual activity between peers aged 13 and over (§9.2, §9.7): the child and every partner are 13
    or over, every partner's age is known, and none is considerably older (SA4). Where it holds the
    handbook itself weighs whether the activity was consensual, so the language check lets the word
    stand in the reasons (``language.PEER_SEXUAL_ACTIVITY``)."""
    params = params or Params()
    ages = tuple(partner_ages)
    return (
        child_age >= PEER_MIN_AGE
        and bool(ages)
        and all(age is not None and age >= PEER_MIN_AGE for age in ages)
        and not any(considerable_age_difference(child_age, age, params) for age in ages if age is not None)
    )


@dataclass(frozen=True)
class SexualActivityInput:
    """One assessment (§9.3). Criteria not given count as ``unknown``; flags default to false."""

    child_age: int
    partner_ages: tuple[int | None, ...] = ()
    criteria: Mapping[str, str] = field(default_factory=dict)
    position_of_trust: bool = False
    partner_works_with_children: bool = False
    pregnant: bool = False
    penetrative: bool = False
    disabled: bool = False
    immediate_risk: bool = False

    def __post_init__(self) -> None:
        check_int(self.child_age, "child_age", minimum=0, maximum=MAX_CHILD_AGE)
        if isinstance(self.partner_ages, str | bytes) or not isinstance(self.partner_ages, Iterable):
            raise RulesInputError("partner_ages must be a list", "partner_ages")
        ages = tuple(self.partner_ages)
        for n, age in enumerate(ages):
            if age is not None:
                check_int(age, f"partner_ages[{n}]", minimum=0, maximum=MAX_PARTNER_AGE)
        if not isinstance(self.criteria, Mapping):
            raise RulesInputError("criteria must map codes C1-C14 to yes, no or unknown", "criteria")
        for code, answer in self.criteria.items():
            if code not in CRITERIA:
                raise RulesInputError(f"unknown criterion {code!r}; criteria are C1-C14", f"criteria.{code}")
            if answer not in ANSWERS:
                raise RulesInputError(f"criteria.{code} must be yes, no or unknown", f"criteria.{code}")
        for name in BOOLEAN_INPUTS:
            check_bool(getattr(self, name), name)
        object.__setattr__(self, "partner_ages", ages)
        object.__setattr__(self, "criteria", MappingProxyType(dict(self.criteria)))


@dataclass(frozen=True)
class Action:
    code: str
    strength: str
    section: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "strength": self.strength, "section": self.section, "reason": self.reason}


@dataclass(frozen=True)
class NotReferring:
    """What a decision not to refer needs; ``allowed`` is false where there is no opt-out."""

    allowed: bool
    requires: tuple[str, ...]
    exceptional: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"allowed": self.allowed, "requires": list(self.requires), "exceptional": self.exceptional}


@dataclass(frozen=True)
class SexualActivityOutcome:
    age_band: str
    offence: bool
    actions: tuple[Action, ...]
    not_referring: NotReferring
    notes: tuple[Reason, ...]
    criteria: Mapping[str, str]  # every criterion's answer after C6/C7 are derived
    rules_applied: tuple[str, ...]
    rules_version: str = RULES_VERSION

    def to_dict(self) -> dict[str, Any]:
        """The contract's JSON shape (contracts.md), plus rules_version and note_details."""
        return {
            "age_band": self.age_band,
            "offence": self.offence,
            "actions": [action.to_dict() for action in self.actions],
            "not_referring": self.not_referring.to_dict(),
            "notes": [note.text for note in self.notes],
            "rules_version": self.rules_version,
            "note_details": [note.to_dict() for note in self.notes],
        }


@dataclass(frozen=True)
class _Facts:
    """Everything the rule conditions look at, derived once from the input."""

    given: SexualActivityInput
    band: str
    criteria: Mapping[str, str]
    older_partners: tuple[int, ...]  # known partner ages that are a considerable difference
    any_age_unknown: bool


def _facts(given: SexualActivityInput, params: Params) -> _Facts:
    """Facts for the rule conditions; C6 and C7 become ``yes`` where ``derived_criteria`` says so."""
    older = tuple(
        age
        for age in given.partner_ages
        if age is not None and considerable_age_difference(given.child_age, age, params)
    )
    unknown = not given.partner_ages or any(age is None for age in given.partner_ages)
    answers = {code: given.criteria.get(code, "unknown") for code in CRITERIA}
    facts = _Facts(given, age_band(given.child_age), MappingProxyType(answers), older, unknown)
    derived = {
        code: "yes" for code, spec in _TABLE["derived_criteria"].items() if PREDICATES[spec["when"]](facts)
    }
    return replace(facts, criteria=MappingProxyType(answers | derived))


PREDICATES: dict[str, Callable[[_Facts], bool]] = {
    "under_13": lambda f: f.band == "under_13",
    "age_13_to_15": lambda f: f.band == "13_to_15",
    "age_16_to_17": lambda f: f.band == "16_to_17",
    "age_13_to_17": lambda f: f.band != "under_13",
    "concern": lambda f: "yes" in f.criteria.values(),
    "considerable_age_difference": lambda f: bool(f.older_partners),
    "partner_age_unknown": lambda f: f.any_age_unknown and not f.older_partners,
    "position_of_trust": lambda f: f.given.position_of_trust,
    "partner_works_with_children": lambda f: f.given.partner_works_with_children,
    "pregnant": lambda f: f.given.pregnant,
    "penetrative": lambda f: f.given.penetrative,
    "disabled": lambda f: f.given.disabled,
    "immediate_risk": lambda f: f.given.immediate_risk,
}


def _holds(condition: str, facts: _Facts) -> bool:
    if condition.startswith("!"):
        return not PREDICATES[condition[1:]](facts)
    return PREDICATES[condition](facts)


def _concerns(facts: _Facts) -> str:
    codes = [code for code, answer in facts.criteria.items() if answer == "yes"]
    return f"Cause for concern under {', '.join(codes)}" if codes else ""


def evaluate(given: SexualActivityInput, params: Params | None = None) -> SexualActivityOutcome:
    """Apply every rule row whose conditions hold and combine what they say (§9)."""
    params = params or Params()
    facts = _facts(given, params)
    words = {
        "child_age": given.child_age,
        "concerns": _concerns(facts),
        "older_partners": ", ".join(str(age) for age in facts.older_partners),
    }
    strongest: dict[str, Action] = {}
    offence = False
    allowed, exceptional = True, False
    requires: set[str] = set()
    notes: list[Reason] = []
    applied: list[str] = []
    for rule in _TABLE["rules"]:
        if not all(_holds(condition, facts) for condition in rule["when"]):
            continue
        applied.append(rule["id"])
        offence = offence or rule.get("offence", False)
        allowed = allowed and rule.get("not_referring_allowed", True)
        exceptional = exceptional or rule.get("not_referring_exceptional", False)
        requires.update(rule.get("not_referring_requires", ()))
        for spec in rule.get("actions", ()):
            action = Action(spec["code"], spec["strength"], spec["section"], spec["reason"].format(**words))
            current = strongest.get(action.code)
            if current is None or _RANK[action.strength] > _RANK[current.strength]:
                strongest[action.code] = action
        notes += [Reason(note["text"].format(**words), note["section"]) for note in rule.get("notes", ())]
    if allowed:
        not_referring = NotReferring(True, tuple(sorted(requires | {"reasons"})), exceptional)
    else:
        not_referring = NotReferring(False, ())
    return SexualActivityOutcome(
        age_band=facts.band,
        offence=offence,
        actions=tuple(strongest[code] for code in sorted(strongest)),
        not_referring=not_referring,
        notes=tuple(notes),
        criteria=facts.criteria,
        rules_applied=tuple(applied),
    )
