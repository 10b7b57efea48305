"""CSE training status (safeguard/rules/training.py): a table of cases."""

from datetime import date

import pytest

from safeguard.rules.training import TrainingStatus, completed_since, expires_on, training_status

TODAY = date(2026, 12, 1)

CASES = [
    (None, 3, TrainingStatus.NOT_RECORDED),
    (date(2026, 1, 10), 3, TrainingStatus.IN_DATE),
    (date(2023, 12, 2), 3, TrainingStatus.DUE_SOON),  # expires 2 December 2026
    (date(2023, 12, 1), 3, TrainingStatus.EXPIRED),  # expires today
    (date(2020, 6, 1), 3, TrainingStatus.EXPIRED),
    (date(2020, 6, 1), 10, TrainingStatus.IN_DATE),
]


@pytest.mark.parametrize(("completed", "years", "expected"), CASES)
def test_training_status(completed, years, expected):
    assert training_status(completed, today=TODAY, refresh_years=years) == expected


def test_in_date_boundary_matches_status():
    since = completed_since(TODAY, refresh_years=3)
    assert since == date(2023, 12, 2)
    assert training_status(since, today=TODAY, refresh_years=3) != TrainingStatus.EXPIRED
    assert training_status(date.fromordinal(since.toordinal() - 1), today=TODAY, refresh_years=3) == TrainingStatus.EXPIRED


def test_leap_day_completion_expires_on_28_february():
    assert expires_on(date(2024, 2, 29), refresh_years=3) == date(2027, 2, 28)
