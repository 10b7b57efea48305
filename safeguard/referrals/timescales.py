"""Working-day deadlines for referrals and approvals (design decision; docs/decisions/0006).

A working day is Monday to Friday except a bank holiday in England and Wales (the ``holidays``
package, kept current by its releases, not a hand list). "Within N working days" ends at the end of the Nth
working day after the day something arrived; something that arrives at a weekend counts as
arriving on the Monday. So red (0 days) is the end of the same working day.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
from django.conf import settings
from django.utils import timezone

from safeguard.platform.rules_settings import rules_params

SATURDAY = 5


@lru_cache(maxsize=16)
def _bank_holidays(year: int) -> frozenset[date]:
    """Bank holidays in England and Wales in ``year`` (substitute days included)."""
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < SATURDAY and day not in _bank_holidays(day.year)


def next_working_day(day: date) -> date:
    """``day`` itself if it is a working day, else the next one (after a weekend or bank holiday)."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(day: date, days: int) -> date:
    day = next_working_day(day)
    for _ in range(days):
        day = next_working_day(day + timedelta(days=1))
    return day


def working_days_deadline(start: datetime, days: int) -> datetime:
    """The end (23:59:59 local time) of the ``days``-th working day after ``start``'s day."""
    local = timezone.localtime(start)
    last = add_working_days(local.date(), days)
    return timezone.make_aware(datetime.combine(last, time(23, 59, 59)))


def referral_timescale_days(priority: str) -> int:
    params = rules_params()
    return {
        "red": params.referral_timescale_red_days,
        "amber": params.referral_timescale_amber_days,
        "green": params.referral_timescale_green_days,
    }[priority]


def referral_due_at(sent_at: datetime, priority: str) -> datetime:
    return working_days_deadline(sent_at, referral_timescale_days(priority))


def approval_due_at(requested_at: datetime) -> datetime:
    return working_days_deadline(requested_at, settings.SAFEGUARD_APPROVAL_DUE_WORKING_DAYS)
