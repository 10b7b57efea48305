"""A team's queue reads at most its page from a partial index of open referrals, in the page's order,
however many referrals are open or were ever made (issue 15)."""

from __future__ import annotations

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
    with CaptureQueriesContext(connection) as queries:
        queue = selectors.referral_queue(personas.mash_worker, destination="csc", limit=3)
    assert [r.pk for r in queue] == [r.pk for r in sent[2:5]]
    reads = [q["sql"] for q in queries.captured_queries if "referrals_referral" in q["sql"]]
    assert len(reads) == 1 and reads[0].rstrip().endswith("LIMIT 3")


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
