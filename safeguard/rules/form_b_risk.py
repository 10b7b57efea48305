"""The risk level the product suggests for a Form B (screening.md; §13, design decision).

"The product may suggest a level from what is recorded, but it shows why, and the practitioner's
choice is what counts." Escalators are going missing (U1), contact with known perpetrators (I14),
movement between places (I11), cars driven by unknown adults (I12) and trafficking concerns
written down (§7). Levels (``tables/form_b_risk.toml``), first match wins:

* FB1 high — a significant risk indicator (S1-S4) on the screening and at least one escalator;
* FB2 high — three or more escalators;
* FB3 medium — the screening showed concern or significant (Form B was required, §16);
* FB4 medium — two escalators;
* FB5 low — otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from safeguard.rules._common import RULES_VERSION
from safeguard.rules._tables import load

__all__ = ["ESCALATORS", "RiskSuggestion", "suggest_risk_level"]

_TABLE = load("form_b_risk")
ESCALATORS: dict[str, str] = dict(_TABLE["escalators"])


@dataclass(frozen=True)
class RiskSuggestion:
    level: str  # low | medium | high
    code: str
    reasons: tuple[str, ...]
    rules_version: str = RULES_VERSION


def _holds(row: Mapping[str, Any], *, significant: int, escalators: int, band: str | None) -> bool:
    return (
        significant >= row.get("min_significant", 0)
        and escalators >= row.get("min_escalators", 0)
        and ("screening_bands" not in row or band in row["screening_bands"])
    )


def suggest_risk_level(
    *, screening_band: str | None, significant: Iterable[str], indicators: Iterable[str], trafficking: bool
) -> RiskSuggestion:
    """The suggested level and why (FB1-FB5): the reasons name what was recorded."""
    significant = list(significant)
    recorded = set(indicators)
    escalators = [text for code, text in ESCALATORS.items() if code in recorded]
    if trafficking:
        escalators.append(_TABLE["trafficking"]["text"])
    row = next(
        row
        for row in _TABLE["levels"]
        if _holds(row, significant=len(significant), escalators=len(escalators), band=screening_band)
    )
    reasons: tuple[str, ...] = tuple(escalators)
    if row["code"] == "FB1":
        reasons = (f"significant risk indicators {', '.join(significant)} on the screening", *escalators)
    elif row["code"] == "FB3":
        reasons = (f"the screening showed {screening_band}: Form B was required (§16)", *escalators)
    elif not reasons:
        reasons = ("no escalating indicator recorded",)
    return RiskSuggestion(level=row["level"], code=row["code"], reasons=reasons)
