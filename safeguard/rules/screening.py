"""Form A, the CSE Initial Screening Tool (handbook §16), and the Form B indicator codes.

The rule (``tables/screening.toml``):

* Form B is required when 3 or more risk indicators (R1-R10) or 1 or more significant risk
  indicators (S1-S4) are ticked (§16). Vulnerabilities (V1-V6) never trigger it; they are context.
* The band is the first of ``significant``, ``concern``, ``emerging``, ``none`` whose minimum counts
  are met, and the band fixes the actions (design decision in screening.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from safeguard.rules._common import RULES_VERSION, Reason, RulesInputError
from safeguard.rules._tables import load
from safeguard.rules.params import Params

__all__ = [
    "BANDS",
    "CODES",
    "FormAItem",
    "action_reason",
    "Indicator",
    "ScreeningOutcome",
    "evaluate",
    "form_a_items",
    "indicator_catalogue",
    "validate_ticked",
]

_TABLE = load("screening")
_SECTION: str = _TABLE["section"]


@dataclass(frozen=True)
class FormAItem:
    code: str
    group: str  # vulnerability | risk | significant
    label: str  # the official form's label, exactly
    section: str = _SECTION


@dataclass(frozen=True)
class Indicator:
    """A Form B code: §5 sign (I), §6 push factor (P), vulnerability indicator (U), pull factor (L)."""

    code: str
    group: str  # sign | push | vulnerability | pull
    text: str
    section: str


_ITEMS: tuple[FormAItem, ...] = tuple(FormAItem(i["code"], i["group"], i["label"]) for i in _TABLE["items"])
_BY_CODE: dict[str, FormAItem] = {item.code: item for item in _ITEMS}
_ORDER: dict[str, int] = {item.code: n for n, item in enumerate(_ITEMS)}
CODES: tuple[str, ...] = tuple(item.code for item in _ITEMS)
BANDS: tuple[str, ...] = tuple(b["band"] for b in _TABLE["bands"])


def action_reason(code: str) -> Reason:
    """What an action code (FORM_B, REFER_CSC, DISCUSS_NAMED_LEAD, SET_REVIEW) asks, with its §."""
    action = _TABLE["actions"][code]
    return Reason(action["text"], action["section"])


def form_a_items() -> tuple[FormAItem, ...]:
    """Every Form A item in form order (V1-V6, R1-R10, S1-S4)."""
    return _ITEMS


def indicator_catalogue() -> tuple[Indicator, ...]:
    """Every Form B code (I1-I25, P1-P7, U1-U12, L1-L8) in form order, for observations and Form B."""
    table = load("form_b")
    groups = table["groups"]
    return tuple(
        Indicator(i["code"], i["group"], i["text"], groups[i["group"]]["section"])
        for i in table["indicators"]
    )


@dataclass(frozen=True)
class ScreeningOutcome:
    band: str
    form_b_required: bool
    vulnerabilities: tuple[str, ...]
    risk_indicators: tuple[str, ...]
    significant_indicators: tuple[str, ...]
    reasons: tuple[Reason, ...]
    actions: tuple[str, ...]
    review_days: int | None
    evidence: tuple[tuple[str, str], ...] = ()
    rules_version: str = RULES_VERSION

    def to_dict(self) -> dict[str, Any]:
        """The contract's JSON shape (contracts.md), plus rules_version, reason_details, review_days."""
        return {
            "band": self.band,
            "form_b_required": self.form_b_required,
            "vulnerabilities": list(self.vulnerabilities),
            "risk_indicators": list(self.risk_indicators),
            "significant_indicators": list(self.significant_indicators),
            "reasons": [reason.text for reason in self.reasons],
            "actions": list(self.actions),
            "review_days": self.review_days,
            "rules_version": self.rules_version,
            "reason_details": [reason.to_dict() for reason in self.reasons],
        }


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _reasons(band: str, groups: Mapping[str, tuple[str, ...]]) -> list[Reason]:
    """The reasons for a band, named by codes: e.g. "3 risk indicators (R1, R5, R6)"."""
    threshold = _TABLE["form_b_threshold"]
    risk, significant, vulnerable = groups["risk"], groups["significant"], groups["vulnerability"]
    reasons: list[Reason] = []
    if len(risk) >= threshold["risk"]:
        reasons.append(
            Reason(f"{_plural(len(risk), 'risk indicator')} ({', '.join(risk)})", threshold["section"])
        )
    reasons += [Reason(f"significant risk indicator {code}", threshold["section"]) for code in significant]
    if band == "emerging":
        if risk:
            text = (
                f"{_plural(len(risk), 'risk indicator')} ({', '.join(risk)}), below the Form B "
                f"threshold of {threshold['risk']}"
            )
        else:
            text = f"vulnerabilities only ({', '.join(vulnerable)}), below the Form B threshold"
        reasons.append(Reason(text, _SECTION))
    if band == "none":
        reasons.append(Reason("nothing ticked", _SECTION))
    return reasons


