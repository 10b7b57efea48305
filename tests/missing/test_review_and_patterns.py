"""The Risk Management Group review list (§14), children missing together (§10.5.4), query counts."""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from safeguard.audit.models import AuditEvent, Verb
from safeguard.missing.models import CoMissingLink
from safeguard.notifications.models import Notification
from tests.factories import child as make_child

from .builders import declined, report, returned
from .conftest import at


def _episodes(actor, kid, count, *, start_hours_ago=24 * 30, open_interview=False):
    for n in range(count):
        episode = report(actor, kid, hours_ago=start_hours_ago - n * 48)
        interview = returned(actor, episode, after_hours=3)
        if not open_interview:
            declined(actor, interview)


def test_review_list_counts_flags_and_overdue(personas, cared_for, home_manager, client_for, clock):
    clock(at(20, 12))
    worker = personas.residential_worker
    _episodes(worker, cared_for, 3)
    other = make_child(first_name="Leah", last_name="Green", involved=[personas.residential], lead=personas.residential)
    _episodes(worker, other, 1, open_interview=True)  # its interview is now long overdue
    old = make_child(first_name="Old", last_name="Case", involved=[personas.residential])
    _episodes(worker, old, 1, start_hours_ago=24 * 200)  # outside the 90-day period
    hidden = make_child(first_name="Hidden", last_name="Child", involved=[personas.school])
    _episodes(personas.practitioner, hidden, 4)

    client = client_for(home_manager)
    page = client.get(reverse("missing:review")).content.decode()
    assert "Kayleigh Brown" in page and "Leah Green" in page
    assert "Old Case" not in page and "Hidden Child" not in page  # only children the named lead may see
    assert page.index("Kayleigh Brown") < page.index("Leah Green")  # flagged first
    assert page.count(">Review<") == 1

    response = client.get(reverse("missing:review"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][4] == "Episodes in 90 days"
    by_name = {row[1]: row for row in rows[1:]}
    assert by_name["Kayleigh Brown"][4] == "3" and by_name["Kayleigh Brown"][8] == "yes"
    assert by_name["Leah Green"][6] == "1" and by_name["Leah Green"][8] == "no"
    assert AuditEvent.objects.filter(verb=Verb.EXPORTED, payload__what="missing_review_csv", payload__rows=2).exists()

    page = client.get(reverse("missing:review"), {"days": "365"}).content.decode()
    assert "Old Case" in page
    page = client.get(reverse("missing:review"), {"days": "lots"}).content.decode()
    assert "Enter the number of days as a whole number" in page


def test_review_list_query_count_does_not_grow(personas, home_manager, client_for, clock, django_assert_max_num_queries):
    clock(at(20, 12))
    for n in range(8):
        kid = make_child(first_name=f"Child{n}", involved=[personas.residential])
        _episodes(personas.residential_worker, kid, 2, open_interview=True)
    client = client_for(home_manager)
    client.get(reverse("missing:review"))  # warm the session
    # One more than the list needs: the audited read naming the children listed; and two asking whether
    # the user has a meeting invitation or a break-glass opening to add to the children they see. Which
    # of the period's children the user may see is asked by id, then only the page's records are read.
    with django_assert_max_num_queries(16):
        page = client.get(reverse("missing:review")).content.decode()
    assert page.count("Child7") == 1
    with django_assert_max_num_queries(20):  # the audit event of the export adds a fixed handful
        client.get(reverse("missing:review"), {"format": "csv"})


def test_episode_and_child_pages_query_counts(personas, cared_for, client_for, clock, django_assert_max_num_queries):
    clock(at(20, 12))
    _episodes(personas.residential_worker, cared_for, 6)
    episode = cared_for.missing_episodes.first()
    client = client_for(personas.residential_worker)
    client.get(reverse("missing:child", args=[cared_for.pk]))
    with django_assert_max_num_queries(20):
        client.get(reverse("missing:child", args=[cared_for.pk]))
    with django_assert_max_num_queries(22):
        client.get(reverse("missing:episode", args=[cared_for.pk, episode.pk]))
    with django_assert_max_num_queries(20):
        client.get(reverse("missing:interview", args=[cared_for.pk, episode.pk]))


def test_children_missing_together_are_linked_and_named_leads_alerted(personas, cared_for, home_manager,
                                                                      client_for, clock):
    clock(at(3, 22))
    school_lead = personas.named_lead
    friend = make_child(first_name="Leah", last_name="Green", involved=[personas.school], lead=personas.school)
    mine = report(personas.residential_worker, cared_for, hours_ago=5, last_seen_where="Bus station")
    theirs = report(personas.practitioner, friend, hours_ago=4, last_seen_where="Town centre")
    assert not CoMissingLink.objects.exists()  # overlapping, but nothing shared yet

    returned(personas.residential_worker, mine, after_hours=4, vehicles="Silver Astra KX12 ABC")
    returned(personas.practitioner, theirs, after_hours=3, vehicles="silver astra, kx12abc")
    link = CoMissingLink.objects.get()
    assert {link.episode_a_id, link.episode_b_id} == {mine.pk, theirs.pk}
    assert {"kind": "vehicle", "value": "kx12abc", "shown": "KX12 ABC"} in link.shared

    alerts = Notification.objects.filter(kind="co_missing")
    assert {(n.recipient, n.child) for n in alerts} == {(home_manager, cared_for), (school_lead, friend)}
    # Each lead is told which of their own children it is (issue 10 item 6), never the other child.
    assert all(n.level == "alert" for n in alerts)
    mine_alert, theirs_alert = alerts.get(recipient=home_manager), alerts.get(recipient=school_lead)
    assert mine_alert.title.startswith("Kayleigh Brown was missing at the same time as another child")
    assert "Leah" not in mine_alert.title
    assert theirs_alert.title.startswith("Leah Green was missing") and "Kayleigh" not in theirs_alert.title

    # Shown together to someone who may see both; the other child stays hidden from those who may not.
    mash = client_for(personas.mash_worker).get(reverse("missing:episode", args=[cared_for.pk, mine.pk]))
    assert "Missing at the same time" in mash.content.decode() and "Leah Green" in mash.content.decode()
    # What was shared reads as recorded (issue 10 item 8), never as the comparison key.
    assert "vehicle “KX12 ABC”" in mash.content.decode() and "kx12abc" not in mash.content.decode()
    home = client_for(personas.residential_worker).get(reverse("missing:episode", args=[cared_for.pk, mine.pk]))
    assert "Leah Green" not in home.content.decode()

    # Recording it again does not alert again.
    from safeguard.missing.services import _co_missing_find

    _co_missing_find(mine)
    assert Notification.objects.filter(kind="co_missing").count() == 2


def test_same_placement_counts_as_shared(personas, cared_for, clock):
    clock(at(3, 22))
    housemate = make_child(first_name="Mia", involved=[personas.residential], placement="Care View Children's Home",
                           looked_after=True)
    first = report(personas.residential_worker, cared_for, hours_ago=3, last_seen_where="Park")
    second = report(personas.residential_worker, housemate, hours_ago=2, last_seen_where="Shops")
    link = CoMissingLink.objects.get()
    assert link.shared == [
        {"kind": "placement", "value": "care view children s home", "shown": "Care View Children's Home"}
    ]
    returned(personas.residential_worker, first, after_hours=2)
    returned(personas.residential_worker, second, after_hours=1)
    # Episodes that do not overlap in time are not linked.
    later = make_child(first_name="Zoe", involved=[personas.residential], placement="Care View Children's Home")
    clock(at(9, 22))
    report(personas.residential_worker, later, hours_ago=1, last_seen_where="School")
    assert CoMissingLink.objects.count() == 1


def test_review_list_is_limited_to_the_children_with_most_episodes(personas, home_manager, clock):
    from django.utils import timezone

    from safeguard.missing.selectors import review_list

    kids = [make_child(first_name=f"Runner{n}", last_name="Example", involved=[personas.residential])
            for n in range(3)]
    for n, kid in enumerate(kids):
        for _ in range(n + 1):
            report(personas.residential_worker, kid, hours_ago=5)
    rows = review_list(personas.police_lead, now=timezone.now(), period_days=30, flag_at=3, limit=2)
    assert [r.child for r in rows] == [kids[2], kids[1]]
    assert [r.episodes for r in rows] == [3, 2] and rows[0].flagged and not rows[1].flagged


def test_review_page_shows_a_page_of_children_and_audits_only_those(personas, home_manager, client_for, clock,
                                                                     monkeypatch):
    from safeguard.missing.views import lists

    monkeypatch.setattr(lists, "REVIEW_PAGE", 2)
    kids = [make_child(first_name=f"Paged{n}", last_name="Example", involved=[personas.residential])
            for n in range(3)]
    for n, kid in enumerate(kids):
        for _ in range(n + 1):
            report(personas.residential_worker, kid, hours_ago=5)
    police = client_for(personas.police_lead)
    before = AuditEvent.objects.count()
    first = police.get(reverse("missing:review") + "?days=30").content.decode()
    assert "3 children: 1 to 2 shown" in first
    assert "Paged2 Example" in first and "Paged1 Example" in first and "Paged0 Example" not in first
    assert 'href="?days=30&amp;page=2"' in first
    listed = AuditEvent.objects.filter(pk__gt=before, verb=Verb.CHILD_VIEWED, payload__why="list").get()
    assert sorted(listed.payload["children"]) == sorted([kids[2].pk, kids[1].pk])
    second = police.get(reverse("missing:review") + "?days=30&page=2").content.decode()
    assert "Paged0 Example" in second and "Paged2 Example" not in second
    # The CSV still has every row.
    rows = list(csv.reader(io.StringIO(police.get(reverse("missing:review") + "?days=30&format=csv").content.decode())))
    assert len(rows) == 4
