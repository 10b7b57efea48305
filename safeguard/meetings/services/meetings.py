"""Convening, changing and cancelling meetings, invitations (email with a calendar entry),
attendance, minutes and agendas (§10, §13, §14). Every state change runs under a row lock and
checks the move is allowed; edits name the version they started from."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from safeguard.access.policy import ChildAccess
from safeguard.accounts.models import CHILD_LEVEL_ROLES
from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.children.chronology import record_on_file
from safeguard.children.models import ChronologyItem, Involvement
from safeguard.children.summaries import summary
from safeguard.notifications.services import notify
from safeguard.referrals.models import Referral

from .. import selectors
from ..calendar import ics_event
from ..models import (
    AgencyReport,
    Attendance,
    Invitation,
    Kind,
    Meeting,
    MeetingChild,
    MeetingDue,
    PanelCase,
)
from ..timescales import conference_due_at, panel_review_due_at
from ._common import AlreadyDone, check_version, clean, kept, local, name, refuse_unless, require_accesses

logger = logging.getLogger(__name__)

# Kinds at which every invited agency is asked for a written report (§10.1.8 and equivalents).
REPORT_KINDS = (Kind.STRATEGY, Kind.PLANNING, Kind.ICPC)
MAX_CHILDREN = 50


@dataclass(frozen=True)
class MeetingDetails:
    kind: str
    starts_at: datetime
    ends_at: datetime
    place: str = ""
    call_details: str = ""


def _check_details(details: MeetingDetails) -> None:
    errors = {}
    if details.kind not in Kind.values:
        errors["kind"] = "Choose the kind of meeting"
    if details.ends_at <= details.starts_at:
        errors["end_time"] = "The meeting must end after it starts"
    if not clean(details.place) and not clean(details.call_details):
        errors["place"] = "Enter where the meeting is held, or how to join it by phone or video"
    if errors:
        raise ValidationError(errors)


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)


def _require_manager(actor, meeting: Meeting) -> None:
    refuse_unless(selectors.may_manage(actor, meeting), "Only whoever runs this meeting can do this")


def _require_scheduled(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.CANCELLED:
        raise AlreadyDone("This meeting was cancelled.")
    if meeting.status == Meeting.Status.HELD:
        raise AlreadyDone("This meeting has been held and its minutes recorded.")


def _accesses(meeting: Meeting, accesses: Sequence[ChildAccess]) -> dict[int, ChildAccess]:
    return require_accesses(meeting, accesses, selectors.meeting_child_ids(meeting))


def _when(meeting: Meeting) -> str:
    return local(meeting.starts_at)


# -- invitations by email with a calendar entry --------------------------------------------------


def _ics(meeting: Meeting, *, cancelled: bool = False) -> str:
    where = "; ".join(x for x in (meeting.place, meeting.call_details) if x)
    link = settings.SITE_URL + meeting.get_absolute_url()
    return ics_event(
        uid=f"{meeting.ics_uid}@safeguard", sequence=meeting.ics_sequence, summary=meeting.title,
        starts_at=meeting.starts_at, ends_at=meeting.ends_at, location=where,
        description=f"Sign in to Safeguard for the papers: {link}", url=link,
        organiser_email=settings.DEFAULT_FROM_EMAIL, stamp=timezone.now(), cancelled=cancelled,
    )


def _email_invitations(meeting: Meeting, invitations: Sequence[Invitation], *, cancelled: bool = False) -> None:
    """After the commit, email each invitee the calendar entry (the meeting's kind, time, place and a
    link — never a child's name). A mail server failure is logged; the invitation stands."""
    if not invitations:
        return
    ics = _ics(meeting, cancelled=cancelled)
    sequence = meeting.ics_sequence
    if cancelled:
        subject = f"Cancelled: {meeting.title} on {_when(meeting)}"
    elif sequence:
        subject = f"Changed: {meeting.title} on {_when(meeting)}"
    else:
        subject = f"Invitation: {meeting.title} on {_when(meeting)}"
    body = (
        f"{subject}\n\nWhere: {meeting.place or '-'}\nJoining details: {meeting.call_details or '-'}\n\n"
        f"Sign in to Safeguard for the meeting and its papers: {settings.SITE_URL}{meeting.get_absolute_url()}\n\n"
        "This email does not contain any details about a child. Do not forward it."
    )
    method = "CANCEL" if cancelled else "REQUEST"
    to_send = [(inv.pk, inv.user.email) for inv in invitations if inv.user.email]

    def _send() -> None:
        for invitation_id, address in to_send:
            message = EmailMessage(subject=subject, body=body, to=[address])
            message.attach("meeting.ics", ics, f"text/calendar; method={method}; charset=utf-8")
            try:
                message.send()
            except OSError:
                logger.warning("could not email the invitation %s", invitation_id)
                continue
            Invitation.objects.filter(pk=invitation_id).update(emailed_sequence=sequence)

    transaction.on_commit(_send)


# -- convening, changing, cancelling ---------------------------------------------------------------


def _mark_dues_met(meeting: Meeting) -> None:
    if meeting.kind == Kind.STRATEGY and meeting.referral_id:
        MeetingDue.objects.filter(kind=Kind.STRATEGY, referral_id=meeting.referral_id, met_by__isnull=True).update(
            met_by=meeting
        )
    if meeting.kind == Kind.ICPC and meeting.follows_id:
        MeetingDue.objects.filter(kind=Kind.ICPC, after_meeting_id=meeting.follows_id, met_by__isnull=True).update(
            met_by=meeting
        )


@transaction.atomic
def meeting_convene(
    *,
    actor,
    details: MeetingDetails,
    accesses: Sequence[ChildAccess] = (),
    referral: Referral | None = None,
    follows: Meeting | None = None,
) -> Meeting:
    """Arrange a meeting about the children of ``accesses`` (none yet for a panel or group meeting,
    whose agenda brings them). On each child's chronology; the convener is invited."""
    refuse_unless(selectors.may_convene(actor, details.kind), "Your role cannot arrange this kind of meeting")
    _check_details(details)
    if len(accesses) > MAX_CHILDREN:
        raise ValidationError(f"A meeting can be about at most {MAX_CHILDREN} children")
    for access in accesses:
        if access.user is None or access.user.pk != actor.pk:
            raise PermissionDenied("The access is for someone else")
        access.require_change()
    child_ids = {a.child.pk for a in accesses}
    if referral is not None and referral.child_id not in child_ids:
        raise ValidationError("The referral is about another child")
    if follows is not None and not child_ids & set(selectors.meeting_child_ids(follows)):
        raise ValidationError("The earlier meeting is about other children")
    now = timezone.now()
    meeting = Meeting.objects.create(
        kind=details.kind, starts_at=details.starts_at, ends_at=details.ends_at, place=clean(details.place),
        call_details=clean(details.call_details), convened_by=actor, agency=actor.agency, referral=referral,
        follows=follows, created_at=now,
    )
    for access in accesses:
        MeetingChild.objects.create(meeting=meeting, child=access.child, added_at=now)
        record_on_file(
            access, kind=ChronologyItem.Kind.MEETING, occurred_at=meeting.starts_at,
            summary=summary("meetings.convened", kind=meeting.get_kind_display(), when=_when(meeting)),
            verb=Verb.MEETING_CONVENED, source=meeting, involvement_reason=Involvement.Reason.MEETING,
            payload={"kind": meeting.kind, "referral_id": referral.pk if referral else None},
        )
    if not accesses:
        audit_record(verb=Verb.MEETING_CONVENED, actor=actor, target=meeting, payload={"kind": meeting.kind})
    Invitation.objects.create(meeting=meeting, user=actor, agency=actor.agency, invited_by=actor, invited_at=now)
    _mark_dues_met(meeting)
    return meeting


@transaction.atomic
def meeting_change(*, actor, meeting: Meeting, details: MeetingDetails, version: int) -> Meeting:
    """A new time or place: every invitee's calendar entry is updated (same UID, SEQUENCE + 1)."""
    meeting = _locked(meeting)
    _require_manager(actor, meeting)
    _require_scheduled(meeting)
    check_version(meeting, version)
    _check_details(MeetingDetails(meeting.kind, details.starts_at, details.ends_at, details.place, details.call_details))
    before = {"starts_at": meeting.starts_at.isoformat(), "place": meeting.place}
    meeting.starts_at, meeting.ends_at = details.starts_at, details.ends_at
    meeting.place, meeting.call_details = clean(details.place), clean(details.call_details)
    meeting.version += 1
    meeting.ics_sequence += 1
    meeting.save()
    audit_record(verb=Verb.MEETING_CHANGED, actor=actor, target=meeting, payload={"before": before})
    _email_invitations(meeting, list(meeting.invitations.select_related("user")))
    return meeting


@transaction.atomic
def meeting_cancel(*, actor, meeting: Meeting, accesses: Sequence[ChildAccess], reason: str, version: int) -> Meeting:
    """Cancelled with the reason: invitees' calendars drop it (METHOD:CANCEL); a timescale it met is
    owed again."""
    meeting = _locked(meeting)
    _require_manager(actor, meeting)
    _require_scheduled(meeting)
    check_version(meeting, version)
    if not clean(reason):
        raise ValidationError({"reason": "Say why the meeting is cancelled"})
    by_child = _accesses(meeting, accesses)
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancelled_reason = clean(reason)
    meeting.version += 1
    meeting.ics_sequence += 1
    meeting.save()
    MeetingDue.objects.filter(met_by=meeting).update(met_by=None)
    for access in by_child.values():
        record_on_file(
            access, kind=ChronologyItem.Kind.MEETING,
            summary=summary("meetings.cancelled", kind=meeting.get_kind_display(), when=_when(meeting),
                            reason=meeting.cancelled_reason),
            verb=Verb.MEETING_CANCELLED, source=meeting,
        )
    if not by_child:
        audit_record(verb=Verb.MEETING_CANCELLED, actor=actor, target=meeting)
    _email_invitations(meeting, list(meeting.invitations.select_related("user")), cancelled=True)
    return meeting


@transaction.atomic
def meeting_invite(*, actor, meeting: Meeting, people: Sequence, request_reports: bool | None = None) -> list[Invitation]:
    """Invite people (each with their agency); at strategy discussions, planning meetings and
    conferences each newly invited agency is asked for a written report. Each invitee is emailed
    the calendar entry; already invited people are left as they are."""
    meeting = _locked(meeting)
    _require_manager(actor, meeting)
    _require_scheduled(meeting)
    wants_reports = meeting.kind in REPORT_KINDS if request_reports is None else request_reports
    now = timezone.now()
    invited = set(meeting.invitations.values_list("user_id", flat=True))
    created = []
    for person in people:
        if person is None or person.pk in invited:
            continue
        if not (person.is_active and person.agency_id and person.role_set & CHILD_LEVEL_ROLES):
            raise ValidationError({"people": f"{name(person)} does not work with children's records"})
        invited.add(person.pk)
        created.append(
            Invitation.objects.create(meeting=meeting, user=person, agency=person.agency, invited_by=actor, invited_at=now)
        )
        if wants_reports and person.agency_id != meeting.agency_id:
            report, new = AgencyReport.objects.get_or_create(
                meeting=meeting, agency=person.agency, defaults={"requested_by": actor, "requested_at": now}
            )
            if new:
                audit_record(verb=Verb.MEETING_REPORT_REQUESTED, actor=actor, target=report,
                             payload={"meeting_id": meeting.pk, "agency_id": person.agency_id})
    if created:
        audit_record(verb=Verb.MEETING_INVITED, actor=actor, target=meeting,
                     payload={"user_ids": [i.user_id for i in created]})
        notify(recipients=[i.user for i in created], kind="meeting_invitation",
               title=f"You are invited to a {meeting.get_kind_display().lower()} on {_when(meeting)}",
               url=meeting.get_absolute_url(), email=False, exclude=actor)
        _email_invitations(meeting, created)
    return created


@transaction.atomic
def attendance_record(*, actor, meeting: Meeting, invitation: Invitation, attendance: str, version: int) -> Invitation:
    meeting = _locked(meeting)
    _require_manager(actor, meeting)
    if meeting.status == Meeting.Status.CANCELLED:
        raise AlreadyDone("This meeting was cancelled.")
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk, meeting=meeting)
    check_version(invitation, version)
    if attendance not in Attendance.values:
        raise ValidationError({"attendance": "Choose whether they attended, sent apologies or a report only"})
    invitation.attendance = attendance
    invitation.version += 1
    invitation.save(update_fields=["attendance", "version"])
    audit_record(verb=Verb.MEETING_ATTENDANCE, actor=actor, target=invitation,
                 payload={"meeting_id": meeting.pk, "attendance": attendance})
    return invitation


