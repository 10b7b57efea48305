"""The risk level the product suggests for a Form B (screening.md: "the product may suggest a level
from what is recorded, but it shows why, and the practitioner's choice is what counts").

The handbook gives no formula, so this is a design decision kept small and explained:
- high: a significant indicator on the screening (S1-S4) together with going missing (U1) or
  contact with known perpetrators (I14) or movement between places (I11) or trafficking concerns
  written down; or three or more of those on their own;
- medium: the screening confirmed concerns (Form B was required), or two of the above;
- low: otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

ESCALATORS = {"U1": "going missing (U1)", "I14": "contact with known perpetrators (I14)",
              "I11": "moved between places (I11)", "I12": "cars driven by unknown adults (I12)"}


@dataclass(frozen=True)
class Suggestion:
    level: str
    reasons: tuple[str, ...]


def suggest_risk_level(
    *, screening_band: str | None, significant: Iterable[str], indicators: Iterable[str], trafficking: bool
) -> Suggestion:
    significant = list(significant)
    escalators = [text for code, text in ESCALATORS.items() if code in set(indicators)]
    if trafficking:
        escalators.append("trafficking concerns recorded (§7)")
    if significant and escalators:
        return Suggestion("high", (f"significant risk indicators {', '.join(significant)} on the screening",
                                   *escalators))
    if len(escalators) >= 3:
        return Suggestion("high", tuple(escalators))
    if screening_band in ("significant", "concern"):
        return Suggestion("medium", (f"the screening showed {screening_band}: Form B was required (§16)",
                                     *escalators))
    if len(escalators) >= 2:
        return Suggestion("medium", tuple(escalators))
    return Suggestion("low", tuple(escalators) or ("no escalating indicator recorded",))
