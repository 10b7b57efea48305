"""The board report as the product runs it: the measures in ``board``, training coverage from
``training``, with the local thresholds from the rules settings."""

from __future__ import annotations

from datetime import date

from safeguard.platform.rules_settings import rules_params
from safeguard.rules.board_report import protect

from . import partners
from .board import BoardReport, Period, Section, agency_names, board_report
from .training import coverage_tables


def full_board_report(*, period: Period, today: date) -> BoardReport:
    params = rules_params()
    agencies = agency_names()
    training = Section(
        "training", "Training coverage", "1, 11.2",
        # Counts of staff, not of children: nothing here can identify a child, so nothing is hidden.
        tuple(protect(t, threshold=1) for t in coverage_tables(
            today=today, refresh_years=params.training_refresh_years, agencies=agencies)),
    )
    threshold = params.small_count_threshold
    panel = Section(
        "panel", "The Multi-Agency Risk Panel", "13",
        (protect(partners.panel_table(period, agencies), threshold=threshold),),
    )
    pursue = Section(
        "pursue", "Disruption and hot spots", "15",
        tuple(protect(t, threshold=threshold) for t in (
            partners.disruption_table(period, agencies),
            partners.hot_spot_table(period, min_children=params.hot_spot_children),
        )),
    )
    return board_report(period=period, threshold=threshold, due_hours=params.return_interview_due_hours,
                        extra_sections=[panel, pursue, training])
