"""A team's queue reads at most its page from a partial index of open referrals, in the page's order,
however many referrals are open or were ever made (issue 15)."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeguard.referrals import selectors, services
from safeguard.referrals.models import Referral, Status
from tests.factories import access_for
from tests.factories import child as make_child


def _open(personas, count):
    kids = [make_child(first_name=f"Queued{n}", involved=[personas.health]) for n in range(count)]
    return [services.referral_open(access=access_for(personas.health_practitioner, kid), destination="csc",
                                   reason="Partner aged 19", priority="amber") for kid in kids]


def test_the_queue_over_its_limit_shows_the_soonest_due_open_referrals(personas):
    sent = _open(personas, 6)
    closed = sent[:2]  # the two sent first: due soonest, but closed
    Referral.objects.filter(pk__in=[r.pk for r in closed]).update(status=Status.DECLINED)
    queue = selectors.referral_queue(personas.mash_worker, destination="csc")
    assert queue.count() == 4
    with CaptureQueriesContext(connection) as queries:
        page = queue[0:3]
    assert [r.pk for r in page] == [r.pk for r in sent[2:5]]
    reads = [q["sql"] for q in queries.captured_queries if "referrals_referral" in q["sql"]]
    assert len(reads) == 1 and reads[0].rstrip().endswith("LIMIT 3")


def test_red_comes_first_however_many_older_referrals_are_open_and_pages_run_on(personas):
    amber = _open(personas, 5)  # sent first, so due first
    kid = make_child(first_name="Urgent", involved=[personas.health])
    red = services.referral_open(access=access_for(personas.health_practitioner, kid), destination="csc",
                                 reason="Seen getting into cars with older men", priority="red")
    Referral.objects.filter(pk=red.pk).update(due_at=max(r.due_at for r in amber) + timedelta(days=3))
    queue = selectors.referral_queue(personas.mash_worker, destination="csc")
    assert queue.counts() == {"red": 1, "amber": 5}
    # Pages of two: red first, then the ambers by due time, each row once, across the priority seam.
    pages = [queue[n:n + 2] for n in range(0, 6, 2)]
    assert [r.pk for page in pages for r in page] == [red.pk] + [r.pk for r in amber]
    assert [r.pk for r in queue[1:3]] == [r.pk for r in amber[:2]]


def test_each_queue_pages_on_its_own_over_http(client_for, personas, monkeypatch):
    from django.urls import reverse

    from safeguard.referrals.views import referrals as views

    monkeypatch.setattr(views, "QUEUE_PAGE", 2)
    sent = _open(personas, 3)
    mash = client_for(personas.mash_worker)
    first = mash.get(reverse("referrals:queue")).content.decode()
    assert "3 open: 1 to 2 shown" in first and f"Referral {sent[2].pk}<" not in first
    assert 'href="?csc_page=2#queue-csc"' in first
    second = mash.get(reverse("referrals:queue") + "?csc_page=2").content.decode()
    assert f"Referral {sent[2].pk}<" in second and f"Referral {sent[0].pk}<" not in second
    assert mash.get(reverse("referrals:queue") + "?csc_page=banana").status_code == 200  # first page


def test_the_partial_index_covers_exactly_the_queues_statuses():
    """PostgreSQL uses the partial index only when the query's statuses are its condition's."""
    index = next(i for i in Referral._meta.indexes if i.name == "referral_open_queue")
    assert dict(index.condition.children)["status__in"] == [str(s) for s in selectors.QUEUE_STATUSES]
    waiting = next(i for i in Referral._meta.indexes if i.name == "referral_waiting")
    assert dict(waiting.condition.children)["status__in"] == [Status.SENT, Status.RECEIVED]


def test_the_agencys_sent_list_is_its_newest_referrals_and_stops_at_its_limit(personas):
    sent = _open(personas, 4)
    with CaptureQueriesContext(connection) as queries:
        made = list(selectors.referrals_sent_by_agency(personas.health_practitioner, limit=3))
    assert [r.pk for r in made] == [r.pk for r in sent[::-1][:3]]
    reads = [q["sql"] for q in queries.captured_queries if "referrals_referral" in q["sql"]]
    assert len(reads) == 1 and reads[0].rstrip().endswith("LIMIT 3")
