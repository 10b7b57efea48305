"""The §5 signs and indicators and the §6 push, vulnerability and pull factors, from the rules tables.

Codes are I1-I25, P1-P7, U1-U12 and L1-L8 (screening.md); texts come from
``safeguard/rules/tables/form_b.toml`` through ``safeguard.rules.screening.indicator_catalogue``.
"""

from __future__ import annotations

from collections.abc import Iterable

from safeguard.rules.screening import indicator_catalogue

GROUP_TITLES = {
    "sign": "Signs and indicators (§5)",
    "push": "Push factors (§6)",
    "vulnerability": "Vulnerability indicators (§6)",
    "pull": "Pull factors (§6)",
}

CATALOGUE = indicator_catalogue()
INDICATOR_CODES: tuple[str, ...] = tuple(i.code for i in CATALOGUE)
INDICATOR_TEXT: dict[str, str] = {i.code: i.text for i in CATALOGUE}


def indicator_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices for a checkbox list: [(group title, [(code, "I5 unexplained gifts…"), …]), …]."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for item in CATALOGUE:
        groups.setdefault(item.group, []).append((item.code, f"{item.code} {item.text}"))
    return [(GROUP_TITLES.get(group, group), choices) for group, choices in groups.items()]


def indicator_label(code: str) -> str:
    text = INDICATOR_TEXT.get(code)
    return f"{code} {text}" if text else code


def indicator_summary(codes: Iterable[str]) -> str:
    return "; ".join(indicator_label(code) for code in codes)
