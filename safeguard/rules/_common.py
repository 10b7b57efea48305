"""Small pieces shared by every rule module: reasons, input errors, strict type checks."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from safeguard.rules._tables import RULES_VERSION

__all__ = ["RULES_VERSION", "Reason", "RulesInputError", "check_bool", "check_int", "check_number"]


@dataclass(frozen=True)
class Reason:
    """One step of an outcome's explanation, with the handbook section it comes from."""

    text: str
    section: str

    def to_dict(self) -> dict[str, str]:
        return {"text": self.text, "section": self.section}


class RulesInputError(ValueError):
    """Input the rules cannot evaluate. ``field`` is the path of the offending value, or None."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def check_bool(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise RulesInputError(f"{field} must be true or false", field)
    return value


def check_int(value: Any, field: str, *, minimum: int, maximum: int) -> int:
    """An integer in [minimum, maximum]. ``True`` is not an integer here."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise RulesInputError(f"{field} must be a whole number", field)
    if not minimum <= value <= maximum:
        raise RulesInputError(f"{field} must be between {minimum} and {maximum}", field)
    return value


def check_number(value: Any, field: str, *, minimum: float) -> float:
    """A finite real number >= minimum (int or float, not bool)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RulesInputError(f"{field} must be a number", field)
    if not math.isfinite(value) or value < minimum:
        raise RulesInputError(f"{field} must be a finite number no less than {minimum:g}", field)
    return value


def first_row(rows: Any, facts: frozenset[str] | set[str]) -> Any:
    """The first table row whose ``when`` facts all hold (a row with no ``when`` always matches).

    Decision tables list their rows most specific first and end with a row that always matches.
    """
    for row in rows:
        if set(row.get("when", ())) <= facts:
            return row
    raise LookupError("decision table has no row that always matches")
