"""Search before create: find a child by a name typed in one box (any order) and a date of birth.

The name is split into words on the server. Each word is looked up in the name index
(``NameKey``: every word of every name and alias, with two sound-alike keys; on PostgreSQL misspellings
through trigrams on the vocabulary of indexed words, ``NameWord``), and each lookup reads at most a
fixed number of children, newest first, so the work is bounded whatever the number of children
(``_candidates_sql``). The database ranks those candidates (exact date of birth first, then how many
of the words matched, then how closely) before any limit; only the best ``POOL_SIZE`` are scored in Python with Jaro-Winkler
similarity over whole names (``matching.py``). ADR: docs/decisions/0013-name-search.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    F,
    FloatField,
    Func,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)

from safeguard.access.policy import children_visible_to
from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record

from .matching import MATCH_THRESHOLD, name_words, normalise, phonetic_key, score_name, second_key
from .models import Child, ChildName, NameKey, NameWord

POOL_SIZE = 200  # children ranked by the database, then scored by whole-name similarity
# Bounds on what one search reads from the index (issue 15): its cost stays flat with the database.
CANDIDATES_PER_KEY = 100  # newest children read for one typed word's spelling or sound key
SIMILAR_SPELLINGS = 8  # closest spellings in the vocabulary to a typed word (PostgreSQL trigrams)
CANDIDATES_PER_SPELLING = 30  # newest children read for each of those spellings
CANDIDATES_BORN_SAME_DAY = 500  # children born on the date typed (a force area has about 80 a day)
MAX_RESULTS = 20
MAX_WORDS = 6  # words of a name used in the search (a longer line is cut)
TRIGRAM_THRESHOLD = 0.45  # for the % operator (pg_trgm's default, 0.3, lets "jo…" match most names)


# -- the index ---------------------------------------------------------------------------------


def _key_rows(child_id: int, first: str, last: str, alias: bool, born) -> list[NameKey]:
    rows = []
    for part, name in ((NameKey.Part.FIRST, first), (NameKey.Part.LAST, last)):
        for word in name_words(name):
            rows.append(
                NameKey(
                    child_id=child_id,
                    part=part,
                    alias=alias,
                    word=word[:100],
                    key=phonetic_key(word),
                    key2=second_key(word),
                    born=born,
                )
            )
    return rows


def name_index_refresh(*, child: Child) -> None:
    """Rebuild the child's search index from its record and every name it is known by.

    Called by the services in the transaction that changes a name, and by migration 0005 for records
    made before the index existed.
    """
    NameKey.objects.filter(child=child).delete()
    if child.merged_into_id:
        return  # a record merged into another is never offered
    rows = _key_rows(child.pk, child.first_name, child.last_name, alias=False, born=child.date_of_birth)
    for first, last, kind in ChildName.objects.filter(child=child).values_list(
        "first_name", "last_name", "kind"
    ):
        rows += _key_rows(child.pk, first, last, alias=kind == ChildName.Kind.ALIAS, born=child.date_of_birth)
    unique = {(r.part, r.alias, r.word): r for r in rows}
    NameKey.objects.bulk_create(unique.values())
    NameWord.objects.bulk_create([NameWord(word=w) for w in sorted({r.word for r in rows})], ignore_conflicts=True)


# -- the search --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchMatch:
    child: Child
    score: float
    matched_name: str  # the name or alias that matched best
    matched_alias: bool
    swapped: bool  # first and last names matched the other way round
    same_child: bool = False  # exact name and date of birth: this looks like the same child


@dataclass(frozen=True)
class SearchResult:
    visible_matches: list[SearchMatch]
    hidden_match_exists: bool
    # Record numbers of likely matches the user cannot see: only for the break-glass link, never
    # shown with a name or any detail.
    hidden_match_ids: tuple[int, ...] = ()
    # A record the user cannot see has the same name and date of birth (never which one).
    hidden_same_child: bool = False

    @property
    def same_child(self) -> SearchMatch | None:
        return next((m for m in self.visible_matches if m.same_child), None)


class _TrigramSimilar(Func):
    """``word % 'text'`` on PostgreSQL (pg_trgm): true when the two are similar past the threshold."""

    template = "%(expressions)s"
    arg_joiner = " %% "  # "%" escaped for the driver
    output_field = BooleanField()


class _TrigramSimilarity(Func):
    function = "SIMILARITY"
    output_field = FloatField()


def _typed_words(name: str) -> list[str]:
    """The words typed, in order ("O'Brien-Smith" stays one word): what whole names are scored by."""
    return [w for w in (normalise(raw) for raw in re.split(r"[\s,]+", name or "")) if w][:MAX_WORDS]


def _lookup_words(name: str) -> list[str]:
    """Each typed word and, for a hyphenated word, its parts: what the index is searched for."""
    words: list[str] = []
    for raw in re.split(r"[\s,]+", name or ""):
        words += [w for w in name_words(raw) if w not in words]
    return words[: MAX_WORDS * 2]


def _newest(rows: QuerySet[NameKey], cap: int) -> tuple[str, tuple]:
    """SQL for the ids of the newest ``cap`` children among these index rows (an index range read
    that stops at the cap: the indexes end in the child id, newest first)."""
    sql, params = rows.order_by("-child_id").values_list("child_id", flat=True)[:cap].query.sql_with_params()
    return sql, tuple(params)


def _candidates_sql(words: list[str], date_of_birth: date | None) -> tuple[str, list]:
    """Children worth ranking, as one SQL union of bounded index reads (issue 15): for each typed word,
    the newest ``CANDIDATES_PER_KEY`` children with that exact word, with its metaphone key and with
    its NYSIIS key; on PostgreSQL, for the ``SIMILAR_SPELLINGS`` spellings in the vocabulary closest
    to it (trigrams), the newest ``CANDIDATES_PER_SPELLING`` children of each; and with a date of
    birth, the children born that day (exact dates of birth rank first, whatever the names' frequency).
    A child whose name shares only a very common word or sound with the search, and no date of birth,
    is found when it is among the newest with that word; a rarer word of the name finds it anyway."""
    reads: list[tuple[str, tuple]] = []
    looked_up: set[tuple[str, str]] = set()
    for word in words:
        for field, value in (("word", word), ("key", phonetic_key(word)), ("key2", second_key(word))):
            if value and (field, value) not in looked_up:
                looked_up.add((field, value))
                reads.append(_newest(NameKey.objects.filter(**{field: value}), CANDIDATES_PER_KEY))
    if date_of_birth:
        reads.append(_newest(NameKey.objects.filter(born=date_of_birth), CANDIDATES_BORN_SAME_DAY))
    if connection.vendor == "postgresql":
        keys, vocabulary = NameKey._meta.db_table, NameWord._meta.db_table
        for word in words:
            if len(word) >= 3:
                reads.append((  # table names from the models; the typed word is a parameter
                    f"SELECT k.child_id FROM (SELECT word FROM {vocabulary} WHERE word %% %s"  # noqa: S608
                    f" ORDER BY similarity(word, %s) DESC, word LIMIT %s) v"
                    f" CROSS JOIN LATERAL (SELECT child_id FROM {keys} WHERE word = v.word"
                    f" ORDER BY child_id DESC LIMIT %s) k",
                    (word, word, SIMILAR_SPELLINGS, CANDIDATES_PER_SPELLING),
                ))
    # Each part is SQL compiled by the ORM or the fixed text above; every value is a parameter.
    sql = " UNION ".join(f"SELECT child_id FROM ({part}) AS read{n}" for n, (part, _) in enumerate(reads))  # noqa: S608
    return sql, [param for _, params in reads for param in params]


def _ranked_pool(words: list[str], date_of_birth: date | None) -> list[int]:
    """Child ids whose names share a word (or its sound) with the search, best first, at most POOL_SIZE.

    The database ranks only the bounded candidates of ``_candidates_sql`` (every name row of each),
    so the cost does not grow with how many children share a sound with the typed words."""
    postgres = connection.vendor == "postgresql"
    matched_words = []
    for word in words:
        this_word = Q(word=word) | Q(key=phonetic_key(word)) | Q(key2=second_key(word))
        if postgres and len(word) >= 3:
            this_word |= Q(_TrigramSimilar(F("word"), Value(word)))
        matched_words.append(Max(Case(When(this_word, then=1), default=0, output_field=IntegerField())))
    ranking = {
        "words": sum(matched_words[1:], matched_words[0]),
        "exact": Sum(Case(When(word__in=words, then=1), default=0, output_field=IntegerField())),
        "dob": Max(Case(When(born=date_of_birth, then=1), default=0, output_field=IntegerField()))
        if date_of_birth
        else Value(0, output_field=IntegerField()),
    }
    order = ["-dob", "-words", "-exact"]
    if postgres:
        ranking["closeness"] = Max(
            sum(
                (_TrigramSimilarity(F("word"), Value(w)) for w in words[1:]),
                _TrigramSimilarity(F("word"), Value(words[0])),
            )
        )
        order.append("-closeness")
    def ranked() -> list[int]:
        # The candidates first, as a list: the ranking then reads their rows by the child index (a
        # subquery would be planned as a hash join over the whole index).
        sql, params = _candidates_sql(words, date_of_birth)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            candidates = [child_id for (child_id,) in cursor.fetchall()]
        if not candidates:
            return []
        rows = (
            NameKey.objects.filter(child_id__in=candidates)
            .values("child_id")
            .annotate(**ranking)
            .filter(words__gt=0)  # type: ignore[misc]  # annotated above; born that day, no word shared: no match
            .order_by(*order, "-child_id")[:POOL_SIZE]
        )
        return [row["child_id"] for row in rows]

    if not postgres:
        return ranked()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.similarity_threshold', %s, true)", [str(TRIGRAM_THRESHOLD)]
        )
        return ranked()


def _score_pool(
    pool: list[int], words: list[str], date_of_birth: date | None, *, first: str = "", last: str = ""
) -> list[tuple[Child, SearchMatch]]:
    # A record merged away since it was indexed is never offered.
    children = {c.pk: c for c in Child.objects.filter(pk__in=pool, merged_into__isnull=True)}
    names: dict[int, list[tuple[str, str, bool]]] = {
        pk: [(c.first_name, c.last_name, False)] for pk, c in children.items()
    }
    for child_id, f, la, kind in ChildName.objects.filter(child_id__in=pool).values_list(
        "child_id", "first_name", "last_name", "kind"
    ):
        if child_id in names:  # a record merged away since it was indexed is left out
            names[child_id].append((f, la, kind == ChildName.Kind.ALIAS))
    scored = []
    for pk, child in children.items():
        best = None
        for cand_first, cand_last, alias in names[pk]:
            result = score_name(
                words,
                cand_first,
                cand_last,
                dob=date_of_birth,
                cand_dob=child.date_of_birth,
                first=first,
                last=last,
            )
            if best is None or result.score > best.score or (result.score == best.score and not alias):
                best = SearchMatch(
                    child=child,
                    score=round(result.score, 3),
                    matched_name=f"{cand_first} {cand_last}".strip(),
                    matched_alias=alias,
                    swapped=result.swapped,
                    same_child=result.same_name
                    and date_of_birth is not None
                    and date_of_birth == child.date_of_birth,
                )
        if best is not None and best.score >= MATCH_THRESHOLD:
            scored.append((child, best))
    scored.sort(
        key=lambda item: (
            -(date_of_birth is not None and item[0].date_of_birth == date_of_birth),
            -item[1].score,
            -item[0].pk,
        )
    )
    return scored


def child_search(
    user,
    *,
    name: str = "",
    first_name: str = "",
    last_name: str = "",
    date_of_birth: date | None = None,
    visible: QuerySet[Child] | None = None,
) -> SearchResult:
    """Likely matches for a name (every name and alias; misspelt; any order) and date of birth.

    Give ``name`` (one box, any order) or ``first_name`` and ``last_name`` (the exact search: the
    first name is compared with first names only, the last with last names). Only children the
    user may see are returned (``visible``, from the access module: pages pass
    ``children_visible_for(request)`` so that break glass counts); that a likely match exists
    elsewhere is a yes/no. The search is
    audited with counts only: no name is written to the audit trail.
    """
    exact = bool(first_name or last_name) and not name
    typed = f"{first_name} {last_name}" if exact else name
    words, lookup = _typed_words(typed), _lookup_words(typed)
    scored = []
    if words and lookup:
        pool = _ranked_pool(lookup, date_of_birth)
        scored = _score_pool(
            pool, words, date_of_birth, first=first_name if exact else "", last=last_name if exact else ""
        )
    ids = [child.pk for child, _ in scored]
    shown = {
        child.pk: child
        for child in (children_visible_to(user) if visible is None else visible)
        .filter(pk__in=ids)
        .select_related("lead_agency")
    }
    matches = [replace(match, child=shown[child.pk]) for child, match in scored if child.pk in shown][
        :MAX_RESULTS
    ]
    hidden = tuple(pk for pk in ids if pk not in shown)
    hidden_same = any(match.same_child for child, match in scored if child.pk not in shown)
    audit_record(
        verb=Verb.CHILD_SEARCHED,
        actor=user,
        payload={
            "visible_matches": len(matches),
            "hidden_match": bool(hidden),
            "with_date_of_birth": date_of_birth is not None,
        },
    )
    return SearchResult(
        visible_matches=matches,
        hidden_match_exists=bool(hidden),
        hidden_match_ids=hidden[:3],
        hidden_same_child=hidden_same,
    )
