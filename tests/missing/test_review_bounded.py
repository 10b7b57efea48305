"""The §14 review list groups the period's episodes a page at a time and reads only that page's
records through the policy's answer: it never joins every child record (issue 15)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safeguard.children.models import Child
from safeguard.missing import selectors
from safeguard.missing.selectors import review_list
from tests.factories import child as make_child

from .builders import report


def _runners(personas, count=6):
    """Runner0 … RunnerN, child n with n + 1 episodes in the period."""
    kids = [make_child(first_name=f"Runner{n}", last_name="Example", involved=[personas.residential])
            for n in range(count)]
    for n, kid in enumerate(kids):
        for _ in range(n + 1):
            report(personas.residential_worker, kid, hours_ago=5)
    return kids


def _listed(personas, visible, limit=2):
    rows = review_list(personas.police_lead, now=timezone.now(), period_days=30, flag_at=3, limit=limit,
                       children=Child.objects.filter(pk__in=[k.pk for k in visible]))
    return [(r.child, r.episodes) for r in rows]


def test_children_the_user_cannot_see_are_skipped_and_the_page_still_fills(personas, home_manager, clock):
    kids = _runners(personas)
    # Most episodes first among those the user may see: Runner4 (5), then Runner2 (3), from the
    # second page of the period's children.
    assert _listed(personas, [kids[0], kids[2], kids[4]]) == [(kids[4], 5), (kids[2], 3)]


def test_someone_who_sees_few_of_the_periods_children_gets_them_all_the_same(
    personas, home_manager, clock, monkeypatch
):
    kids = _runners(personas)
    monkeypatch.setattr(selectors, "REVIEW_PAGES_READ", 1)  # the first page holds none they may see
    assert _listed(personas, [kids[0], kids[1]]) == [(kids[1], 2), (kids[0], 1)]


def test_the_grouping_never_joins_the_child_records(personas, home_manager, clock):
    kids = _runners(personas, count=3)
    with CaptureQueriesContext(connection) as queries:
        rows = review_list(personas.police_lead, now=timezone.now(), period_days=30, flag_at=3)
    assert [r.child for r in rows] == kids[::-1]
    grouping = [q["sql"] for q in queries.captured_queries if "GROUP BY" in q["sql"] and "missing_episode" in q["sql"]]
    assert grouping and all("children_child" not in sql for sql in grouping)
    assert all(" LIMIT " in sql for sql in grouping if "COUNT" in sql and "last_seen_at" in sql)


def test_the_page_reads_only_its_own_childrens_records(personas, home_manager, clock, client_for, monkeypatch):
    """The list's second page shows the children after the first page's, and reads (and records as
    viewed) only those: the other pages' records are never fetched."""
    from django.urls import reverse

    from safeguard.audit.models import AuditEvent, Verb
    from safeguard.missing.views import lists

    kids = _runners(personas, count=5)
    monkeypatch.setattr(lists, "REVIEW_PAGE", 2)
    client = client_for(personas.police_lead)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("missing:review"), {"page": 2}).content.decode()
    # Most episodes first: Runner4, Runner3 on page one; Runner2, Runner1 on page two.
    assert "Runner2 Example" in page and "Runner1 Example" in page
    assert "Runner4 Example" not in page and "Runner0 Example" not in page
    assert "5 children: 3 to 4 shown" in page  # the list's total is the whole list's, not the page's
    record_reads = [q["sql"] for q in queries.captured_queries
                    if q["sql"].startswith('SELECT "children_child"."id", "children_child"."version"')]
    assert record_reads and all(str(kids[4].pk) not in sql.split(" IN ", 1)[-1] for sql in record_reads)
    [viewed] = AuditEvent.objects.filter(verb=Verb.CHILD_VIEWED, payload__path=reverse("missing:review"))
    assert sorted(viewed.payload["children"]) == sorted([kids[2].pk, kids[1].pk])
