"""Name matching for search before create: phonetic keys and a similarity score (jellyfish).

``score_name`` compares the words typed in one box with a first and last name in every split and
both orders; one word is compared with every word of the name, and one part of a double-barrelled
name matches that name (``PART_MATCH``).

A name is compared with every name a child is known by, in both orders (first/last swapped), with
Jaro-Winkler similarity; a name that sounds the same (same metaphone key) counts as a near match,
so "Jody Smith" finds "Jodie Smyth". The date of birth raises or lowers the score. Thresholds are
here, named, so a change is one line and a test.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import jellyfish

KEY_LENGTH = 20  # ChildName.first_key / last_key max_length
SOUNDS_ALIKE = 0.95  # similarity given to two names with the same phonetic key
MATCH_THRESHOLD = 0.85
SAME_NAME = 0.97  # a name this close, with the same date of birth, looks like the same child
PART_MATCH = 0.98  # one part of a double-barrelled (or several-word) name against the whole name
DOB_SAME = 0.10
DOB_NEAR = -0.05  # one of day, month, year differs, or day and month are swapped
DOB_DIFFERENT = -0.20


@lru_cache(maxsize=8192)  # pure; a search compares the same few words hundreds of times
def normalise(name: str) -> str:
    """Lower case, accents dropped, letters only: "O'Brien-Smith" → "obriensmith"."""
    folded = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
    return "".join(c for c in folded.lower() if c.isalpha())


@lru_cache(maxsize=8192)  # pure; a search compares the same few words hundreds of times
def phonetic_key(name: str) -> str:
    plain = normalise(name)
    return jellyfish.metaphone(plain)[:KEY_LENGTH].upper() if plain else ""


@lru_cache(maxsize=8192)  # pure; a search compares the same few words hundreds of times
def second_key(name: str) -> str:
    """A second sound-alike key (NYSIIS): catches what metaphone alone misses ("Kahn" / "Khan")."""
    plain = normalise(name)
    return jellyfish.nysiis(plain)[:KEY_LENGTH].upper() if plain else ""


def name_words(name: str) -> list[str]:
    """The words a name is looked up by: each part, and the whole when it has several.

    "Smith-Jones" → ["smith", "jones", "smithjones"]; "O'Brien" → ["obrien"].
    """
    return list(_name_words(name or ""))


@lru_cache(maxsize=8192)  # pure; a search splits the same candidates' names thousands of times
def _name_words(name: str) -> tuple[str, ...]:
    parts = [w for w in (normalise(p) for p in re.split(r"[\s\-]+", name)) if w]
    whole = "".join(parts)
    return tuple(parts + ([whole] if len(parts) > 1 else []))


@lru_cache(maxsize=65536)  # pure; scoring a pool of 200 children repeats the same pairs
def name_similarity(a: str, b: str) -> float:
    a, b = normalise(a), normalise(b)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    score = jellyfish.jaro_winkler_similarity(a, b)
    if phonetic_key(a) == phonetic_key(b):
        score = max(score, SOUNDS_ALIKE)
    return score


def full_name_similarity(first: str, last: str, cand_first: str, cand_last: str) -> tuple[float, bool]:
    """Best of the straight and swapped comparisons; the flag says the swapped order won."""
    straight = (name_similarity(first, cand_first) + name_similarity(last, cand_last)) / 2
    swapped = (name_similarity(first, cand_last) + name_similarity(last, cand_first)) / 2
    return (swapped, True) if swapped > straight else (straight, False)


def dob_adjustment(given: date | None, known: date | None) -> float:
    if given is None or known is None:
        return 0.0
    if given == known:
        return DOB_SAME
    parts_differ = sum((given.day != known.day, given.month != known.month, given.year != known.year))
    swapped = given.year == known.year and given.day == known.month and given.month == known.day
    if parts_differ == 1 or swapped:
        return DOB_NEAR
    return DOB_DIFFERENT


@dataclass(frozen=True)
class NameScore:
    score: float
    swapped: bool


def score_candidate(
    *, first: str, last: str, dob: date | None, cand_first: str, cand_last: str, cand_dob: date | None
) -> NameScore:
    similarity, swapped = full_name_similarity(first, last, cand_first, cand_last)
    return NameScore(similarity + dob_adjustment(dob, cand_dob), swapped)


@dataclass(frozen=True)
class NameMatch:
    score: float  # name similarity plus the date-of-birth adjustment
    swapped: bool
    same_name: bool  # the name is as good as identical (SAME_NAME)


def part_similarity(typed: str, name: str) -> float:
    """A typed name against one name; a part of a several-word name nearly counts as the whole."""
    best = name_similarity(typed, name)
    parts = name_words(name)
    if len(parts) > 1:
        best = max([best] + [name_similarity(typed, p) * PART_MATCH for p in parts[:-1]])
    return best


def score_name(
    words: list[str],
    cand_first: str,
    cand_last: str,
    *,
    dob: date | None,
    cand_dob: date | None,
    first: str = "",
    last: str = "",
) -> NameMatch:
    """How well the typed words (any order) match a first and last name, with the date of birth.

    With ``first`` and ``last`` given (the exact search) only the same first and last names match.
    """
    adjustment = dob_adjustment(dob, cand_dob)
    if first or last:
        same = part_similarity(first, cand_first) == 1.0 and part_similarity(last, cand_last) >= PART_MATCH
        return NameMatch((1.0 if same else 0.0) + adjustment, False, same)
    if not words:
        return NameMatch(0.0, False, False)
    if len(words) == 1:
        whole = [cand_first, cand_last] + name_words(cand_first) + name_words(cand_last)
        similarity = max(name_similarity(words[0], w) for w in whole)
        # One word is never the same child on its own.
        return NameMatch(similarity + adjustment, False, False)
    best, swapped = 0.0, False
    for split in range(1, len(words)):
        typed_first, typed_last = "".join(words[:split]), "".join(words[split:])
        straight = (part_similarity(typed_first, cand_first) + part_similarity(typed_last, cand_last)) / 2
        other_way = (part_similarity(typed_first, cand_last) + part_similarity(typed_last, cand_first)) / 2
        if straight > best:
            best, swapped = straight, False
        if other_way > best:
            best, swapped = other_way, True
    return NameMatch(best + adjustment, swapped, best >= SAME_NAME)
