"""`safeguard tick`: interviews due and overdue, raised once however often it runs (time-machine)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

from django.core.management import call_command

from safeguard.audit.models import AuditEvent, Verb
from safeguard.missing import services
from safeguard.missing import tick as missing_tick
from safeguard.notifications.models import Notification

from .builders import access_for, report, returned
from .conftest import at


def _returned_interview(personas, child, clock):
    clock(at(3, 18))
    episode = report(personas.residential_worker, child, hours_ago=1)  # last seen 3 March 17:00
    clock(at(4, 23, 30))
    return returned(personas.residential_worker, episode, after_hours=30)  # back at 4 March 23:00


def overdue_alerts():
    return Notification.objects.filter(kind="return_interview_overdue")


def test_overdue_alert_at_72_hours_and_none_before(personas, cared_for, home_manager, clock):
    interview = _returned_interview(personas, cared_for, clock)
    assert interview.due_at == at(7, 23)

    clock(at(7, 22, 59))  # 71 hours 59 minutes after the return
    call_command("tick", stdout=StringIO())
    assert not overdue_alerts().exists()
    assert Notification.objects.filter(kind="return_interview_due").exists()  # the day-before reminder

    clock(at(7, 23, 1))  # 72 hours and a minute
    call_command("tick", stdout=StringIO())
    alerted = {n.recipient for n in overdue_alerts()}
    # The home's staff, its named lead (the unit manager) and the child's social worker.
    assert alerted == {personas.residential_worker, home_manager, personas.mash_worker}
    assert all(n.level == "alert" and n.child == cared_for for n in overdue_alerts())
    assert AuditEvent.objects.filter(verb=Verb.ALERT_RAISED, child_id=cared_for.pk,
                                     payload__kind="return_interview_overdue").count() == 1


def test_tick_is_idempotent(personas, cared_for, home_manager, clock):
    _returned_interview(personas, cared_for, clock)
    clock(at(7, 22))
    call_command("tick", stdout=StringIO())
    clock(at(8, 9))
    first = StringIO()
    call_command("tick", stdout=first)
    before = Notification.objects.count(), AuditEvent.objects.filter(verb=Verb.ALERT_RAISED).count()
    assert "interviews_due_alert: 3 raised" in first.getvalue()

    again = StringIO()
    call_command("tick", stdout=again)
    clock(at(9, 9))
    call_command("tick", stdout=again)
    assert (Notification.objects.count(), AuditEvent.objects.filter(verb=Verb.ALERT_RAISED).count()) == before
    assert "interviews_due_alert: 0 raised" in again.getvalue()
    # Even with the quick "already alerted" marks cleared, the dedupe keys stop a second alert.
    from safeguard.missing.models import ReturnInterview

    ReturnInterview.objects.update(overdue_alerted_at=None, due_soon_alerted_at=None)
    assert missing_tick.interviews_due_alert(now=at(9, 10)) == 0


def test_no_alert_once_the_interview_is_done(personas, cared_for, clock):
    interview = _returned_interview(personas, cared_for, clock)
    clock(at(5, 9))
    services.interview_outcome_record(
        access=access_for(personas.residential_worker, interview.child), interview=interview,
        result=services.InterviewOutcome(outcome="declined", reason="Said no"),
    )
    clock(at(8, 9))
    call_command("tick", stdout=StringIO())
    assert not overdue_alerts().exists()


def test_due_time_counts_elapsed_hours_across_the_clock_change(personas, cared_for, clock):
    # British Summer Time starts on 30 March 2025: 72 elapsed hours from 29 March 12:00 is 1 April 13:00.
    clock(at(29, 12) + timedelta(hours=1))
    episode = report(personas.residential_worker, cared_for, hours_ago=3)
    interview = returned(personas.residential_worker, episode, after_hours=2)
    assert interview.due_at == at(1, 13, month=4)

