"""Search before create: fuzzy and phonetic names, aliases, names in any order, one word, one part of
a double-barrelled surname, date of birth, and matches the user cannot see reported only as 'a
possible match exists'. The table of cases is what the search must pass."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from safeguard.audit.models import AuditEvent, Verb
from safeguard.children.models import Child
from safeguard.children.search import POOL_SIZE, name_index_refresh
from safeguard.children.selectors import child_search
from tests.factories import access_for
from tests.factories import child as bare_child
from tests.ui.html import without_per_request_tokens

from .conftest import make_child


def found(user, name, dob=None):
    return [m.child for m in child_search(user, name=name, date_of_birth=dob).visible_matches]


def found_exact(user, first, last, dob=None):
    result = child_search(user, first_name=first, last_name=last, date_of_birth=dob)
    return [m.child for m in result.visible_matches]


@pytest.fixture
def known(personas):
    """The children the table of cases searches among, by a short label."""
    p = personas.practitioner
    return {
        "jodie": make_child(p, "Jodie", "Smyth", date(2012, 5, 14), aliases=[("JJ", "Smith")]),
        "kayleigh": make_child(p, "Kayleigh", "Smith-Jones", date(2010, 2, 1)),
        "tyler": make_child(p, "Tyler", "Brooks", date(2009, 7, 20), aliases=[("Ghost", "")]),
        "amira": make_child(p, "Amira", "Khan", date(2011, 4, 3)),
        "mary": make_child(p, "Mary Ann", "O'Brien", date(2013, 11, 8)),
    }


CASES = [
    # (what is typed in the name box, date of birth, the children found in that order)
    ("Jody Smith", None, ["jodie"]),  # the README's example: both names misspelt
    ("Jodie Smyth", None, ["jodie"]),
    ("jodi smythe", None, ["jodie"]),
    ("Smyth Jodie", None, ["jodie"]),  # first and last names swapped
    ("Smith Jody", None, ["jodie"]),
    ("Smyth, Jodie", None, ["jodie"]),  # last name first, with a comma
    ("JJ Smith", None, ["jodie"]),  # an alias
    ("  jodie   SMYTH ", None, ["jodie"]),  # spacing and capitals do not matter
    ("Jodie", None, ["jodie"]),  # one word: a first name
    ("Smyth", None, ["jodie", "kayleigh"]),  # one word: a last name, then one that sounds the same
    ("Ghost", None, ["tyler"]),  # one word: a street name known only as one word
    ("Kayleigh Jones", None, ["kayleigh"]),  # one part of a double-barrelled surname
    ("Kayleigh Smith", None, ["kayleigh"]),  # the other part
    ("Jones Kayleigh", None, ["kayleigh"]),  # a part, in the other order
    ("Kayley Smith Jones", None, ["kayleigh"]),  # misspelt, and a space for the hyphen
    ("Smith-Jones", None, ["kayleigh", "jodie"]),  # then the child also known as Smith
    ("Amirah Kahn", None, ["amira"]),
    ("Amira Khan", date(2011, 4, 3), ["amira"]),
    ("Mary Ann O'Brien", None, ["mary"]),  # two first names and an apostrophe
    ("Mary OBrien", None, ["mary"]),
    ("Obrien Mary-Ann", None, ["mary"]),
    ("Kayleigh Brown", None, []),  # unrelated names are not matches
    ("Jodie Brown", None, []),
    ("Zebedee Quartermaine", None, []),
]


@pytest.mark.parametrize(("typed", "dob", "expected"), CASES, ids=[c[0].strip() for c in CASES])
def test_the_search_finds_the_child(personas, known, typed, dob, expected):
    assert found(personas.practitioner, typed, dob) == [known[label] for label in expected]


def test_one_word_finds_every_child_known_by_it(personas, known):
    # "Smith" is Jodie's alias surname and one part of Kayleigh's double-barrelled surname.
    assert set(found(personas.practitioner, "Smith")) == {known["jodie"], known["kayleigh"]}


def test_exact_search_by_first_and_last_name(personas, known):
    user = personas.practitioner
    assert found_exact(user, "Jodie", "Smyth") == [known["jodie"]]
    assert found_exact(user, "JJ", "Smith") == [known["jodie"]]
    assert found_exact(user, "Kayleigh", "Jones") == [known["kayleigh"]]
    # Exact: no misspellings, no swapped names.
    assert found_exact(user, "Jody", "Smith") == []
    assert found_exact(user, "Smyth", "Jodie") == []


def test_alias_added_later_is_found(personas, known):
    from safeguard.children.services import child_add_alias

    assert found(personas.practitioner, "Precious Okafor") == []
    child_add_alias(
        access=access_for(personas.practitioner, known["jodie"]), first_name="Precious", last_name="Okafor"
    )
    assert found(personas.practitioner, "Precious Okafor") == [known["jodie"]]


def test_date_of_birth_boosts_and_filters(personas):
    twin_a = make_child(personas.practitioner, "John", "Smith", dob=date(2011, 1, 2))
    twin_b = make_child(personas.practitioner, "John", "Smith", dob=date(2013, 9, 30))
    assert set(found(personas.practitioner, "John Smith")) == {twin_a, twin_b}
    # An exact date of birth puts that child first, and a far-off date rules the other out.
    assert found(personas.practitioner, "John Smith", date(2011, 1, 2)) == [twin_a]
    # A date one part out (a typo) still finds the child.
    assert found(personas.practitioner, "John Smith", date(2011, 1, 3)) == [twin_a]
    # A weaker name match is lifted over the line by the same date of birth.
    assert found(personas.practitioner, "Jon Smithson", date(2013, 9, 30)) == [twin_b]


def test_an_exact_date_of_birth_ranks_first_even_under_a_closer_name(personas):
    close_name = make_child(personas.practitioner, "Jodie", "Smyth", dob=date(2012, 5, 15))
    same_day = make_child(personas.practitioner, "Jodi", "Smythe", dob=date(2012, 5, 14))
    assert found(personas.practitioner, "Jodie Smyth", date(2012, 5, 14)) == [same_day, close_name]


def test_same_name_and_date_of_birth_looks_like_the_same_child(personas, known):
    result = child_search(personas.practitioner, name="Amira Khan", date_of_birth=date(2011, 4, 3))
    assert result.same_child is not None and result.same_child.child == known["amira"]
    # A misspelt name, or no date of birth, is a possible match, not the same child.
    assert (
        child_search(personas.practitioner, name="Amirah Kahn", date_of_birth=date(2011, 4, 3)).same_child
        is None
    )
    assert child_search(personas.practitioner, name="Amira Khan").same_child is None


def test_the_database_ranks_before_the_pool_is_cut(personas):
    """Many older children sharing one word must not crowd out the child whose names both match."""
    target = make_child(personas.practitioner, "Jodie", "Smyth", dob=date(2012, 5, 14))
    for n in range(POOL_SIZE + 5):
        crowd = bare_child(first_name="Jodie", last_name=f"Quill{n:03d}", involved=[personas.school])
        name_index_refresh(child=crowd)
    assert found(personas.practitioner, "Jody Smith")[:1] == [target]
    # And with a date of birth, the child born that day comes first however many share the name.
    born = bare_child(
        first_name="Jodie", last_name="Quill999", dob=date(2001, 1, 1), involved=[personas.school]
    )
    name_index_refresh(child=born)
    assert found(personas.practitioner, "Jodie Quill", date(2001, 1, 1))[:1] == [born]


def test_the_search_is_a_fixed_number_of_queries(personas, known, django_assert_max_num_queries):
    for n in range(30):
        make_child(personas.practitioner, "Jodie", f"Smyth{n}")
    with django_assert_max_num_queries(12):
        found(personas.practitioner, "Jody Smith", date(2012, 5, 14))


def test_records_made_without_name_rows_are_found_once_indexed(personas):
    # An import that writes only the record is found once its names are indexed (as migration 0005
    # does for every record made before the index).
    legacy = bare_child(first_name="Jodie", last_name="Smyth", involved=[personas.school])
    name_index_refresh(child=legacy)
    assert found(personas.practitioner, "Jody Smith") == [legacy]


def test_merged_away_records_are_not_offered(personas, known):
    other = make_child(personas.practitioner, "Jodie", "Smith")
    Child.objects.filter(pk=other.pk).update(merged_into=known["jodie"])
    assert found(personas.practitioner, "Jody Smith") == [known["jodie"]]


def test_outsider_never_sees_a_hidden_child_but_learns_a_match_exists(personas, school_child):
    result = child_search(personas.outsider, name="Jody Smith")
    assert result.visible_matches == []
    assert result.hidden_match_exists is True
    assert result.hidden_match_ids == (school_child.pk,)
    assert child_search(personas.outsider, name="Kayleigh Brown").hidden_match_exists is False


def test_search_is_audited_with_counts_and_no_names(personas, school_child):
    child_search(personas.outsider, name="Jody Smith", date_of_birth=date(2012, 5, 14))
    event = AuditEvent.objects.filter(verb=Verb.CHILD_SEARCHED).latest("id")
    assert event.actor == personas.outsider
    assert event.payload == {"visible_matches": 0, "hidden_match": True, "with_date_of_birth": True}
    assert "Jod" not in str(event.payload) and "Sm" not in str(event.payload)


# -- the page ------------------------------------------------------------------------------------


def test_search_page_shows_the_notice_without_the_hidden_childs_details(client_for, personas, school_child):
    client = client_for(personas.outsider)
    response = client.post(reverse("children:search"), {"name": "Jody Smith"})
    # Random tokens (CSRF, nonce) could contain "2012" by chance; they carry nothing about the child.
    page = without_per_request_tokens(response.content)
    assert response.status_code == 200
    assert "A possible match exists in another agency" in page
    assert reverse("children:break_glass", kwargs={"child_id": school_child.pk}) in page
    for detail in ("Jodie", "Smyth", "JJ", "2012", "Northgate"):
        assert detail not in page


def test_search_page_lists_visible_matches_with_the_alias_that_matched(client_for, personas, school_child):
    client = client_for(personas.practitioner)
    page = client.post(reverse("children:search"), {"name": "JJ Smith"}).content.decode()
    assert "Jodie Smyth" in page and "Also known as JJ Smith" in page
    assert "A possible match exists in another agency" not in page


def test_search_page_says_plainly_when_it_looks_like_the_same_child(client_for, personas, known):
    client = client_for(personas.practitioner)
    page = client.post(
        reverse("children:search"),
        {
            "name": "Amira Khan",
            "date_of_birth_day": "3",
            "date_of_birth_month": "4",
            "date_of_birth_year": "2011",
        },
    ).content.decode()
    assert "This looks like the same child" in page


def test_search_page_exact_boxes_need_both_names_and_keep_what_was_typed(client_for, personas):
    client = client_for(personas.practitioner)
    page = client.post(reverse("children:search"), {"first_name": "Jody", "last_name": ""}).content.decode()
    assert "Enter the child&#x27;s last name" in page or "Enter the child's last name" in page
    assert 'value="Jody"' in page


def test_search_page_needs_a_name(client_for, personas):
    page = client_for(personas.practitioner).post(reverse("children:search"), {"name": "  "}).content.decode()
    assert "Enter the child&#x27;s name" in page or "Enter the child's name" in page


def test_the_one_box_starts_a_new_record_with_the_name_split(client_for, personas):
    client = client_for(personas.practitioner)
    client.post(reverse("children:search"), {"name": "Smyth, Jodie"})
    page = client.get(reverse("children:create")).content.decode()
    assert 'value="Jodie"' in page and 'value="Smyth"' in page


def test_a_name_never_goes_in_the_url(client_for, personas):
    client = client_for(personas.practitioner)
    response = client.post(reverse("children:search"), {"name": "Jody Smith"})
    assert 'method="post"' in response.content.decode()
    assert "Jody" not in response.request["PATH_INFO"] and not response.request.get("QUERY_STRING")


def test_recent_records_are_the_users_own_recent_views(
    client_for, personas, known, django_assert_max_num_queries
):
    client = client_for(personas.practitioner)
    client.get(reverse("children:detail", kwargs={"child_id": known["amira"].pk}))
    client.get(reverse("children:detail", kwargs={"child_id": known["tyler"].pk}))
    with django_assert_max_num_queries(14):
        page = client.get(reverse("children:search")).content.decode()
    recent = page.split("Records you opened recently")[1]
    assert recent.index("Tyler Brooks") < recent.index("Amira Khan")
    assert "Kayleigh" not in recent  # created but never opened


# -- the API -------------------------------------------------------------------------------------


def test_api_search_answers_visible_matches_and_the_hidden_yes_no(client_for, personas, school_child):
    url = reverse("api:children-search")
    answer = (
        client_for(personas.practitioner)
        .post(url, {"name": "Smith Jody"}, content_type="application/json")
        .json()
    )
    assert answer["possible_match_in_another_agency"] is False
    [match] = answer["matches"]
    assert match["id"] == school_child.pk and match["name_matched"] == "Jodie Smyth"
    assert 0.85 <= match["score"] <= 1.2
    hidden = (
        client_for(personas.outsider)
        .post(url, {"name": "Jody Smith"}, content_type="application/json")
        .json()
    )
    assert hidden == {"matches": [], "possible_match_in_another_agency": True}
    assert AuditEvent.objects.filter(verb=Verb.CHILD_SEARCHED, actor=personas.outsider).exists()


def test_api_search_says_what_is_wrong(client_for, personas):
    url = reverse("api:children-search")
    client = client_for(personas.practitioner)
    response = client.post(url, {"name": " ", "date_of_birth": "not a date"}, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) >= {"name", "date_of_birth"}
