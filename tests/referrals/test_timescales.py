"""Working days skip weekends and bank holidays in England and Wales (referral deadlines)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.utils import timezone

from safeguard.referrals.timescales import add_working_days, is_working_day, working_days_deadline


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (date(2026, 3, 30), 3, date(2026, 4, 2)),  # an ordinary week
        (date(2026, 4, 2), 1, date(2026, 4, 7)),  # Thursday + 1: Good Friday and Easter Monday skipped
        (date(2026, 4, 3), 0, date(2026, 4, 7)),  # arriving on Good Friday counts from the Tuesday
        (date(2026, 12, 24), 1, date(2026, 12, 29)),  # Christmas, the weekend and Boxing Day (observed)
        (date(2026, 5, 22), 1, date(2026, 5, 26)),  # Friday + 1 over the spring bank holiday
        (date(2027, 8, 27), 1, date(2027, 8, 31)),  # the late summer bank holiday, another year
    ],
)
def test_deadlines_skip_bank_holidays(start, days, due):
    assert add_working_days(start, days) == due


def test_bank_holidays_are_not_working_days():
    assert not is_working_day(date(2026, 12, 25))
    assert not is_working_day(date(2026, 12, 28))  # Boxing Day, moved from the Saturday
    assert is_working_day(date(2026, 12, 29))


def test_a_red_referral_sent_before_easter_is_due_the_tuesday_after(settings):
    sent = timezone.make_aware(datetime(2026, 4, 2, 17, 0))
    due = timezone.localtime(working_days_deadline(sent, 1))
    assert due.date() == date(2026, 4, 7) and (due.hour, due.minute) == (23, 59)
