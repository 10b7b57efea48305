"""Language and labelling (handbook §8; language.md): flag victim-blaming terms in free text.

The terms are ``tables/language.toml``: one family per code, each with patterns that cover
inflections (choose/chooses/chose/choosing/chosen to) and hyphen/space variants (street-wise,
street wise, streetwise). All families compile into one case-insensitive regular expression with
word boundaries, so a 5,000-word document is one pass.

Nothing inside quotation marks is flagged: the words of the child or of others are recorded as said
(§7, §10.2.1, §10.5.4). Quotation marks are "…", “…”, ‘…’ and '…' used as quotes; an apostrophe
inside a word (don't, child's, Sally's) or closing a plural possessive (the girls' home) is not a
quote. A quotation does not run across a blank line, so one stray mark cannot hide a whole record.

``boyfriend`` / ``girlfriend``: the handbook objects to the word where the "partner" is an adult or
a person of concern, because it implies a relationship of equals. The check cannot know who the
person is, and a 14-year-old's boyfriend of 14 is just that, so the word is flagged only where the
text itself shows the imbalance: qualified as older or adult ("older boyfriend", "23-year-old
boyfriend", "adult girlfriend") or given an adult age ("boyfriend, 19", "boyfriend aged 25",
"boyfriend who is much older"), in any usual phrasing: apposition ("her boyfriend, 23,"), a
relative clause ("who is 23", "who's 23"), brackets ("her boyfriend (23)"), "aged 23", "a 23 year
old boyfriend", or the age in words. The first 'Sally' recording uses no such phrase and raises
nothing.

A family may be switched off in a named context the caller passes (``check(text, context=...)``):
``consent`` is not flagged in the reasons of a §9 assessment or decision about sexual activity
between peers aged 13 and over (``PEER_SEXUAL_ACTIVITY``), where the handbook itself weighs whether
the activity was consensual (§9.2, §9.7). It stays flagged everywhere else.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from safeguard.rules._common import RULES_VERSION
from safeguard.rules._tables import load

__all__ = ["CODES", "CONTEXTS", "PEER_SEXUAL_ACTIVITY", "Flag", "LanguageOutcome", "check", "evaluate", "quoted_spans"]

_TABLE = load("language")
_SECTION: str = _TABLE["section"]
_FAMILIES = {family["code"]: family for family in _TABLE["families"]}
CODES: tuple[str, ...] = tuple(_FAMILIES)

PEER_SEXUAL_ACTIVITY = "peer_sexual_activity"  # §9 reasons where every party is 13 or over
CONTEXTS: tuple[str, ...] = ("", PEER_SEXUAL_ACTIVITY)

_ADULT_AGE = (
    r"(?:1[89]|[2-9]\d|eighteen|nineteen|(?:twenty|thirty|forty|fifty|sixty|seventy)"
    r"(?:{hy}(?:one|two|three|four|five|six|seven|eight|nine))?)"
)

_SHORTHANDS = {
    "{sp}": r"\s+",
    "{hy}": r"(?:[-\u2010\u2011]|\s+)?",
    "{ap}": r"['\u2019]",
}


def _expand(pattern: str) -> str:
    pattern = pattern.replace("{age}", _ADULT_AGE)
    for shorthand, regex in _SHORTHANDS.items():
        pattern = pattern.replace(shorthand, regex)
    return pattern


def _group(n: int) -> str:
    return f"f{n}"


_PATTERN = re.compile(
    r"(?<!\w)(?:"
    + "|".join(
        f"(?P<{_group(n)}>" + "|".join(_expand(p) for p in family["patterns"]) + ")"
        for n, family in enumerate(_TABLE["families"])
    )
    + r")(?!\w)",
    re.IGNORECASE,
)
_CODE_OF_GROUP = {_group(n): family["code"] for n, family in enumerate(_TABLE["families"])}


@dataclass(frozen=True)
class Flag:
    code: str
    start: int  # offset of the first character, in Unicode code points
    end: int  # offset just past the last character
    text: str
    suggestion: str
    why: str
    section: str = _SECTION

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "suggestion": self.suggestion,
            "why": self.why,
            "section": self.section,
        }


@dataclass(frozen=True)
class LanguageOutcome:
    flags: tuple[Flag, ...]
    rules_version: str = RULES_VERSION

    def to_dict(self) -> dict[str, Any]:
        return {"flags": [flag.to_dict() for flag in self.flags], "rules_version": self.rules_version}


_QUOTE_MARK = re.compile("[\"\u201c\u201d\u2018\u2019']")
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")
_DOUBLE_OPEN, _DOUBLE_CLOSE, _SINGLE_OPEN, _SINGLE_CLOSE = "\u201c", "\u201d", "\u2018", "\u2019"


def _paragraph_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    double: int | None = None
    single: int | None = None
    for match in _QUOTE_MARK.finditer(text, start, end):
        i, mark = match.start(), match.group()
        before = text[i - 1] if i > start else ""
        after = text[i + 1] if i + 1 < end else ""
        if mark in '"\u201c\u201d':
            if double is None and mark != _DOUBLE_CLOSE:
                double, single = i, None
            elif double is not None and mark != _DOUBLE_OPEN:
                spans.append((double, i + 1))
                double = None
            continue
        if double is not None or (before.isalnum() and after.isalnum()):
            continue  # a single mark inside a double quotation, or an apostrophe inside a word
        opens = mark == _SINGLE_OPEN or (
            mark == "'" and not before.isalnum() and after != "" and not after.isspace()
        )
        closes = mark != _SINGLE_OPEN and before != "" and not before.isspace() and not after.isalnum()
        if single is not None and closes:
            spans.append((single, i + 1))
            single = None
        elif single is None and opens:
            single = i
    return spans


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every quotation in ``text``, marks included, in order."""
    spans: list[tuple[int, int]] = []
    start = 0
    for brk in _PARAGRAPH_BREAK.finditer(text):
        spans += _paragraph_spans(text, start, brk.start())
        start = brk.end()
    spans += _paragraph_spans(text, start, len(text))
    return spans


def check(text: str, *, context: str = "") -> list[Flag]:
    """Every flagged term outside quotation marks, sorted by start (§8).

    ``context`` names where the text is written (one of ``CONTEXTS``); a family whose table entry
    lists that context in ``not_flagged_in`` is not flagged there.
    """
    if not isinstance(text, str):
        raise TypeError("text must be a string")
    if context not in CONTEXTS:
        raise ValueError(f"unknown context {context!r}")
    spans = quoted_spans(text)
    starts = [span[0] for span in spans]
    flags: list[Flag] = []
    for match in _PATTERN.finditer(text):
        n = bisect_right(starts, match.start()) - 1
        if n >= 0 and match.start() < spans[n][1]:
            continue  # inside a quotation
        family = _FAMILIES[_CODE_OF_GROUP[match.lastgroup or ""]]
        if context and context in family.get("not_flagged_in", ()):
            continue
        flags.append(
            Flag(
                family["code"], match.start(), match.end(), match.group(), family["suggestion"], family["why"]
            )
        )
    return flags


def evaluate(text: str, *, context: str = "") -> LanguageOutcome:
    """The language check as an outcome carrying the rules version."""
    return LanguageOutcome(tuple(check(text, context=context)))
