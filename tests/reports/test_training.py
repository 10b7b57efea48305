"""CSE training records (§1, §11.2): who should take each course (by role, a setting), completions
recorded by the named lead or an administrator, versioned edits, coverage by agency and team."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.urls import reverse
from django.utils import timezone

from safeguard.audit.models import AuditEvent, Verb
from safeguard.reports import services
from safeguard.reports.models import Course, TrainingRecord
from safeguard.reports.selectors import training
from safeguard.reports.selectors.report import full_board_report
from tests.reports.fixture import PERIOD

TODAY = date(2026, 6, 1)


def save(actor, staff, *, team="", awareness=None, multi=None, version=0):
    return services.training_record_save(
        actor=actor, staff=staff, data=services.TrainingData(team, awareness, multi), version=version)


def test_who_should_take_each_course_follows_the_role_settings(personas, settings):
    awareness = set(training.staff_expected(Course.AWARENESS))
    multi = set(training.staff_expected(Course.MULTI_AGENCY))
    assert personas.practitioner in awareness and personas.practitioner not in multi
    assert personas.named_lead in multi and personas.mash_worker in multi
    assert personas.analyst not in awareness and personas.admin not in awareness
    settings.SAFEGUARD_TRAINING_MULTI_AGENCY_ROLES = ["practitioner"]
    assert personas.practitioner in set(training.staff_expected(Course.MULTI_AGENCY))
    settings.SAFEGUARD_TRAINING_AWARENESS_ROLES = ["wizard"]
    with pytest.raises(ImproperlyConfigured, match="wizard"):
        training.staff_expected(Course.AWARENESS)


def test_coverage_by_agency_and_team_counts_in_date_expired_and_missing(personas):
    lead = personas.named_lead
    save(lead, personas.practitioner, team="Year 9", awareness=date(2025, 9, 1))  # in date
    save(lead, personas.designated_lead, team="Year 9", awareness=date(2022, 1, 1))  # out of date (3 years)
    save(lead, lead, team="Pastoral", awareness=date(2026, 1, 5), multi=date(2026, 1, 6))
    rows = training.coverage_rows(Course.AWARENESS, today=TODAY, refresh_years=3, agency_id=personas.school.pk)
    counts = {row["cat"]: row["n"] for row in rows}
    # School staff expected: teacher, lead, DSL, senior manager (not recorded).
    assert counts == {"in_date": 2, "expired": 1, "not_recorded": 1}
    teams = {t.team: (t.expected, t.in_date, t.percent)
             for t in training.team_coverage(Course.AWARENESS, agency_id=personas.school.pk, today=TODAY,
                                             refresh_years=3)}
    assert teams == {"Year 9": (2, 1, 50), "Pastoral": (1, 1, 100), training.NO_TEAM: (1, 0, 0)}


def test_the_board_report_carries_training_coverage(personas):
    save(personas.named_lead, personas.practitioner, awareness=timezone.localdate() - timedelta(days=10))
    report = full_board_report(period=PERIOD, today=timezone.localdate())
    table = next(t for t in report.tables if t.key == "training_awareness")
    school = dict(table.rows)["Northgate Academy"]
    # Teacher in date; lead, DSL and senior manager not recorded. Staff counts are not suppressed.
    assert school == ("1", "0", "3", "4")


def test_edits_are_versioned_and_a_stale_edit_is_refused(personas):
    lead = personas.named_lead
    record = save(lead, personas.practitioner, team="Year 9", awareness=date(2025, 9, 1))
    assert record.version == 1
    record = save(lead, personas.practitioner, team="Year 10", awareness=date(2025, 9, 1), version=1)
    assert record.version == 2 and record.team == "Year 10"
    with pytest.raises(services.StaleEdit, match="training record changed since you opened it") as stale:
        save(personas.admin, personas.practitioner, team="Year 11", version=1)
    # The platform's refusal: who saved it, both versions, and what is saved now.
    assert (stale.value.current_version, stale.value.your_version) == (2, 1)
    assert stale.value.changed_by == (lead.get_full_name() or lead.username)
    assert stale.value.current["team"] == "Year 10"
    assert "reload the page" in stale.value.reload_message
    assert TrainingRecord.objects.get(user=personas.practitioner).team == "Year 10"
    with pytest.raises(services.StaleEdit) as gone:
        save(lead, personas.senior_manager, version=3)  # no record yet: the form showed version 0
    assert (gone.value.current_version, gone.value.your_version) == (0, 3)
    events = AuditEvent.objects.filter(verb=Verb.TRAINING_RECORDED).order_by("id")
    assert [e.payload["version"] for e in events] == [1, 2]
    assert events[1].payload["before"]["team"] == "Year 9" and events[1].payload["after"]["team"] == "Year 10"


def test_only_the_agency_s_named_lead_or_an_administrator_records(personas):
    assert services.may_record_training(personas.named_lead, personas.practitioner)
    assert services.may_record_training(personas.admin, personas.health_practitioner)
    assert not services.may_record_training(personas.named_lead, personas.health_practitioner)
    assert not services.may_record_training(personas.practitioner, personas.practitioner)
    with pytest.raises(PermissionDenied):
        save(personas.named_lead, personas.health_practitioner)


def test_a_completion_in_the_future_is_refused(personas):
    with pytest.raises(ValueError, match="future"):
        save(personas.named_lead, personas.practitioner, awareness=timezone.localdate() + timedelta(days=1))


def test_the_training_pages(client_for, personas, django_assert_max_num_queries):
    client = client_for(personas.named_lead)
    url = reverse("reports:training_edit", kwargs={"user_id": personas.practitioner.pk})
    page = client.get(url)
    assert page.status_code == 200 and b"CSE training for" in page.content
    bad = client.post(url, {"version": "0", "team": "Year 9", "awareness_completed_on_day": "31",
                            "awareness_completed_on_month": "2", "awareness_completed_on_year": "2025"})
    assert bad.status_code == 200 and b"must be a real date" in bad.content
    assert b'value="Year 9"' in bad.content  # what was typed is kept
    done = client.post(url, {"version": "0", "team": "Year 9", "awareness_completed_on_day": "1",
                             "awareness_completed_on_month": "9", "awareness_completed_on_year": "2025"})
    assert done.status_code == 302
    stale = client.post(url, {"version": "0", "team": "Year 8"})
    assert stale.status_code == 200 and b"training record changed since you opened it" in stale.content
    assert b"reload the page to see it" in stale.content and b'value="Year 8"' in stale.content
    with django_assert_max_num_queries(20):
        listing = client.get(reverse("reports:training"))
    assert listing.status_code == 200 and b"Year 9" in listing.content
    # Another agency's staff: not found.
    other = reverse("reports:training_edit", kwargs={"user_id": personas.health_practitioner.pk})
    assert client.get(other).status_code == 404


def test_an_administrator_chooses_the_agency(client_for, personas):
    client = client_for(personas.admin)
    page = client.get(reverse("reports:training"), {"agency": personas.health.pk})
    assert page.status_code == 200 and page.context["agency"] == personas.health
    assert client.get(reverse("reports:training"), {"agency": "999999"}).status_code == 404
