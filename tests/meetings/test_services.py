"""Meetings through their services: convening, invitations, reports, minutes, signed decisions,
actions, versions and refused moves."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.http import Http404
from django.utils import timezone

from safeguard.access.policy import Why, child_for_user
from safeguard.audit.models import AuditEvent, Verb
from safeguard.children.models import ChronologyItem, Involvement
from safeguard.meetings import services
from safeguard.meetings.models import Action, AgencyReport, Attendance, Decision, Meeting
from tests.factories import access_for
from tests.factories import child as make_child
from tests.meetings.builders import action, details, referred, strategy

pytestmark = pytest.mark.django_db


@pytest.fixture
def kid(personas):
    return make_child(involved=[personas.school], lead=personas.school)


def test_a_strategy_discussion_is_on_the_childs_chronology_and_invitees_may_read_the_record(personas, kid):
    referral = referred(personas, kid)
    with pytest.raises(Http404):
        child_for_user(personas.health_practitioner, kid.pk)
    meeting = strategy(personas, kid, referral=referral)
    assert ChronologyItem.objects.filter(child=kid, kind="meeting", summary__startswith="Strategy discussion").exists()
    access = child_for_user(personas.health_practitioner, kid.pk)
    assert access.why == Why.MEETING_INVITEE
    # Invited, not involved: the invitation alone does not widen the child's circle for good.
    assert not Involvement.objects.filter(child=kid, agency=personas.health).exists()
    assert set(meeting.reports.values_list("agency__name", flat=True)) == {personas.school.name, personas.health.name}


def test_invitations_carry_a_calendar_entry_without_the_childs_name(personas, kid, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = strategy(personas, kid)
    invites = [m for m in mail.outbox if m.subject.startswith("Invitation:")]
    assert {m.to[0] for m in invites} == {"practitioner@example.org", "health_practitioner@example.org"}
    for message in invites:
        name, ics, mimetype = message.attachments[0]
        assert name == "meeting.ics" and mimetype.startswith("text/calendar")
        assert kid.first_name not in ics and kid.last_name not in ics and kid.first_name not in message.body
        assert f"UID:{meeting.ics_uid}@safeguard" in ics and "SEQUENCE:0" in ics and "METHOD:REQUEST" in ics
        assert "LOCATION:MASH office\\, room 2" in ics and f"/meetings/{meeting.pk}/" in ics


def test_a_change_updates_the_calendar_entry_and_a_cancellation_removes_it(personas, kid, django_capture_on_commit_callbacks):
    meeting = strategy(personas, kid)
    mail.outbox.clear()
    new = details(hours_from_now=26, place="Police station")
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.meeting_change(actor=personas.mash_worker, meeting=meeting, details=new, version=meeting.version)
    ics = mail.outbox[0].attachments[0][1]
    assert "SEQUENCE:1" in ics and f"UID:{meeting.ics_uid}@safeguard" in ics and "Police station" in ics
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(actor=personas.mash_worker, meeting=meeting, reason="Child moved area",
                                accesses=[access_for(personas.mash_worker, kid)], version=meeting.version)
    ics = mail.outbox[0].attachments[0][1]
    assert "METHOD:CANCEL" in ics and "SEQUENCE:2" in ics and "STATUS:CANCELLED" in ics
    assert mail.outbox[0].subject.startswith("Cancelled:")


def test_a_stale_edit_is_refused_and_a_cancelled_meeting_cannot_change(personas, kid):
    meeting = strategy(personas, kid)
    stale = meeting.version
    services.meeting_change(actor=personas.mash_worker, meeting=meeting, details=details(hours_from_now=5), version=stale)
    with pytest.raises(services.StaleEdit):
        services.meeting_change(actor=personas.mash_worker, meeting=meeting, details=details(hours_from_now=6), version=stale)
    meeting.refresh_from_db()
    services.meeting_cancel(actor=personas.mash_worker, meeting=meeting, reason="No longer needed",
                            accesses=[access_for(personas.mash_worker, kid)], version=meeting.version)
    meeting.refresh_from_db()
    with pytest.raises(services.AlreadyDone):
        services.meeting_cancel(actor=personas.mash_worker, meeting=meeting, reason="Again",
                                accesses=[access_for(personas.mash_worker, kid)], version=meeting.version)


def test_only_whoever_runs_the_meeting_invites(personas, kid):
    meeting = strategy(personas, kid, invite=False)
    with pytest.raises(PermissionDenied):
        services.meeting_invite(actor=personas.practitioner, meeting=meeting, people=[personas.health_practitioner])
    with pytest.raises(ValidationError):
        services.meeting_invite(actor=personas.mash_worker, meeting=meeting, people=[personas.analyst])


def test_reports_are_submitted_once_with_checked_attachments(personas, kid):
    from django.core.files.uploadedfile import SimpleUploadedFile

    meeting = strategy(personas, kid)
    report = meeting.reports.get(agency=personas.health)
    fake = SimpleUploadedFile("notes.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        services.report_save(actor=personas.health_practitioner, report=report, text="Seen at clinic", version=1,
                             attachments=[fake])
    assert "not really a PDF" in str(error.value)
    with pytest.raises(PermissionDenied):
        services.report_save(actor=personas.practitioner, report=report, text="x", version=1)
    pdf = SimpleUploadedFile("notes.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    access = child_for_user(personas.health_practitioner, kid.pk, change=True)
    report = services.report_save(actor=personas.health_practitioner, report=report, text="Seen at clinic twice",
                                  version=1, attachments=[pdf], submit=True, accesses=[access])
    assert report.status == AgencyReport.Status.SUBMITTED and report.attachments.count() == 1
    # Submitting brought health into the child's circle (a meeting brought it in).
    assert Involvement.objects.get(child=kid, agency=personas.health).reason == Involvement.Reason.MEETING
    with pytest.raises(services.AlreadyDone):
        services.report_save(actor=personas.health_practitioner, report=report, text="Again", version=report.version,
                             submit=True, accesses=[access])


def test_a_signed_decision_cannot_change_even_in_the_database(personas, kid):
    meeting = strategy(personas, kid, hours_from_now=-1)
    decision = services.decision_sign(
        actor=personas.mash_worker, meeting=meeting, accesses=[access_for(personas.mash_worker, kid)],
        decision="Section 47 enquiries", reasons="Significant harm likely", makers=[personas.mash_worker],
    )
    assert decision.is_signed and decision.content_hash == services.content_hash(decision)
    with pytest.raises(DatabaseError), transaction.atomic():
        Decision.objects.filter(pk=decision.pk).update(decision="Changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        Decision.objects.filter(pk=decision.pk).delete()
    correction = services.decision_sign(
        actor=personas.mash_worker, meeting=meeting, accesses=[access_for(personas.mash_worker, kid)],
        decision="Section 47 enquiries and a conference", reasons="As before", corrects=decision,
    )
    assert correction.corrects == decision
    with pytest.raises(services.AlreadyDone):
        services.decision_sign(actor=personas.mash_worker, meeting=meeting, accesses=[access_for(personas.mash_worker, kid)],
                               decision="Third", reasons="x", corrects=decision)


def test_minutes_hold_the_meeting_and_a_conference_clock_starts(personas, kid):
    from safeguard.meetings.models import MeetingDue

    meeting = strategy(personas, kid, hours_from_now=-2)
    with pytest.raises(ValidationError):
        services.minutes_record(actor=personas.mash_worker, meeting=meeting, accesses=[access_for(personas.mash_worker, kid)],
                                minutes="", version=meeting.version)
    meeting = services.minutes_record(
        actor=personas.mash_worker, meeting=meeting, accesses=[access_for(personas.mash_worker, kid)],
        minutes="Agreed a conference", version=meeting.version, conference_needed=True,
    )
    assert meeting.status == Meeting.Status.HELD
    due = MeetingDue.objects.get(after_meeting=meeting)
    assert due.due_at > meeting.starts_at + timedelta(days=15)  # 15 working days is three weeks at least
    stale = meeting.version - 1
    with pytest.raises(services.StaleEdit):
        services.minutes_record(actor=personas.mash_worker, meeting=meeting, accesses=[], minutes="Edit", version=stale)


def test_attendance_is_recorded_with_the_version(personas, kid):
    meeting = strategy(personas, kid)
    invitation = meeting.invitations.get(user=personas.health_practitioner)
    services.attendance_record(actor=personas.mash_worker, meeting=meeting, invitation=invitation,
                               attendance=Attendance.APOLOGIES, version=1)
    with pytest.raises(services.StaleEdit):
        services.attendance_record(actor=personas.mash_worker, meeting=meeting, invitation=invitation,
                                   attendance=Attendance.ATTENDED, version=1)


def test_actions_go_to_people_in_agencies_that_work_with_children(personas, kid):
    meeting = strategy(personas, kid)
    with pytest.raises(ValidationError) as error:
        action(personas, kid, meeting, owner=personas.analyst)
    assert "agency that works with children" in str(error.value)
    done = action(personas, kid, meeting, owner=personas.health_practitioner)
    assert Involvement.objects.filter(child=kid, agency=personas.health).exists()
    access = child_for_user(personas.health_practitioner, kid.pk, change=True)
    with pytest.raises(ValidationError):
        services.action_close(actor=personas.health_practitioner, action=done, status="done", outcome="", version=1,
                              access=access)
    closed = services.action_close(actor=personas.health_practitioner, action=done, status="done",
                                   outcome="Seen, safety plan agreed", version=1, access=access)
    assert closed.status == Action.Status.DONE
    with pytest.raises(services.AlreadyDone):
        services.action_close(actor=personas.health_practitioner, action=done, status="done", outcome="Again",
                              version=closed.version, access=access)
    with pytest.raises(ValidationError):
        services.action_create(actor=personas.mash_worker, meeting=meeting, access=access_for(personas.mash_worker, kid),
                               details=services.ActionDetails("x", personas.practitioner,
                                                              timezone.localdate() - timedelta(days=1)))


def test_every_write_is_audited(personas, kid):
    with time_machine.travel(timezone.now(), tick=False):
        strategy(personas, kid)
    verbs = set(AuditEvent.objects.filter(child_id=kid.pk).values_list("verb", flat=True))
    assert Verb.MEETING_CONVENED in verbs
    assert AuditEvent.objects.filter(verb=Verb.MEETING_INVITED).exists()
    assert AuditEvent.objects.filter(verb=Verb.MEETING_REPORT_REQUESTED).count() == 2
