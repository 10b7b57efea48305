"""Time-travel tests of the meetings timescales and overdue actions, raised once however often
`safeguard tick` runs (time-machine)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from safeguard.audit.models import AuditEvent, Verb
from safeguard.meetings import services
from safeguard.meetings import tick as meetings_tick
from safeguard.meetings.models import Kind, MeetingDue
from safeguard.notifications.models import Notification
from safeguard.platform.tick import tick_run
from tests.factories import access_for
from tests.factories import child as make_child
from tests.meetings.builders import action, details, panel_case, referred, strategy

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
CHECKS = [meetings_tick.strategy_discussions_due, meetings_tick.conferences_due, meetings_tick.panel_reviews_due,
          meetings_tick.actions_overdue, meetings_tick.minutes_overdue]


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def clock(time_machine):
    def _move(moment: datetime) -> None:
        time_machine.move_to(moment, tick=False)

    return _move


def tick(moment: datetime, clock) -> None:
    clock(moment)
    results = tick_run(now=moment, checks=CHECKS)
    assert all(r.status == "ran" for r in results), results


@pytest.fixture
def kid(personas):
    return make_child(involved=[personas.school], lead=personas.school)


def kinds(kind: str):
    return Notification.objects.filter(kind=kind)


def test_a_red_referral_needs_a_strategy_discussion_within_one_working_day(personas, kid, clock):
    clock(at(2026, 3, 2, 10))  # Monday
    referral = referred(personas, kid, priority="red")
    tick(at(2026, 3, 2, 11), clock)
    due = MeetingDue.objects.get(kind=Kind.STRATEGY, referral=referral)
    assert due.due_at == at(2026, 3, 3, 23, 59) + timedelta(seconds=59)  # the end of Tuesday
    assert not kinds("meeting_due").exists()
    tick(at(2026, 3, 3, 9), clock)
    assert {n.recipient for n in kinds("meeting_due")} == {personas.mash_worker}
    tick(at(2026, 3, 4, 9), clock)
    tick(at(2026, 3, 4, 10), clock)
    assert {n.recipient for n in kinds("meeting_overdue")} == {personas.mash_worker}
    assert kinds("meeting_overdue").count() == 1 and kinds("meeting_overdue").get().level == "alert"
    assert AuditEvent.objects.filter(verb=Verb.ALERT_RAISED, payload__kind="meeting_overdue").count() == 1


def test_the_strategy_timescale_skips_a_bank_holiday(personas, kid, clock):
    clock(at(2026, 8, 28, 16))  # Friday before the summer bank holiday (Monday 31 August 2026)
    referral = referred(personas, kid, priority="amber")
    tick(at(2026, 8, 28, 17), clock)
    # Three working days after Friday: Tuesday, Wednesday, Thursday.
    assert MeetingDue.objects.get(referral=referral).due_at.date() == date(2026, 9, 3)


def test_arranging_the_discussion_in_time_raises_nothing(personas, kid, clock):
    clock(at(2026, 3, 2, 10))
    referral = referred(personas, kid, priority="red")
    tick(at(2026, 3, 2, 10, 30), clock)
    strategy(personas, kid, referral=referral)
    tick(at(2026, 3, 9, 9), clock)
    assert not kinds("meeting_overdue").exists()
    assert MeetingDue.objects.get(referral=referral).met_by is not None


def test_a_conference_is_due_fifteen_working_days_after_the_discussion(personas, kid, clock):
    clock(at(2026, 3, 2, 9))
    meeting = strategy(personas, kid, hours_from_now=1)
    clock(at(2026, 3, 2, 12))
    services.minutes_record(actor=personas.mash_worker, meeting=meeting, accesses=[access_for(personas.mash_worker, kid)],
                            minutes="A conference is needed", version=meeting.version, conference_needed=True)
    due = MeetingDue.objects.get(kind=Kind.ICPC, after_meeting=meeting)
    assert due.due_at.date() == date(2026, 3, 23)  # 15 working days after Monday 2 March
    tick(at(2026, 3, 20, 9), clock)
    assert not kinds("meeting_overdue").exists()
    tick(at(2026, 3, 24, 9), clock)
    assert kinds("meeting_overdue").filter(child=kid).count() == 1


def test_open_panel_cases_are_reviewed_monthly(personas, kid, clock):
    clock(at(2026, 3, 2, 9))
    case = panel_case(personas, kid)
    tick(at(2026, 3, 20, 9), clock)
    assert not kinds("panel_review_overdue").exists()
    tick(at(2026, 4, 2, 9), clock)
    tick(at(2026, 4, 2, 10), clock)
    assert {n.recipient for n in kinds("panel_review_overdue")} == {personas.panel_chair}
    assert kinds("panel_review_overdue").count() == 1
    # A panel meeting that reviews the case sets the next review a month on.
    meeting = services.meeting_convene(actor=personas.panel_chair, details=details(Kind.PANEL, hours_from_now=1))
    services.agenda_build(actor=personas.panel_chair, meeting=meeting, agenda={"victims": []}, version=meeting.version)
    meeting.refresh_from_db()
    clock(at(2026, 4, 2, 12))
    services.minutes_record(actor=personas.panel_chair, meeting=meeting, accesses=[access_for(personas.panel_chair, kid)],
                            minutes="Reviewed", version=meeting.version)
    case.refresh_from_db()
    assert case.review_due_at.date() == date(2026, 5, 2)


def test_an_overdue_action_alerts_its_owner_and_their_named_lead_once(personas, kid, clock):
    clock(at(2026, 3, 2, 9))
    meeting = strategy(personas, kid)
    task = action(personas, kid, meeting, days=3)  # due Thursday 5 March
    tick(at(2026, 3, 5, 18), clock)
    assert not kinds("action_overdue").exists()
    tick(at(2026, 3, 6, 8), clock)
    tick(at(2026, 3, 6, 9), clock)
    assert {n.recipient for n in kinds("action_overdue")} == {personas.practitioner, personas.named_lead}
    assert AuditEvent.objects.filter(verb=Verb.ALERT_RAISED, target_id=str(task.pk), payload__kind="action_overdue").count() == 1


def test_minutes_not_recorded_a_day_after_the_meeting_remind_the_convener(personas, kid, clock):
    clock(at(2026, 3, 2, 9))
    strategy(personas, kid, hours_from_now=1)
    tick(at(2026, 3, 2, 18), clock)
    assert not kinds("meeting_minutes_due").exists()
    tick(at(2026, 3, 3, 12), clock)
    tick(at(2026, 3, 3, 13), clock)
    assert [n.recipient for n in kinds("meeting_minutes_due")] == [personas.mash_worker]
