"""After a synthetic load: the rows a partnership's scheduled checks would already have written.

A live system runs ``safeguard tick`` every few minutes, so by any moment it has recorded when each
accepted referral's strategy discussion is due and told the team of those already past, and it has
worked out when every record comes due for retention review. A benchmark that started from none of
that would measure years of catching up in its first tick instead of a tick with nothing new to do
(issue 15's target). The rows are written through the same rules the checks use.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from safeguard.meetings.models import Kind, MeetingDue
from safeguard.meetings.tick import STRATEGY_LOOKBACK_DAYS
from safeguard.meetings.timescales import strategy_due_at
from safeguard.records.services import retention_schedules_fill
from safeguard.referrals.models import Destination, Referral, Status


def strategy_dues(*, as_of: datetime) -> int:
    """A due for each accepted referral to children's social care in the strategy check's look-back,
    already told where it had passed (as the check would have done when it passed)."""
    rows = []
    accepted = Referral.objects.filter(
        destination=Destination.CSC, status=Status.ACCEPTED, destination_agency__isnull=False,
        sent_at__gte=as_of - timedelta(days=STRATEGY_LOOKBACK_DAYS),
    ).values_list("pk", "child_id", "destination_agency_id", "sent_at", "priority")
    for pk, child_id, agency_id, sent_at, priority in accepted:
        due = strategy_due_at(sent_at, priority)
        passed = due if due < as_of else None
        rows.append(MeetingDue(kind=Kind.STRATEGY, referral_id=pk, child_id=child_id, agency_id=agency_id, due_at=due,
                               overdue_alerted_at=passed, due_soon_alerted_at=passed))
    MeetingDue.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
    return len(rows)


def settle(*, as_of: datetime, progress=None) -> None:
    say = progress or (lambda _message: None)
    say(f"{strategy_dues(as_of=as_of)} strategy discussion dues")
    say(f"{retention_schedules_fill()} retention schedules")