def _band(counts: Mapping[str, int]) -> Mapping[str, Any]:
    """The first band in the table whose minimum counts are all met."""
    for band in _TABLE["bands"]:
        if (
            counts["significant"] >= band.get("min_significant", 0)
            and counts["risk"] >= band.get("min_risk", 0)
            and counts["ticked"] >= band.get("min_ticked", 0)
        ):
            return cast(Mapping[str, Any], band)
    raise AssertionError("the last band has no minimums")  # pragma: no cover


def validate_ticked(ticked: Iterable[str], field: str = "ticked") -> tuple[str, ...]:
    """Ticked codes checked (known codes, no duplicates) and put in form order."""
    if isinstance(ticked, str):
        raise RulesInputError(f"{field} must be a list of codes", field)
    seen: set[str] = set()
    for n, code in enumerate(ticked):
        path = f"{field}[{n}]"
        if not isinstance(code, str):
            raise RulesInputError(f"{path} must be a code such as R1", path)
        if code not in _BY_CODE:
            raise RulesInputError(f"unknown screening code {code!r}; codes are V1-V6, R1-R10, S1-S4", path)
        if code in seen:
            raise RulesInputError(f"{code} is ticked twice", path)
        seen.add(code)
    return tuple(sorted(seen, key=_ORDER.__getitem__))


def _validate_evidence(
    evidence: Mapping[str, Any] | None, ticked: tuple[str, ...]
) -> tuple[tuple[str, str], ...]:
    if evidence is None:
        return ()
    if not isinstance(evidence, Mapping):
        raise RulesInputError("evidence must map ticked codes to text", "evidence")
    for code, note in evidence.items():
        path = f"evidence.{code}"
        if code not in ticked:
            raise RulesInputError(f"evidence given for {code}, which is not ticked", path)
        if not isinstance(note, str):
            raise RulesInputError(f"{path} must be text", path)
    return tuple((code, evidence[code]) for code in ticked if code in evidence)


def evaluate(
    ticked: Iterable[str], evidence: Mapping[str, str] | None = None, params: Params | None = None
) -> ScreeningOutcome:
    """Evaluate a Form A: band, whether Form B is required, actions and reasons (§16)."""
    params = params or Params()
    codes = validate_ticked(ticked)
    notes = _validate_evidence(evidence, codes)
    groups = {g: tuple(c for c in codes if _BY_CODE[c].group == g) for g in _TABLE["groups"]}
    band = _band(
        {"significant": len(groups["significant"]), "risk": len(groups["risk"]), "ticked": len(codes)}
    )
    return ScreeningOutcome(
        band=band["band"],
        form_b_required=band["form_b_required"],
        vulnerabilities=groups["vulnerability"],
        risk_indicators=groups["risk"],
        significant_indicators=groups["significant"],
        reasons=tuple(_reasons(band["band"], groups)),
        actions=tuple(band["actions"]),
        review_days=params.screening_review_days if "SET_REVIEW" in band["actions"] else None,
        evidence=notes,
    )
