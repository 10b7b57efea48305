"""The API's long lists page by keyset (issue 15): no COUNT(*), a fixed indexed order, every record once.

And the practitioner's visible children come from one subquery (involvement UNION break glass), with
the same answer as before: the agency's children, plus the ones this session opened by breaking
glass while that lasts.
"""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeguard.access.models import BreakGlassAccess
from safeguard.access.policy import children_visible_to
from safeguard.missing.models import Classification, Episode, MissingFrom
from safeguard.referrals.models import Destination, Referral
from tests.factories import child as make_child


def _walk(client, url, *, page_size: int, **params) -> tuple[list[dict], list[list[str]]]:
    """Every page of a list by following ``next``; the rows, and the SQL each page ran."""
    rows, sql, params = [], [], {"page_size": page_size, **params}
    while url:
        with CaptureQueriesContext(connection) as queries:
            body = client.get(url, params).json()
        params = {}  # ``next`` carries them
        assert "count" not in body
        rows += body["results"]
        sql.append([q["sql"] for q in queries.captured_queries])
        url = body["next"]
    return rows, sql


def _no_counts(sql: list[list[str]]) -> None:
    for page in sql:
        assert not [s for s in page if "COUNT(" in s.upper()], page


def test_children_list_pages_by_record_number_newest_first(client_for, personas):
    made = [make_child(first_name=f"C{n}", last_name="Page", involved=[personas.school]) for n in range(7)]
    other = make_child(first_name="Other", last_name="Agency", involved=[personas.health])
    rows, sql = _walk(client_for(personas.practitioner), reverse("api:children-list"), page_size=3)
    assert [r["id"] for r in rows] == sorted((c.pk for c in made), reverse=True)
    assert len(sql) == 3
    _no_counts(sql)
    # The page's queries do not grow with the page size (no N+1). (Two of them ask whether the user
    # has a meeting invitation or a break-glass opening to join to the visible children.)
    assert max(len(page) for page in sql) <= 14
    mash_rows, _ = _walk(client_for(personas.mash_worker), reverse("api:children-list"), page_size=200)
    assert {r["id"] for r in mash_rows} == {c.pk for c in made} | {other.pk}


def test_page_size_is_capped(client_for, personas):
    for n in range(3):
        make_child(first_name=f"C{n}", involved=[personas.school])
    client = client_for(personas.practitioner)
    assert len(client.get(reverse("api:children-list"), {"page_size": 100_000}).json()["results"]) == 3
    # The cap is the pagination's, not the data's: the class says 200.
    from safeguard.children.api import ChildListCreate

    assert ChildListCreate.pagination_class.max_page_size == 200


@pytest.mark.parametrize("position", ["x", "2026-13-45", "1e9999"])
def test_a_forged_cursor_is_an_invalid_cursor_not_a_server_error(client_for, personas, position):
    make_child(involved=[personas.school])
    cursor = base64.b64encode(f"o=0&r=0&p={position}".encode()).decode()
    client = client_for(personas.practitioner)
    for name in ("api:children-list", "api:referrals-list", "api:missing-episodes"):
        response = client.get(reverse(name), {"cursor": cursor})
        assert response.status_code == 404, (name, position)
        assert response.json()["detail"] == "Invalid cursor"


def test_a_cursor_beyond_any_record_number_is_no_error(client_for, personas):
    kid = make_child(involved=[personas.school])
    client = client_for(personas.practitioner)
    for reverse_flag, expected in (("0", [kid.pk]), ("1", [])):  # newest first: "after" it is everything
        cursor = base64.b64encode(f"o=0&r={reverse_flag}&p=99999999999999999999999".encode()).decode()
        response = client.get(reverse("api:children-list"), {"cursor": cursor})
        assert response.status_code == 200
        assert [r["id"] for r in response.json()["results"]] == expected


def test_referrals_list_pages_newest_first_without_counting(client_for, personas):
    kid = make_child(involved=[personas.school, personas.csc])
    now = timezone.now()
    made = [
        Referral.objects.create(
            child=kid, referrer=personas.practitioner, referring_agency=personas.school,
            destination=Destination.CSC, destination_agency=personas.csc, reason="Worried",
            sent_at=now - timedelta(hours=n % 3),  # ties in sent_at are broken by id
        )
        for n in range(7)
    ]
    Referral.objects.create(  # neither to nor from the school
        child=kid, referrer=personas.health_practitioner, referring_agency=personas.health,
        destination=Destination.CSC, destination_agency=personas.csc, reason="Worried", sent_at=now,
    )
    rows, sql = _walk(client_for(personas.practitioner), reverse("api:referrals-list"), page_size=2)
    expected = sorted(made, key=lambda r: (r.sent_at, r.pk), reverse=True)
    assert [r["id"] for r in rows] == [r.pk for r in expected]
    _no_counts(sql)


