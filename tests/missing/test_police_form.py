"""What the police receive says which reasons are priority reasons, and no more (§14.1)."""

from __future__ import annotations

from safeguard.missing import services

from .builders import declined, report, returned


def _rows(interview) -> dict[str, str]:
    return dict(services.interview_snapshot(interview)["sections"][2]["rows"])


def test_the_form_lists_every_reason_under_why_and_marks_priority_separately(personas, cared_for):
    worker = personas.residential_worker
    episode = report(worker, cared_for, hours_ago=40)
    interview = declined(worker, returned(worker, episode, after_hours=30))
    rows = _rows(interview)
    assert "Priority reasons" not in rows  # "due within 72 hours" is not a priority reason
    assert rows["Priority"] == "Yes"
    assert rows["Why"] == (
        "Missing from care: a return interview must always take place; Missing for over 24 hours; "
        "Due within 72 hours of the child's return"
    )


def test_a_short_absence_from_care_is_required_but_not_a_priority(personas, cared_for):
    worker = personas.residential_worker
    episode = report(worker, cared_for, hours_ago=10)
    interview = declined(worker, returned(worker, episode, after_hours=3))
    rows = _rows(interview)
    assert rows["Priority"] == "No" and "over 24 hours" not in rows["Why"]
