"""Search before create: fuzzy and phonetic names, aliases, swapped names, date of birth, and
matches the user cannot see reported only as 'a possible match exists'."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from safeguard.audit.models import AuditEvent, Verb
from safeguard.children.models import Child
from safeguard.children.selectors import child_search
from tests.factories import access_for
from tests.factories import child as bare_child
from tests.ui.html import without_per_request_tokens

from .conftest import make_child


def found(user, first, last, dob=None):
    return [
        m.child
        for m in child_search(user, first_name=first, last_name=last, date_of_birth=dob).visible_matches
    ]


@pytest.mark.parametrize(
    ("first", "last"),
    [
        ("Jody", "Smith"),  # the example: misspelt both names
        ("Jodie", "Smyth"),
        ("jodi", "smythe"),
        ("Smyth", "Jodie"),  # first and last names swapped
        ("Smith", "Jody"),
        ("JJ", "Smith"),  # an alias
    ],
)
def test_name_search_finds_jodie_smyth(personas, school_child, first, last):
    assert found(personas.practitioner, first, last) == [school_child]


def test_unrelated_names_are_not_matches(personas, school_child):
    assert found(personas.practitioner, "Kayleigh", "Brown") == []
    assert found(personas.practitioner, "Jodie", "Brown") == []


def test_alias_added_later_is_found(personas, school_child):
    from safeguard.children.services import child_add_alias

    assert found(personas.practitioner, "Precious", "Okafor") == []
    child_add_alias(
        access=access_for(personas.practitioner, school_child), first_name="Precious", last_name="Okafor"
    )
    assert found(personas.practitioner, "Precious", "Okafor") == [school_child]


def test_date_of_birth_boosts_and_filters(personas):
    twin_a = make_child(personas.practitioner, "John", "Smith", dob=date(2011, 1, 2))
    twin_b = make_child(personas.practitioner, "John", "Smith", dob=date(2013, 9, 30))
    assert set(found(personas.practitioner, "John", "Smith")) == {twin_a, twin_b}
    # An exact date of birth puts that child first, and a far-off date rules the other out.
    assert found(personas.practitioner, "John", "Smith", date(2011, 1, 2)) == [twin_a]
    # A date one part out (a typo) still finds the child.
    assert found(personas.practitioner, "John", "Smith", date(2011, 1, 3)) == [twin_a]
    # A weaker name match is lifted over the line by the same date of birth.
    assert found(personas.practitioner, "Jon", "Smithson", date(2013, 9, 30)) == [twin_b]


def test_records_made_without_name_rows_are_still_found(personas):
    legacy = bare_child(first_name="Jodie", last_name="Smyth", involved=[personas.school])
    assert found(personas.practitioner, "Jody", "Smith") == [legacy]


def test_merged_away_records_are_not_offered(personas, school_child):
    other = make_child(personas.practitioner, "Jodie", "Smith")
    Child.objects.filter(pk=other.pk).update(merged_into=school_child)
    assert found(personas.practitioner, "Jody", "Smith") == [school_child]


def test_outsider_never_sees_a_hidden_child_but_learns_a_match_exists(personas, school_child):
    result = child_search(personas.outsider, first_name="Jody", last_name="Smith")
    assert result.visible_matches == []
    assert result.hidden_match_exists is True
    assert result.hidden_match_ids == (school_child.pk,)
    assert (
        child_search(personas.outsider, first_name="Kayleigh", last_name="Brown").hidden_match_exists is False
    )


def test_search_is_audited_with_counts_and_no_names(personas, school_child):
    child_search(personas.outsider, first_name="Jody", last_name="Smith", date_of_birth=date(2012, 5, 14))
    event = AuditEvent.objects.filter(verb=Verb.CHILD_SEARCHED).latest("id")
    assert event.actor == personas.outsider
    assert event.payload == {"visible_matches": 0, "hidden_match": True, "with_date_of_birth": True}
    assert "Jod" not in str(event.payload) and "Sm" not in str(event.payload)


def test_search_page_shows_the_notice_without_the_hidden_childs_details(client_for, personas, school_child):
    client = client_for(personas.outsider)
    response = client.post(reverse("children:search"), {"first_name": "Jody", "last_name": "Smith"})
    # Random tokens (CSRF, nonce) could contain "2012" by chance; they carry nothing about the child.
    page = without_per_request_tokens(response.content)
    assert response.status_code == 200
    assert "A possible match exists in another agency" in page
    assert reverse("children:break_glass", kwargs={"child_id": school_child.pk}) in page
    for detail in ("Jodie", "Smyth", "JJ", "2012", "Northgate"):
        assert detail not in page


def test_search_page_lists_visible_matches_with_the_alias_that_matched(client_for, personas, school_child):
    client = client_for(personas.practitioner)
    page = client.post(
        reverse("children:search"), {"first_name": "JJ", "last_name": "Smith"}
    ).content.decode()
    assert "Jodie Smyth" in page and "Also known as JJ Smith" in page
    assert "A possible match exists in another agency" not in page


def test_search_needs_both_names_and_keeps_what_was_typed(client_for, personas):
    client = client_for(personas.practitioner)
    page = client.post(reverse("children:search"), {"first_name": "Jody", "last_name": ""}).content.decode()
    assert "Enter the child&#x27;s last name" in page or "Enter the child's last name" in page
    assert 'value="Jody"' in page


def test_a_name_never_goes_in_the_url(client_for, personas):
    client = client_for(personas.practitioner)
    response = client.post(reverse("children:search"), {"first_name": "Jody", "last_name": "Smith"})
    assert 'method="post"' in response.content.decode()
    assert "Jody" not in response.request["PATH_INFO"] and not response.request.get("QUERY_STRING")
