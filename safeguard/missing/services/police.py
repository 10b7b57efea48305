"""Sending to the police inbox (§14.1): the interview form or the reason there was none, the
child's profile, and the receiving team marking it received."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safeguard.access.policy import ChildAccess
from safeguard.accounts.models import Agency, AgencyKind, Role, User
from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.children.chronology import record_on_file
from safeguard.children.models import Child, ChronologyItem, Involvement
from safeguard.children.services import involvement_ensure
from safeguard.children.summaries import summary
from safeguard.notifications.models import Notification
from safeguard.notifications.services import notify

from ..models import Episode, PoliceSubmission, ReturnInterview
from ._common import _local, _name


def police_agency_default() -> Agency | None:
    return Agency.objects.filter(kind=AgencyKind.POLICE, is_active=True).order_by("pk").first()


def _police_recipient(recipient_agency: Agency | None) -> Agency:
    agency = recipient_agency or police_agency_default()
    if agency is None or agency.kind != AgencyKind.POLICE:
        raise ValidationError("There is no police agency set up to send this to. Ask your administrator.")
    return agency


def _police_leads(agency: Agency) -> list:
    return list(
        User.objects.filter(agency=agency, is_active=True, role_grants__role=Role.POLICE_LEAD).distinct()
    )


def _child_rows(child: Child) -> list[list[str]]:
    return [
        ["Record number", str(child.pk)],
        ["Name", child.full_name],
        ["Also known as", child.preferred_name or ""],
        ["Date of birth", f"{child.date_of_birth.day} {child.date_of_birth:%B %Y}" if child.date_of_birth else "Not known"],
        ["Gender", child.get_gender_display()],
        ["Ethnicity", child.ethnicity],
        ["Placement", child.placement],
        ["Police reference", child.police_reference],
    ]


def _episode_rows(episode: Episode) -> list[list[str]]:
    rows = [
        ["Classification", episode.get_classification_display()],
        ["Missing from", episode.get_missing_from_display() + (f": {episode.placement}" if episode.placement else "")],
        ["Last seen", _local(episode.last_seen_at)],
        ["Where last seen", episode.last_seen_where],
        ["Circumstances", episode.circumstances],
        ["Police reference for this episode", episode.police_reference],
        ["Reported by", f"{_name(episode.reported_by)}, {episode.agency}"],
    ]
    if episode.returned_at:
        rows += [
            ["Returned", _local(episode.returned_at)],
            ["Where found", episode.found_where],
            ["Who with", episode.who_with],
            ["Vehicles", episode.vehicles],
            ["Addresses mentioned", episode.addresses],
            ["Phones", episode.phones],
            ["Names mentioned", episode.names_mentioned],
            ["Hurt or harmed", "Yes" if episode.harmed else "No"],
            ["Criminal activity", "Yes" if episode.criminal_activity else "No"],
            ["Contact with people posing a risk", "Yes" if episode.risky_contact else "No"],
            ["Appearance on return", episode.appearance],
            ["Items retained for the police", episode.items_retained],
        ]
    return rows


def interview_snapshot(interview: ReturnInterview) -> dict:
    episode = interview.episode
    outcome_rows = [
        ["Requirement", interview.get_requirement_display()],
        # Every reason the rules gave (missing from care, each priority reason, the due time), as the
        # interview page shows them under "Why"; whether any priority reason held is its own row.
        ["Priority", "Yes" if interview.priority else "No"],
        ["Why", "; ".join(r["text"][:1].upper() + r["text"][1:] for r in interview.reasons) or "None"],
        ["Due by", _local(interview.due_at)],
        ["Outcome", interview.get_status_display()],
    ]
    if interview.status == ReturnInterview.Status.COMPLETED:
        outcome_rows += [
            ["Interviewer", f"{_name(interview.interviewer)}, {interview.interviewer_agency}"],
            ["Interview held", _local(interview.conducted_at) if interview.conducted_at else ""],
            ["What the child said", interview.child_account],
            ["Risks identified", interview.risks_identified],
            ["Actions agreed", interview.actions_agreed],
        ]
    else:
        outcome_rows += [["Reason no interview took place", interview.not_conducted_reason or "Not given"]]
    title = (
        "Missing person return interview form"
        if interview.status == ReturnInterview.Status.COMPLETED
        else "Missing person return interview form: no interview took place"
    )
    return {
        "title": title,
        "sections": [
            {"heading": "The child", "rows": _child_rows(interview.child)},
            {"heading": "The episode", "rows": _episode_rows(episode)},
            {"heading": "The return interview (handbook §14.1)", "rows": outcome_rows},
        ],
        "photo_id": None,
    }


def _submission_create(*, access: ChildAccess, kind: str, snapshot: dict, recipient_agency: Agency,
                       episode: Episode | None = None, interview: ReturnInterview | None = None) -> PoliceSubmission:
    child, actor = access.child, access.actor
    now = timezone.now()
    submission = PoliceSubmission.objects.create(
        kind=kind, child=child, episode=episode, interview=interview, recipient_agency=recipient_agency,
        recipient=f"Missing-person coordinators, {recipient_agency}", sent_by=actor, sending_agency=access.agency,
        sent_at=now, snapshot=snapshot,
    )
    # The receiving police team joins the child's circle: it must open what it was sent.
    involvement_ensure(child=child, agency=recipient_agency, reason=Involvement.Reason.ADDED, actor=actor)
    record_on_file(
        access,
        kind=ChronologyItem.Kind.RETURN_INTERVIEW if interview is not None else ChronologyItem.Kind.MISSING_EPISODE,
        occurred_at=now,
        summary=summary("missing.sent_to_police", kind=submission.get_kind_display(), recipient=submission.recipient),
        verb=Verb.SENT_TO_POLICE,
        source=submission,
        payload={"kind": kind, "recipient_agency_id": recipient_agency.pk},
    )
    notify(
        recipients=_police_leads(recipient_agency),
        kind="police_inbox",
        title=f"{submission.get_kind_display()} for {{child}} from {submission.sending_agency}: receive it",
        url=submission.inbox_url(),
        child=child,
        level=Notification.Level.ALERT if kind == PoliceSubmission.Kind.PROFILE else Notification.Level.INFO,
        dedupe_key=f"missing:police:{submission.pk}",
        exclude=actor,
    )
    return submission


@transaction.atomic
def interview_send_to_police(
    *, access: ChildAccess, interview: ReturnInterview, recipient_agency: Agency | None = None
) -> PoliceSubmission:
    """Send the completed form, or tell the missing-person coordinators why no interview took place
    (§14.1). Recorded with the time and the recipient."""
    access.require_change()
    if interview.child_id != access.child.pk:
        raise ValueError("The access is for another child")
    interview = ReturnInterview.objects.select_related(
        "episode", "episode__agency", "episode__reported_by", "child", "interviewer", "interviewer_agency"
    ).get(pk=interview.pk)
    if interview.status == ReturnInterview.Status.PENDING:
        raise ValidationError("Record what happened to the interview before sending it to the police")
    agency = _police_recipient(recipient_agency)
    kind = (
        PoliceSubmission.Kind.INTERVIEW_FORM
        if interview.status == ReturnInterview.Status.COMPLETED
        else PoliceSubmission.Kind.NO_INTERVIEW
    )
    return _submission_create(
        access=access, kind=kind, snapshot=interview_snapshot(interview),
        recipient_agency=agency, episode=interview.episode, interview=interview,
    )


@transaction.atomic
def police_submission_receive(*, actor, submission: PoliceSubmission) -> PoliceSubmission:
    """A police lead of the receiving agency marks it received (idempotent). Addressed to the
    receiving team, not a change to the child's file, so it takes the team member, not a ChildAccess."""
    if not (actor.has_role(Role.POLICE_LEAD) and actor.agency_id == submission.recipient_agency_id):
        raise PermissionDenied("Only the receiving police team can mark this received")
    submission = PoliceSubmission.objects.select_for_update().get(pk=submission.pk)
    if submission.received_at is None:
        submission.received_at = timezone.now()
        submission.received_by = actor
        submission.save(update_fields=["received_at", "received_by"])
        audit_record(
            verb=Verb.POLICE_RECEIVED, actor=actor, target=submission, child_id=submission.child_id,
            payload={"kind": submission.kind},
        )
    return submission
