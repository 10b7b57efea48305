"""The board report's figures against a fixture with known counts (tests/reports/fixture.py),
suppression of small counts and of totals that would reveal them included. Every expected row
is worked out by hand from the fixture's docstring."""

from __future__ import annotations

import pytest

from safeguard.reports.selectors.board import board_report
from tests.reports.fixture import PERIOD, build

SCHOOL, HEALTH = "Northgate Academy", "City Sexual Health Service"


@pytest.fixture
def report(personas):
    build(personas)
    return board_report(period=PERIOD, threshold=5, due_hours=72)


def rows(report, key) -> dict[str, tuple[str, ...]]:
    table = next(t for t in report.tables if t.key == key)
    return {**dict(table.rows), "All": table.overall}


def test_the_report_is_a_fixed_number_of_group_by_queries(personas, django_assert_max_num_queries):
    build(personas)
    with django_assert_max_num_queries(25):
        board_report(period=PERIOD, threshold=5, due_hours=72)


def test_screenings_by_band_hide_the_small_count_and_what_would_give_it_away(report):
    # School 7 significant + 3 concern = 10; health 6 emerging. The 3 is "<5" in its row and in
    # the overall row. The school row's total (10) would give it away, so the school's 7 is hidden;
    # the column (overall 7 = school 7) would give that back, so the overall 7 goes; the overall row
    # (16 = 7 + 3 + 6) then needs the 6 hidden, and the health row shows it, so health's goes too.
    assert rows(report, "screenings_band") == {
        HEALTH: ("0", "0", "*", "0", "*"),
        SCHOOL: ("*", "<5", "0", "0", "10"),
        "All": ("*", "<5", "*", "0", "16"),
    }


def test_referrals_by_destination_status_and_time_to_outcome(report):
    # 6 to children's social care with an outcome within a day, 2 to the police still open.
    assert rows(report, "referrals_destination") == {
        SCHOOL: ("*", "<5", "0", "0", "0", "8"), "All": ("*", "<5", "0", "0", "0", "8")}
    assert rows(report, "referrals_status")["All"] == ("<5", "0", "0", "0", "*", "8")
    assert rows(report, "referrals_time")["All"] == ("*", "0", "0", "0", "0", "<5", "8")


def test_children_are_counted_once_overall_and_once_in_each_agency_that_knows_them(report):
    # 15 children: S0–S8 (school) and H0–H5 (health); health also knows S0 and S1 (8 in all).
    assert rows(report, "children_gender") == {
        HEALTH: ("8", "0", "0", "0", "8"),
        SCHOOL: ("*", "<5", "0", "0", "9"),  # 6 girls, 3 boys
        "All": ("*", "<5", "0", "0", "15"),  # 12 girls, 3 boys
    }
    # Latest Form B: H0–H2 high, H3–H5 medium; S0, S1 have none (three small cells in health's row
    # that add up to 8: none can be worked out).
    assert rows(report, "children_risk") == {
        HEALTH: ("0", "<5", "<5", "<5", "8"),
        SCHOOL: ("0", "0", "0", "9", "9"),
        "All": ("0", "<5", "<5", "9", "15"),
    }
    # On 31 December 2025 the S children are 14, the H children 16.
    assert rows(report, "children_age")["All"] == ("0", "0", "9", "6", "0", "0", "15")
    assert rows(report, "children_age")[HEALTH] == ("0", "0", "<5", "*", "0", "0", "8")
    assert rows(report, "children_ethnicity") == {
        HEALTH: ("*", "<5", "8"), SCHOOL: ("0", "9", "9"), "All": ("6", "9", "15")}  # 8 − 6 = 2 would show
    assert rows(report, "children_looked_after")["All"] == ("0", "15", "15")
    assert rows(report, "children_disability")["All"] == ("0", "15", "15")


def test_missing_episodes_and_return_interviews(report):
    assert rows(report, "missing_episodes")["All"] == ("<5", "*", "9")  # 1 absent, 8 missing
    assert rows(report, "interviews_required")["All"] == ("8", "0", "8")
    # 6 within 72 hours, 1 later, 1 declined: the two 1s would each be exactly 1 from the total,
    # so the 6 is hidden too.
    assert rows(report, "interviews_outcome")["All"] == ("*", "<5", "<5", "0", "0", "8")


def test_children_in_need_factor_codes_on_assessed_children(report):
    # 6 assessed; 11A all 6 (medium or high); 10A all 6 (missing in August, Form B in October);
    # 12A only H0 (1 → "<5"; 6 − 1 = 5 without it is not small); 13A none.
    assert rows(report, "cin_factors")["All"] == ("6", "6", "6", "<5", "0")


def test_a_period_with_nothing_in_it_is_all_zeros(personas):
    from datetime import date

    from safeguard.reports.selectors.board import Period

    build(personas)
    empty = board_report(period=Period(date(2020, 1, 1), date(2020, 12, 31)), threshold=5, due_hours=72)
    for table in empty.tables:
        assert table.rows == ()
        assert set(table.overall) <= {"0"}