@transaction.atomic
def minutes_record(
    *,
    actor,
    meeting: Meeting,
    accesses: Sequence[ChildAccess],
    minutes: str,
    version: int,
    conference_needed: bool = False,
    language_flags_kept: Mapping[str, Sequence[str]] | None = None,
) -> Meeting:
    """The minutes. The first time, the meeting is held: on each child's chronology; a strategy
    discussion that calls for a conference starts its clock; a panel meeting reviews its children's
    cases and sets their next monthly review. Later edits keep the version check."""
    meeting = _locked(meeting)
    _require_manager(actor, meeting)
    if meeting.status == Meeting.Status.CANCELLED:
        raise AlreadyDone("This meeting was cancelled.")
    check_version(meeting, version, by=meeting.minutes_by, at=meeting.minutes_at)
    if not clean(minutes):
        raise ValidationError({"minutes": "Enter the minutes"})
    now = timezone.now()
    if now < meeting.starts_at:
        raise ValidationError("The minutes can be recorded once the meeting has started")
    first = meeting.status == Meeting.Status.SCHEDULED
    by_child = _accesses(meeting, accesses) if first else {}
    meeting.minutes = clean(minutes)
    meeting.minutes_by, meeting.minutes_at = actor, now
    meeting.language_flags_kept = kept(language_flags_kept)
    meeting.conference_needed = bool(conference_needed) and meeting.kind == Kind.STRATEGY
    meeting.status = Meeting.Status.HELD
    meeting.version += 1
    meeting.save()
    if not first:
        audit_record(verb=Verb.MEETING_MINUTES, actor=actor, target=meeting, payload={"edit": True})
        return meeting
    for access in by_child.values():
        record_on_file(
            access, kind=ChronologyItem.Kind.MEETING, occurred_at=meeting.starts_at,
            summary=summary("meetings.held", kind=meeting.get_kind_display(), when=_when(meeting)),
            verb=Verb.MEETING_MINUTES, source=meeting, language_kept=language_flags_kept,
            involvement_reason=Involvement.Reason.MEETING,
        )
    if not by_child:
        audit_record(verb=Verb.MEETING_MINUTES, actor=actor, target=meeting)
    if meeting.conference_needed:
        for child_id in by_child:
            MeetingDue.objects.get_or_create(
                kind=Kind.ICPC, after_meeting=meeting,
                defaults={"child_id": child_id, "agency": meeting.agency, "due_at": conference_due_at(meeting.starts_at)},
            )
            break  # one conference for the children of the discussion
    if meeting.kind == Kind.PANEL:
        PanelCase.objects.filter(status=PanelCase.Status.OPEN, child_id__in=list(by_child)).update(
            last_reviewed_at=meeting.starts_at, review_due_at=panel_review_due_at(meeting.starts_at),
        )
    return meeting


