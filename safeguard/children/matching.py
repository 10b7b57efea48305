"""Name matching for search before create: phonetic keys and a similarity score (jellyfish).

A name is compared with every name a child is known by, in both orders (first/last swapped), with
Jaro-Winkler similarity; a name that sounds the same (same metaphone key) counts as a near match,
so "Jody Smith" finds "Jodie Smyth". The date of birth raises or lowers the score. Thresholds are
here, named, so a change is one line and a test.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

import jellyfish

KEY_LENGTH = 20  # ChildName.first_key / last_key max_length
SOUNDS_ALIKE = 0.95  # similarity given to two names with the same phonetic key
MATCH_THRESHOLD = 0.85
DOB_SAME = 0.10
DOB_NEAR = -0.05  # one of day, month, year differs, or day and month are swapped
DOB_DIFFERENT = -0.20


def normalise(name: str) -> str:
    """Lower case, accents dropped, letters only: "O'Brien-Smith" → "obriensmith"."""
    folded = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
    return "".join(c for c in folded.lower() if c.isalpha())


def phonetic_key(name: str) -> str:
    plain = normalise(name)
    return jellyfish.metaphone(plain)[:KEY_LENGTH].upper() if plain else ""


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
