"""Name search reads a bounded number of index rows however many children share a name (issue 15).

Each typed word's spelling and sound keys read at most ``CANDIDATES_PER_KEY`` children, newest first;
a date of birth reads the children born that day. These tests lower the caps so that a handful of
records is "over the cap", and check what is still found and that every read carries its LIMIT.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeguard.children import search
from safeguard.children.models import NameKey, NameWord
from safeguard.children.search import name_index_refresh
from safeguard.children.selectors import child_search
from tests.factories import child as bare_child

CAP = 4


@pytest.fixture
def low_caps(monkeypatch):
    monkeypatch.setattr(search, "CANDIDATES_PER_KEY", CAP)
    monkeypatch.setattr(search, "CANDIDATES_PER_SPELLING", CAP)
    monkeypatch.setattr(search, "CANDIDATES_BORN_SAME_DAY", CAP)


def indexed(school, first, last, dob=date(2012, 5, 14)):
    record = bare_child(first_name=first, last_name=last, dob=dob, involved=[school])
    name_index_refresh(child=record)
    return record


def found(user, name, dob=None):
    return [m.child for m in child_search(user, name=name, date_of_birth=dob).visible_matches]


def test_a_rare_word_finds_the_child_when_the_common_one_is_over_the_cap(personas, low_caps):
    target = indexed(personas.school, "Jodie", "Quartermaine")  # the oldest record
    crowd = [indexed(personas.school, "Jodie", f"Smyth{n}") for n in range(CAP * 3)]
    assert NameKey.objects.filter(word="jodie").count() > CAP
    assert found(personas.practitioner, "Jody Quartermain")[:1] == [target]
    # The common word alone offers the newest children who share it, never more than the cap reads.
    alone = found(personas.practitioner, "Jodie")
    assert alone and set(alone) <= set(crowd[-CAP:])


def test_an_exact_date_of_birth_finds_the_child_behind_any_number_of_namesakes(personas, low_caps):
    born = indexed(personas.school, "Jodie", "Smith", dob=date(2001, 1, 1))  # the oldest record
    for n in range(CAP * 3):
        indexed(personas.school, "Jodie", "Smith", dob=date(2010, 1, 1 + n))
    assert found(personas.practitioner, "Jody Smyth", date(2001, 1, 1))[:1] == [born]
    # Without the date, the oldest namesake is beyond every capped read: only the newest are offered.
    assert born not in found(personas.practitioner, "Jody Smyth")


def test_a_child_born_that_day_whose_names_share_nothing_is_not_offered(personas, low_caps):
    indexed(personas.school, "Zebedee", "Quill", dob=date(2001, 1, 1))
    assert found(personas.practitioner, "Jodie Smith", date(2001, 1, 1)) == []


def test_every_read_of_the_index_stops_at_its_cap(personas, low_caps):
    for n in range(CAP * 3):
        indexed(personas.school, "Jodie", f"Smyth{n}")
    with CaptureQueriesContext(connection) as queries:
        found(personas.practitioner, "Jody Smith", date(2012, 5, 14))
    table = NameKey._meta.db_table
    reading = [q["sql"] for q in queries.captured_queries if table in q["sql"]]
    # Two queries read the index: the bounded candidates, then the ranking of those children only.
    assert len(reading) == 2
    candidates, ranking = reading
    reads = candidates.count(f'FROM "{table}"') + candidates.count(f"FROM {table} ")
    limits = [int(n) for n in re.findall(r"LIMIT (\d+)", candidates)]
    assert reads >= 3 and len(limits) >= reads  # every read of the index stops at a LIMIT
    assert all(n <= max(CAP, search.SIMILAR_SPELLINGS) for n in limits)
    assert "IN (" in ranking and re.search(r"LIMIT (\d+)", ranking).group(1) == str(search.POOL_SIZE)


def test_the_vocabulary_holds_each_indexed_word_once(personas):
    indexed(personas.school, "Kayleigh", "Smith-Jones")
    indexed(personas.school, "Kayleigh", "Smith")
    words = list(NameWord.objects.order_by("word").values_list("word", flat=True))
    assert words == ["jones", "kayleigh", "smith", "smithjones"]