@transaction.atomic
def agenda_build(*, actor, meeting: Meeting, agenda: dict, version: int) -> Meeting:
    """Keep the agenda built from the data (the panel's VOLT agenda, or the group's review list) and
    bring its children onto the meeting. The caller built ``agenda`` with the selectors for this
    user; a panel meeting reviews every case open at the panel."""
    meeting = _locked(meeting)
    _require_manager(actor, meeting)
    _require_scheduled(meeting)
    check_version(meeting, version)
    if meeting.kind not in (Kind.PANEL, Kind.RMG):
        raise ValidationError("Only a panel or Risk Management Group meeting has an agenda built from the data")
    now = timezone.now()
    reasons: dict[int, str] = {}
    if meeting.kind == Kind.PANEL:
        for case in PanelCase.objects.filter(status=PanelCase.Status.OPEN).order_by("review_due_at")[:MAX_CHILDREN]:
            reasons[case.child_id] = "Open at the panel: monthly review"
        for item in agenda.get("victims", []):
            reasons[item["child_id"]] = "Changes since the last panel"
    else:
        for item in agenda.get("children", []):
            reasons[item["child_id"]] = "; ".join(item["reasons"])[:300]
    existing = set(selectors.meeting_child_ids(meeting))
    for child_id, reason in list(reasons.items())[:MAX_CHILDREN]:
        if child_id in existing:
            MeetingChild.objects.filter(meeting=meeting, child_id=child_id).update(agenda_reason=reason)
        else:
            MeetingChild.objects.create(meeting=meeting, child_id=child_id, added_at=now, agenda_reason=reason)
    meeting.agenda = agenda
    meeting.agenda_built_at = now
    meeting.version += 1
    meeting.save(update_fields=["agenda", "agenda_built_at", "version"])
    audit_record(verb=Verb.MEETING_CHANGED, actor=actor, target=meeting,
                 payload={"agenda": True, "children": sorted(reasons)})
    return meeting
