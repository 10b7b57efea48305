"""CSE training status (§1: every agency's staff should be able to recognise CSE; §11.2: the named
lead monitors CSE training in their agency). A completed course stays in date for a number of
years (the rules setting ``training_refresh_years``, default 3) and is then due again.
"""

from __future__ import annotations

import enum
from datetime import date

from .board_report import born_after_for_age

DUE_SOON_DAYS = 60


class TrainingStatus(enum.StrEnum):
    IN_DATE = "in_date"
    DUE_SOON = "due_soon"
    EXPIRED = "expired"
    NOT_RECORDED = "not_recorded"


STATUS_TEXT = {
    TrainingStatus.IN_DATE: "Completed, in date",
    TrainingStatus.DUE_SOON: "Due for refresh within 60 days",
    TrainingStatus.EXPIRED: "Due again (out of date)",
    TrainingStatus.NOT_RECORDED: "Not recorded",
}


def expires_on(completed_on: date, *, refresh_years: int) -> date:
    """The day a completion goes out of date: the same date ``refresh_years`` later."""
    if refresh_years < 1:
        raise ValueError("refresh_years must be at least 1")
    # born_after_for_age subtracts years; add them the same way, keeping 29 February sensible.
    try:
        return completed_on.replace(year=completed_on.year + refresh_years)
    except ValueError:
        return completed_on.replace(year=completed_on.year + refresh_years, day=28)


def completed_since(today: date, *, refresh_years: int) -> date:
    """A course completed on or after this date is still in date on ``today``."""
    earliest = born_after_for_age(today, refresh_years)
    return date.fromordinal(earliest.toordinal() + 1)


def training_status(completed_on: date | None, *, today: date, refresh_years: int) -> TrainingStatus:
    """In date, due soon, out of date, or not recorded."""
    if completed_on is None:
        return TrainingStatus.NOT_RECORDED
    expiry = expires_on(completed_on, refresh_years=refresh_years)
    if expiry <= today:
        return TrainingStatus.EXPIRED
    if (expiry - today).days <= DUE_SOON_DAYS:
        return TrainingStatus.DUE_SOON
    return TrainingStatus.IN_DATE
