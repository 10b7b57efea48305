"""Observations, chronology entries and the merged chronology page."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeguard.access.policy import ChildAccess, Why
from safeguard.audit.models import AuditEvent, Verb
from safeguard.children import services
from safeguard.children.chronology import record_on_file
from safeguard.children.models import ChronologyEntry, ChronologyItem, Involvement, Observation
from tests.factories import access_for

from .conftest import happened

OBSERVATION = {
    "indicators": ["I12", "U1"],
    "occurred_on_day": "1",
    "occurred_on_month": "3",
    "occurred_on_year": "2025",
    "occurred_time": "4:30pm",
    "source": "seen",
    "details": "Got into a silver car outside school at 16:30. She said \"he's my boyfriend, he's 24\".",
    "people": "Man in his twenties, calls himself 'Deano'",
    "places": "School gates",
    "vehicles": "Silver hatchback, partial registration KX",
}


def test_recording_an_observation(client_for, personas, school_child):
    client = client_for(personas.practitioner)
    url = reverse("children:observation_add", args=[school_child.pk])
    form = client.get(url).content.decode()
    assert "I12 getting in/out of different cars driven by unknown adults" in form
    assert "Signs and indicators (§5)" in form and "Pull factors (§6)" in form

    response = client.post(url, OBSERVATION)
    assert response.status_code == 302, response.content.decode()
    observation = Observation.objects.get()
    assert observation.indicators == ["I12", "U1"]
    assert timezone.localtime(observation.occurred_at).replace(tzinfo=None) == datetime(2025, 3, 1, 16, 30)
    assert observation.recorded_by == personas.practitioner and observation.agency == personas.school
    assert observation.vehicles.startswith("Silver hatchback")
    item = ChronologyItem.objects.get(child=school_child, kind="observation")
    assert (
        item.source == observation and item.author == personas.practitioner and item.agency == personas.school
    )
    # The chronology says what happened, as the recorder wrote it; the indicators are its tags (issue 10
    # item 7), not the summary.
    assert item.summary.startswith("Got into a silver car outside school at 16:30.") and "I12" not in item.summary
    assert item.tags == ["I12", "U1"] and item.url == reverse(
        "children:observation", args=[school_child.pk, observation.pk]
    )
    event = AuditEvent.objects.get(verb=Verb.OBSERVATION_RECORDED)
    assert event.child_id == school_child.pk and event.payload == {"codes": ["I12", "U1"], "source": "seen"}
    page = client.get(item.url).content.decode()
    assert "Silver hatchback" in page and "1 March 2025, 16:30" in page
    chronology = client.get(reverse("children:chronology", args=[school_child.pk])).content.decode()
    assert ">Got into a silver car outside school" in chronology
    assert 'title="getting in/out of different cars driven by unknown adults">I12<' in chronology


def test_a_day_without_a_time_is_shown_as_time_not_known(client_for, personas, school_child):
    client = client_for(personas.practitioner)
    response = client.post(reverse("children:observation_add", args=[school_child.pk]),
                           {**OBSERVATION, "occurred_time": ""})
    assert response.status_code == 302
    assert ChronologyItem.objects.get(child=school_child).occurred_time_known is False
    page = client.get(reverse("children:chronology", args=[school_child.pk])).content.decode()
    assert "1 March 2025</time> (time not known)" in page
    assert "1 March 2025, 00:00" not in page


def test_observation_form_errors_keep_everything_typed(client_for, personas, school_child):
    client = client_for(personas.practitioner)
    url = reverse("children:observation_add", args=[school_child.pk])
    data = {**OBSERVATION, "indicators": [], "occurred_time": "half four", "source": "told_by_other"}
    page = client.post(url, data).content.decode()
    assert "Select at least one sign or indicator" in page
    assert "Enter the time like 14:30 or 2:30pm" in page
    assert "Say who told you" in page
    assert "Silver hatchback, partial registration KX" in page and "School gates" in page
    assert not Observation.objects.exists()


def test_observation_cannot_be_in_the_future(client_for, personas, school_child):
    client = client_for(personas.practitioner)
    url = reverse("children:observation_add", args=[school_child.pk])
    page = client.post(
        url, {**OBSERVATION, "occurred_on_year": str(timezone.localdate().year + 1)}
    ).content.decode()
    assert "The date it happened must be today or in the past" in page


def test_recording_brings_the_recorders_agency_in(client_for, personas, school_child):
    # Children's social care sees every child; recording something makes CSC an involved agency.
    assert not Involvement.objects.filter(child=school_child, agency=personas.csc).exists()
    client = client_for(personas.mash_worker)
    response = client.post(
        reverse("children:entry_add", args=[school_child.pk]),
        {
            "occurred_on_day": "2",
            "occurred_on_month": "3",
            "occurred_on_year": "2025",
            "source": "told_by_child",
            "text": 'Jodie phoned the duty line and said "I\'m scared to go home".',
        },
    )
    assert response.status_code == 302
    entry = ChronologyEntry.objects.get()
    assert entry.occurred_time_known is False and entry.agency == personas.csc
    involvement = Involvement.objects.get(child=school_child, agency=personas.csc)
    assert involvement.reason == Involvement.Reason.RECORDED and involvement.added_by == personas.mash_worker
    assert AuditEvent.objects.filter(
        verb=Verb.INVOLVEMENT_ADDED, child_id=school_child.pk, payload__agency_id=personas.csc.pk
    ).exists()
    assert AuditEvent.objects.filter(verb=Verb.CHRONOLOGY_ENTRY_RECORDED, child_id=school_child.pk).exists()
    item = ChronologyItem.objects.get(kind="note")
    assert item.source == entry and client.get(item.url).status_code == 200


def test_an_outsider_cannot_record_or_read(client_for, personas, school_child):
    obs = services.observation_record(
        access=access_for(personas.practitioner, school_child),
        indicators=["I5"],
        happened=happened(),
        details="New trainers",
    )
    client = client_for(personas.outsider)
    assert (
        client.post(reverse("children:observation_add", args=[school_child.pk]), OBSERVATION).status_code
        == 404
    )
    assert client.get(reverse("children:observation", args=[school_child.pk, obs.pk])).status_code == 404
    assert client.get(reverse("children:chronology", args=[school_child.pk])).status_code == 404
    assert Observation.objects.count() == 1


def test_an_observation_is_only_shown_under_its_own_child(client_for, personas, school_child):
    from .conftest import make_child

    other = make_child(personas.practitioner, "Sam", "Jones")
    obs = services.observation_record(
        access=access_for(personas.practitioner, other),
        indicators=["I5"],
        happened=happened(),
        details="New trainers",
    )
    client = client_for(personas.practitioner)
    assert client.get(reverse("children:observation", args=[school_child.pk, obs.pk])).status_code == 404


# -- the merged chronology -------------------------------------------------------------------


@pytest.fixture
def busy_child(personas, school_child):
    """30 items from 4 agencies, one a day through March 2025, newest last."""
    authors = [
        personas.practitioner,
        personas.health_practitioner,
        personas.police_lead,
        personas.mash_worker,
    ]
    kinds = ["observation", "note", "screening", "referral"]
    for n in range(30):
        author = authors[n % 4]
        record_on_file(
            ChildAccess(child=school_child, why=Why.AGENCY_INVOLVED, can_change=True, user=author),
            kind=kinds[n % 4],
            occurred_at=happened(day=n + 1).occurred_at,
            summary=f"Item {n + 1:02d}",
            verb=Verb.CHRONOLOGY_ENTRY_RECORDED,
            source=None,
        )
    return school_child


def test_chronology_is_newest_first_paginated_and_shows_agency_and_author(client_for, personas, busy_child):
    client = client_for(personas.practitioner)
    url = reverse("children:chronology", args=[busy_child.pk])
    page1 = client.get(url).content.decode()
    assert page1.index("Item 30") < page1.index("Item 29")
    assert "Item 06" in page1 and "Item 05" not in page1  # 25 a page
    assert "County Police" in page1 and "Pete Tester" in page1
    page2 = client.get(url + "?page=2").content.decode()
    assert "Item 05" in page2 and "Item 01" in page2 and "Item 06" not in page2
    assert AuditEvent.objects.filter(
        verb=Verb.CHILD_VIEWED, child_id=busy_child.pk, payload__path=url
    ).exists()


def test_chronology_filters_by_agency_kind_and_dates(client_for, personas, busy_child):
    client = client_for(personas.practitioner)
    url = reverse("children:chronology", args=[busy_child.pk])
    police = client.get(url, {"agency": personas.police.pk}).content.decode()
    assert "Item 03" in police and "Item 07" in police and "Item 01" not in police and "Item 02" not in police
    notes = client.get(url, {"kind": "note"}).content.decode()
    assert "Item 02" in notes and "Item 06" in notes and "Item 03" not in notes
    dated = client.get(
        url,
        {
            "date_from_day": "10",
            "date_from_month": "3",
            "date_from_year": "2025",
            "date_to_day": "12",
            "date_to_month": "3",
            "date_to_year": "2025",
        },
    ).content.decode()
    assert all(f"Item {n}" in dated for n in (10, 11, 12))
    assert "Item 09" not in dated and "Item 13" not in dated
    # Filters are kept when paging, and the print view uses them too.
    both = client.get(url, {"kind": "note", "page": "1"}).content.decode()
    assert "kind=note&amp;print=1" in both
    wrong = client.get(
        url,
        {
            "date_from_day": "12",
            "date_from_month": "3",
            "date_from_year": "2025",
            "date_to_day": "10",
            "date_to_month": "3",
            "date_to_year": "2025",
        },
    ).content.decode()
    assert "must be the same as or after" in wrong


def test_chronology_print_view(client_for, personas, busy_child):
    client = client_for(personas.practitioner)
    url = reverse("children:chronology", args=[busy_child.pk])
    page = client.get(url, {"print": "1", "agency": personas.school.pk}).content.decode()
    assert "chronology-print.css" in page and 'media="print"' in page
    assert "Item 01" in page and "Item 29" in page and "Item 02" not in page
    assert 'class="govuk-pagination"' not in page
    event = AuditEvent.objects.filter(verb=Verb.EXPORTED, child_id=busy_child.pk).get()
    assert event.payload == {"what": "chronology_print", "items": 8}


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_overview_and_chronology_query_counts_are_bounded(
    client_for, personas, busy_child, django_assert_max_num_queries
):
    client = client_for(personas.practitioner)
    detail = reverse("children:detail", args=[busy_child.pk])
    chronology = reverse("children:chronology", args=[busy_child.pk])
    # Sign-in, session and two-factor checks, the access check, the audit event (with its chain
    # head) and the page's own reads: about 20 in all.
    with django_assert_max_num_queries(22):
        assert client.get(detail).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(chronology).status_code == 200
    with django_assert_max_num_queries(24):
        assert client.get(chronology, {"print": "1"}).status_code == 200
    # No N+1: more items, agencies and authors do not mean more queries.
    before = (_count_queries(client, detail), _count_queries(client, chronology))
    for n in range(20):
        author = [personas.residential_worker, personas.named_lead][n % 2]
        record_on_file(
            ChildAccess(child=busy_child, why=Why.AGENCY_INVOLVED, can_change=True, user=author),
            kind="meeting",
            occurred_at=happened(month=4, day=n + 1).occurred_at,
            summary=f"Meeting {n}",
            verb=Verb.CHRONOLOGY_ENTRY_RECORDED,
            source=None,
        )
    assert (_count_queries(client, detail), _count_queries(client, chronology)) == before