def test_missing_episodes_list_pages_newest_first(client_for, personas):
    kid = make_child(involved=[personas.residential])
    hidden = make_child(involved=[personas.health])
    now = timezone.now()

    def episode(who, hours):
        return Episode.objects.create(
            child=who, missing_from=MissingFrom.CARE, last_seen_at=now - timedelta(hours=hours),
            reported_at=now, reported_by=personas.residential_worker, agency=personas.residential,
            classification=Classification.MISSING,
        )

    made = [episode(kid, hours) for hours in (5, 1, 3, 2, 4)]
    episode(hidden, 0)
    rows, sql = _walk(client_for(personas.residential_worker), reverse("api:missing-episodes"), page_size=2)
    assert [r["id"] for r in rows] == [e.pk for e in sorted(made, key=lambda e: e.last_seen_at, reverse=True)]
    _no_counts(sql)


def test_visible_children_are_the_agency_s_and_this_session_s_break_glass(personas):
    ours = make_child(involved=[personas.voluntary])
    opened = make_child(involved=[personas.school])
    expired = make_child(involved=[personas.school])
    other_session = make_child(involved=[personas.school])
    make_child(involved=[personas.school])
    now = timezone.now()
    for kid, key, expires in ((opened, "s1", now + timedelta(hours=1)), (expired, "s1", now - timedelta(minutes=1)),
                              (other_session, "s2", now + timedelta(hours=1))):
        BreakGlassAccess.objects.create(user=personas.outsider, agency=personas.voluntary, child=kid,
                                        reason="Checking before a strategy discussion", session_key=key,
                                        expires_at=expires)
    assert set(children_visible_to(personas.outsider)) == {ours}
    assert set(children_visible_to(personas.outsider, session_key="s1")) == {ours, opened}
    # A user with no agency sees only what they opened.
    personas.outsider.agency = None
    assert set(children_visible_to(personas.outsider, session_key="s1")) == {opened}
    assert set(children_visible_to(personas.outsider)) == set()


def test_visible_children_filter_is_one_subquery_not_an_or_of_exists(personas):
    # With nothing but the agency's involvements, one plain subquery (planned as an index probe).
    sql = str(children_visible_to(personas.practitioner, session_key="abc").query).upper()
    assert "EXISTS" not in sql and "UNION" not in sql
    assert " IN (SELECT" in sql and "CHILDREN_INVOLVEMENT" in sql
    # A break-glass opening in this session joins the involvements in one UNION, still no EXISTS.
    child = make_child(involved=[personas.health])
    BreakGlassAccess.objects.create(user=personas.practitioner, agency=personas.school, child=child,
                                    reason="Checking before a strategy discussion", session_key="abc",
                                    expires_at=timezone.now() + timedelta(hours=1))
    sql = str(children_visible_to(personas.practitioner, session_key="abc").query).upper()
    assert "EXISTS" not in sql
    assert "UNION" in sql and " IN (" in sql and "BREAKGLASS" in sql.replace("_", "")
    assert child in children_visible_to(personas.practitioner, session_key="abc")
    assert child not in children_visible_to(personas.practitioner, session_key="other")


def test_asked_among_some_ids_every_part_of_the_union_is_cut_to_them(personas):
    """``among``: the same answer as filtering the whole visible set by those ids, with every part of
    the union (involvements, panel, invitations, break glass) cut to the ids first, so PostgreSQL does
    not hash a big agency's every involvement to answer for a page of children."""
    chair = personas.panel_chair
    ours = make_child(first_name="Ours", involved=[chair.agency])
    at_panel = make_child(first_name="AtPanel", involved=[personas.health])
    opened = make_child(first_name="Opened", involved=[personas.health])
    hidden = make_child(first_name="Hidden", involved=[personas.health])
    Referral.objects.create(child=at_panel, referrer=personas.practitioner, referring_agency=personas.school,
                            destination=Destination.MARP, reason="Worried", sent_at=timezone.now())
    BreakGlassAccess.objects.create(user=chair, agency=chair.agency, child=opened, reason="Checking before a panel",
                                    session_key="s1", expires_at=timezone.now() + timedelta(hours=1))
    asked = [ours.pk, at_panel.pk, opened.pk, hidden.pk]
    for key in ("", "s1"):
        whole = set(children_visible_to(chair, session_key=key).filter(pk__in=asked))
        cut = children_visible_to(chair, session_key=key, among=asked)
        assert set(cut) == whole
        assert hidden not in whole and ours in whole and at_panel in whole and (opened in whole) is bool(key)
        sql = str(cut.query)
        # The outer ids, then once more inside each part of the union.
        ids = f"IN ({', '.join(str(pk) for pk in sorted(asked))})"
        assert sql.upper().count("UNION") == (2 if key else 1)
        assert sql.count(ids) == 1 + sql.upper().count("UNION") + 1
    assert list(children_visible_to(chair, among=[])) == []
