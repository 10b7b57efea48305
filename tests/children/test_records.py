"""Creating, changing and merging children's records."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from safeguard.audit.models import AuditEvent, Verb
from safeguard.children import services
from safeguard.children.models import Child, ChildMerge, ChildName, ChronologyItem, Involvement, Observation
from tests.factories import access_for

from .conftest import happened, make_child

CREATE_FORM = {
    "first_name": "Kayleigh",
    "last_name": "Brown",
    "aliases": "Kay B\nKayla Browne",
    "date_of_birth_day": "3",
    "date_of_birth_month": "11",
    "date_of_birth_year": "2010",
    "gender": "female",
    "looked_after": "yes",
    "placement": "Care View Children's Home",
    "nhs_number": "943 476 5919",
    "unique_pupil_number": "B801200005001",
    "address_line": "12 Canal Street, Northgate",
    "postcode": "ng1 2ab",
}


def search_first(client, first="Kayleigh", last="Brown"):
    return client.post(reverse("children:search"), {"first_name": first, "last_name": last})


def test_create_page_needs_a_search_first(client_for, personas):
    client = client_for(personas.practitioner)
    response = client.get(reverse("children:create"))
    assert response.status_code == 302 and response["Location"] == reverse("children:search")
    response = client.post(reverse("children:create"), CREATE_FORM)
    assert response.status_code == 302 and not Child.objects.exists()


def test_create_after_search_makes_the_record_with_names_address_and_involvement(client_for, personas):
    client = client_for(personas.practitioner)
    search_first(client)
    form = client.get(reverse("children:create")).content.decode()
    assert 'value="Kayleigh"' in form and 'value="Brown"' in form  # carried over from the search

    response = client.post(reverse("children:create"), CREATE_FORM)
    child = Child.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("children:detail", args=[child.pk])
    assert child.date_of_birth == date(2010, 11, 3) and child.looked_after is True
    assert child.nhs_number == "9434765919" and child.unique_pupil_number == "B801200005001"
    assert child.lead_agency == personas.school and child.created_by == personas.practitioner
    names = {(n.kind, n.first_name, n.last_name) for n in child.names.all()}
    assert names == {("primary", "Kayleigh", "Brown"), ("alias", "Kay", "B"), ("alias", "Kayla", "Browne")}
    assert all(n.first_key and n.last_key for n in child.names.all())
    assert child.addresses.get().postcode == "NG1 2AB"
    assert Involvement.objects.get(child=child).agency == personas.school
    assert AuditEvent.objects.filter(verb=Verb.CHILD_CREATED, child_id=child.pk).exists()
    assert AuditEvent.objects.filter(verb=Verb.INVOLVEMENT_ADDED, child_id=child.pk).exists()
    # The search is used up: another record needs another search.
    assert client.get(reverse("children:create")).status_code == 302


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nhs_number", "943 476 5918", "This is not a real NHS number"),
        ("nhs_number", "12345", "Enter an NHS number with 10 digits"),
        ("unique_pupil_number", "A801200005001", "This is not a real unique pupil number"),
        ("unique_pupil_number", "B8012", "13 characters"),
        ("date_of_birth_month", "13", "Date of birth must be a real date"),
    ],
)
def test_create_form_errors_are_plain_and_keep_what_was_typed(client_for, personas, field, value, message):
    client = client_for(personas.practitioner)
    search_first(client)
    response = client.post(reverse("children:create"), {**CREATE_FORM, field: value})
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert "12 Canal Street, Northgate" in page and "Kayla Browne" in page
    assert not Child.objects.exists()


@pytest.mark.parametrize(("today", "age"), [("2026-05-13 12:00 +0000", 13), ("2026-05-14 12:00 +0000", 14)])
def test_overview_shows_age_computed_for_today(client_for, personas, school_child, today, age):
    with time_machine.travel(today, tick=False):
        page = client_for(personas.practitioner).get(reverse("children:detail", args=[school_child.pk]))
    assert f"14 May 2012 (age {age})" in page.content.decode()


def test_overview_shows_why_aliases_actions_and_no_merge_for_practitioners(
    client_for, personas, school_child
):
    page = (
        client_for(personas.practitioner)
        .get(reverse("children:detail", args=[school_child.pk]))
        .content.decode()
    )
    assert "Why you can see this: Your agency is involved with this child" in page
    assert "JJ Smith" in page and "Northgate Academy" in page
    assert reverse("children:observation_add", args=[school_child.pk]) in page
    assert reverse("children:merge", args=[school_child.pk]) not in page


def test_overview_shows_the_break_glass_banner(client_for, personas, school_child):
    client = client_for(personas.outsider)
    client.post(
        reverse("children:break_glass", args=[school_child.pk]),
        {"reason": "Disclosure at youth club tonight"},
    )
    page = client.get(reverse("children:detail", args=[school_child.pk])).content.decode()
    assert "You opened this record by breaking glass" in page


def test_edit_changes_details_keeps_address_history_and_updates_search_keys(
    client_for, personas, school_child
):
    client = client_for(personas.practitioner)
    url = reverse("children:edit", args=[school_child.pk])
    form = client.get(url).content.decode()
    assert 'value="Jodie"' in form
    data = {
        **CREATE_FORM,
        "first_name": "Jodie",
        "last_name": "Smythe",
        "aliases": "",
        "address_from_day": "1",
        "address_from_month": "2",
        "address_from_year": "2025",
    }
    services.child_update(
        access=access_for(personas.practitioner, school_child),
        data=services.ChildData(
            "Jodie", "Smyth", address=services.NewAddress("1 Old Road", from_date=date(2020, 1, 1))
        ),
    )
    response = client.post(url, data)
    assert response.status_code == 302
    school_child.refresh_from_db()
    assert school_child.last_name == "Smythe"
    primary = school_child.names.get(kind=ChildName.Kind.PRIMARY)
    assert primary.last_name == "Smythe"
    old, new = sorted(school_child.addresses.all(), key=lambda a: a.pk)
    assert (
        old.to_date == date(2025, 2, 1) and new.to_date is None and new.line == "12 Canal Street, Northgate"
    )
    event = AuditEvent.objects.filter(verb=Verb.CHILD_UPDATED, child_id=school_child.pk).latest("id")
    assert "last_name" in event.payload["fields"] and "Smythe" not in str(event.payload)


def test_add_alias_page(client_for, personas, school_child):
    client = client_for(personas.practitioner)
    url = reverse("children:alias_add", args=[school_child.pk])
    assert "Enter a first name, a last name or both" in client.post(url, {}).content.decode()
    assert client.post(url, {"first_name": "Jo", "last_name": "Bee"}).status_code == 302
    assert school_child.names.filter(kind="alias", first_name="Jo", last_name="Bee").exists()


# -- merge -----------------------------------------------------------------------------------


@pytest.fixture
def duplicate(personas):
    """The same child, recorded by the health service and later shared with the school."""
    dup = make_child(personas.health_practitioner, "Jodi", "Smith", dob=None, nhs_number="9434765919")
    services.involvement_ensure(child=dup, agency=personas.school, reason="added", actor=None)
    services.observation_record(
        access=access_for(personas.health_practitioner, dup),
        indicators=["I4"],
        happened=happened(),
        details="Attended clinic",
    )
    return dup


def test_only_a_named_lead_can_merge(client_for, personas, school_child, duplicate):
    for persona in ("practitioner", "designated_lead", "mash_worker"):
        client = client_for(getattr(personas, persona))
        assert client.get(reverse("children:merge", args=[school_child.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.children_merge(
            keep=access_for(personas.practitioner, school_child), merge=access_for(personas.practitioner, duplicate)
        )


def test_named_lead_merges_and_both_histories_are_kept(client_for, personas, school_child, duplicate):
    services.observation_record(
        access=access_for(personas.practitioner, school_child),
        indicators=["I19"],
        happened=happened(day=2),
        details="Missed lessons",
    )
    client = client_for(personas.named_lead)
    page = client.get(reverse("children:detail", args=[school_child.pk])).content.decode()
    assert reverse("children:merge", args=[school_child.pk]) in page
    response = client.post(
        reverse("children:merge", args=[school_child.pk]),
        {"other_record": duplicate.pk, "keep": "this", "reason": "Same NHS number and school"},
    )
    assert response.status_code == 302

    duplicate.refresh_from_db()
    school_child.refresh_from_db()
    assert duplicate.merged_into == school_child
    assert school_child.names.filter(first_name="Jodi", last_name="Smith", kind="alias").exists()
    assert set(school_child.involvements.values_list("agency_id", flat=True)) == {
        personas.school.pk,
        personas.health.pk,
    }
    assert Observation.objects.filter(child=school_child).count() == 2
    kinds = list(school_child.chronology.values_list("kind", flat=True))
    assert kinds.count("observation") == 2 and "record" in kinds
    # The moved observation's link now lives under the kept record.
    moved = school_child.chronology.get(kind="observation", agency=personas.health)
    assert moved.url.startswith(reverse("children:detail", args=[school_child.pk]))
    assert client.get(moved.url).status_code == 200
    assert school_child.nhs_number == "9434765919"  # filled from the merged record
    merge = ChildMerge.objects.get()
    assert merge.merged_by == personas.named_lead and set(merge.moved) >= {
        "names",
        "observations",
        "chronology",
    }
    assert AuditEvent.objects.filter(verb=Verb.CHILDREN_MERGED, child_id=school_child.pk).exists()
    assert AuditEvent.objects.filter(verb=Verb.CHILDREN_MERGED, child_id=duplicate.pk).exists()
    # The old record number leads to the kept record.
    old = client.get(reverse("children:detail", args=[duplicate.pk]))
    assert old.status_code == 302 and old["Location"] == reverse("children:detail", args=[school_child.pk])
    assert ChronologyItem.objects.filter(child=duplicate).count() == 0


def test_merge_refuses_a_record_the_lead_cannot_see(client_for, personas, school_child):
    hidden = make_child(personas.health_practitioner, "Jodi", "Smith")
    client = client_for(personas.named_lead)
    response = client.post(
        reverse("children:merge", args=[school_child.pk]),
        {"other_record": hidden.pk, "keep": "this", "reason": "Looks like the same child"},
    )
    assert "There is no other record with that number that you can see" in response.content.decode()
    hidden.refresh_from_db()
    assert hidden.merged_into is None


def test_the_services_refuse_an_access_that_may_not_change_the_record(personas, school_child):
    from dataclasses import replace

    read_only = replace(access_for(personas.practitioner, school_child), can_change=False)
    with pytest.raises(PermissionDenied):
        services.child_add_alias(access=read_only, first_name="Jo", last_name="Bee")
    with pytest.raises(PermissionDenied):
        services.observation_record(
            access=read_only, indicators=["I5"], happened=happened(), details="New trainers"
        )
    with pytest.raises(PermissionDenied):
        services.child_update(access=read_only, data=services.ChildData("Jo", "Bee"))
    school_child.refresh_from_db()
    assert school_child.first_name == "Jodie" and not school_child.observations.exists()
    assert not school_child.names.filter(first_name="Jo").exists()


def test_a_merge_needs_both_records_through_the_named_leads_own_access(personas, school_child, duplicate):
    from dataclasses import replace

    from safeguard.access.policy import Why

    keep, merge = access_for(personas.named_lead, school_child), access_for(personas.named_lead, duplicate)
    with pytest.raises(PermissionDenied):
        services.children_merge(keep=keep, merge=replace(merge, why=Why.BREAK_GLASS))
    with pytest.raises(ValueError):
        services.children_merge(keep=keep, merge=access_for(personas.health_practitioner, duplicate))
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id is None


def test_merge_is_refused_while_the_merged_record_holds_screenings_saying_why(client_for, personas, school_child,
                                                                              duplicate):
    """Issue 10: a merge moves only the children app's own rows, so it refuses (and says why) while the
    record being merged away holds a screening, a referral, an episode… rather than strand them."""
    from safeguard.screening.services import FormAAnswers, FormAHeader, screening_submit

    screening = screening_submit(
        access=access_for(personas.health_practitioner, duplicate),
        header=FormAHeader(referrer_name="Hana", organisation="Clinic", contact_details="0100",
                           child_name=duplicate.full_name, previous_cp_referral="no"),
        answers=FormAAnswers(ticked=["S1"]),
    )
    client = client_for(personas.named_lead)
    response = client.post(reverse("children:merge", args=[school_child.pk]),
                           {"other_record": duplicate.pk, "keep": "this", "reason": "Same NHS number"})
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Record {duplicate.pk} cannot be merged away yet: it holds 1 referral, 1 screening, 1 Form B" in page
    assert f"keep record {duplicate.pk} instead" in page
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None and not ChildMerge.objects.exists()
    # The other way round, nothing is stranded: the school's record holds no such thing.
    response = client.post(reverse("children:merge", args=[school_child.pk]),
                           {"other_record": duplicate.pk, "keep": "other", "reason": "Same NHS number"})
    assert response.status_code == 302
    school_child.refresh_from_db()
    assert school_child.merged_into == duplicate
    screening.refresh_from_db()
    assert screening.child == duplicate
