"""`safeguard bench-data`: the synthetic data set the benchmark runs on (docs/performance.md)."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count

from safeguard.accounts.models import User
from safeguard.children.matching import phonetic_key
from safeguard.children.models import Child, ChildName, ChronologyItem, NameKey, NameWord
from safeguard.missing.models import Episode
from safeguard.referrals.models import Referral

pytestmark = pytest.mark.django_db


class _Undo(Exception):
    pass


def _load(path) -> dict:
    call_command("bench-data", "--scale", "tiny", "--as-of", "2026-11-30", "--planted", str(path))
    return json.loads(path.read_text())


def test_tiny_scale_has_the_promised_shape(tmp_path):
    planted = _load(tmp_path / "planted.json")

    assert Child.objects.count() == 300
    assert Referral.objects.count() == 120
    assert Episode.objects.count() == 40
    assert User.objects.filter(username__startswith="bench.").count() == 60
    # Every child has its name row, keyed the way the child services key it.
    assert ChildName.objects.filter(kind=ChildName.Kind.PRIMARY).count() == 300
    for name in ChildName.objects.all()[:50]:
        assert (name.first_key, name.last_key) == (phonetic_key(name.first_name), phonetic_key(name.last_name))
    assert ChildName.objects.filter(kind=ChildName.Kind.ALIAS).exists()
    assert not Child.objects.annotate(n=Count("involvements")).filter(n=0).exists()
    # A long tail: the heaviest child has far more chronology than the typical one.
    heaviest = planted["heavy_children"][0]
    assert ChronologyItem.objects.filter(child_id=heaviest).count() == 67
    assert 900 <= ChronologyItem.objects.count() <= 1500
    # Planted queries are misspellings of a real child's name or alias.
    assert len(planted["queries"]) == 10
    for query in planted["queries"]:
        assert Child.objects.filter(pk=query["child_id"]).exists()
        names = {(n.first_name, n.last_name) for n in ChildName.objects.filter(child_id=query["child_id"])}
        assert (query["first_name"], query["last_name"]) not in names


def test_the_search_index_is_filled_as_the_child_services_fill_it(tmp_path):
    from safeguard.children.search import name_index_refresh

    _load(tmp_path / "planted.json")
    assert not Child.objects.exclude(pk__in=NameKey.objects.values("child_id")).exists()
    # The vocabulary misspellings are matched against holds every indexed word, once.
    vocabulary = list(NameWord.objects.values_list("word", flat=True))
    assert len(vocabulary) == len(set(vocabulary))
    assert set(vocabulary) == set(NameKey.objects.values_list("word", flat=True))

    def rows(child_id):
        return sorted(NameKey.objects.filter(child_id=child_id).values_list("part", "alias", "word", "key", "key2",
                                                                              "born"))

    with_alias = ChildName.objects.filter(kind=ChildName.Kind.ALIAS).values_list("child_id", flat=True)[:5]
    double = Child.objects.filter(last_name__contains="-").values_list("pk", flat=True)[:5]
    checked = [*with_alias, *double, *Child.objects.values_list("pk", flat=True)[:20]]
    assert len(set(checked)) >= 20
    for child_id in set(checked):
        generated = rows(child_id)
        name_index_refresh(child=Child.objects.get(pk=child_id))
        assert rows(child_id) == generated, child_id


def test_planted_children_are_found_by_the_search(tmp_path, personas):
    """The planted queries through the product's own search, at tiny scale (the benchmark measures
    the same at small, medium and region scale): every one in the first five."""
    from datetime import date

    from safeguard.children.search import child_search

    planted = _load(tmp_path / "planted.json")
    misses = []
    for query in planted["queries"]:
        dob = date.fromisoformat(query["date_of_birth"]) if query["date_of_birth"] else None
        found = child_search(personas.mash_worker, name=f"{query['first_name']} {query['last_name']}",
                             date_of_birth=dob)
        ids = [m.child.pk for m in found.visible_matches[:5]]
        if query["child_id"] not in ids:
            misses.append(query)
        elif dob:  # an exact date of birth ranks first among children found
            scores = [m.child.date_of_birth == dob for m in found.visible_matches]
            assert scores == sorted(scores, reverse=True), query
    assert misses == []


def test_the_same_seed_and_day_give_the_same_rows(tmp_path):
    with pytest.raises(_Undo), transaction.atomic():
        first = _load(tmp_path / "first.json")
        first_names = list(Child.objects.order_by("pk").values_list("pk", "first_name", "last_name"))
        raise _Undo
    assert not Child.objects.exists()
    second = _load(tmp_path / "second.json")

    assert second["digest"] == first["digest"]
    assert second["queries"] == first["queries"]
    assert list(Child.objects.order_by("pk").values_list("pk", "first_name", "last_name")) == first_names


def test_refuses_a_database_that_already_has_children(tmp_path, personas):
    from tests.factories import child

    child(first_name="Ann", last_name="Example")
    with pytest.raises(CommandError, match="already holds child records"):
        call_command("bench-data", "--scale", "tiny", "--planted", str(tmp_path / "p.json"))
