"""Every write about missing episodes: permission check, change, chronology, audit event, tasks and
alerts, in one transaction (handbook §6, §10.5, §14, §14.1; missing.md).

The rules package decides whether a return interview is required or offered, its priority reasons
and when it is due; ``selectors.cse_risk_known`` supplies ``cse_risk`` from the child's record.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from safeguard.access.policy import access_reason, works_with_children
from safeguard.accounts.models import CHILD_LEVEL_ROLES, Agency, AgencyKind, Role, User
from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.children.models import Child, ChronologyItem, Involvement
from safeguard.children.services import chronology_add, involvement_ensure
from safeguard.core.rules_settings import rules_params
from safeguard.language.services import language_flags_kept_record
from safeguard.notifications.models import Notification
from safeguard.notifications.services import notify, task_open, tasks_close_for
from safeguard.rules.interviewer import interviewer_independence, not_independent_message
from safeguard.rules.return_interview import ReturnInterviewInput, evaluate

from .models import (
    Classification,
    ClassificationChange,
    CoMissingLink,
    Episode,
    MissingFrom,
    PoliceSubmission,
    Profile,
    ProfilePhoto,
    ReturnInterview,
    Visitor,
)
from .selectors import cse_risk_known

DUE_SOON_HOURS = 24  # the "due soon" reminder goes this long before an interview is due
CO_MISSING_CANDIDATES = 500  # overlapping episodes of other children compared per episode
TASK_KIND = "return_interview"


def _require_access(actor, child: Child, session_key: str = "") -> None:
    if not works_with_children(actor):
        raise PermissionDenied("Your role does not work with children's records")
    if child.merged_into_id is not None or access_reason(actor, child, session_key=session_key) is None:
        raise PermissionDenied("You cannot change this record")


def _clean(text: str) -> str:
    return (text or "").strip()


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _local(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local.day} {local:%B %Y, %H:%M}"


def episode_url(episode: Episode) -> str:
    return reverse("missing:episode", kwargs={"child_id": episode.child_id, "episode_id": episode.pk})


def interview_url(interview: ReturnInterview) -> str:
    return reverse("missing:interview", kwargs={"child_id": interview.child_id, "episode_id": interview.episode_id})


def _kept(language_flags_kept: Mapping[str, Sequence[str]] | None) -> dict[str, list[str]]:
    return {k: list(v) for k, v in (language_flags_kept or {}).items() if v}


# -- reporting an episode ------------------------------------------------------------------------


@dataclass(frozen=True)
class EpisodeReport:
    """What the reporter knows when a child goes missing (§14; missing.md "Episodes")."""

    missing_from: str
    last_seen_at: datetime
    classification: str = Classification.MISSING
    placement: str = ""
    last_seen_where: str = ""
    circumstances: str = ""
    reported_to_police: bool = False
    police_reported_at: datetime | None = None
    police_reference: str = ""


def _check_report(report: EpisodeReport, now: datetime) -> None:
    errors = {}
    if report.missing_from not in MissingFrom.values:
        errors["missing_from"] = "Select where the child was missing from"
    if report.classification not in Classification.values:
        errors["classification"] = "Select absent or missing"
    if report.last_seen_at > now:
        errors["last_seen_time"] = "The time the child was last seen must be in the past"
    if report.police_reported_at is not None:
        if report.police_reported_at > now:
            errors["police_time"] = "The time it was reported to the police must be in the past"
        elif report.police_reported_at < report.last_seen_at:
            errors["police_time"] = "The time it was reported to the police must be after the child was last seen"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def episode_report(
    *,
    actor,
    child: Child,
    report: EpisodeReport,
    send_profile: bool = False,
    language_flags_kept: Mapping[str, Sequence[str]] | None = None,
    session_key: str = "",
) -> Episode:
    """Record that a child is absent or missing. The actor's agency becomes involved; with
    ``send_profile`` the child's profile goes to the police inbox in the same step."""
    _require_access(actor, child, session_key)
    now = timezone.now()
    _check_report(report, now)
    kept = _kept(language_flags_kept)
    episode = Episode.objects.create(
        child=child,
        missing_from=report.missing_from,
        placement=_clean(report.placement) or (child.placement if report.missing_from == MissingFrom.CARE else ""),
        last_seen_at=report.last_seen_at,
        last_seen_where=_clean(report.last_seen_where),
        circumstances=_clean(report.circumstances),
        reported_at=now,
        reported_by=actor,
        agency=actor.agency,
        reported_to_police=report.reported_to_police,
        police_reported_at=report.police_reported_at if report.reported_to_police else None,
        police_reference=_clean(report.police_reference) if report.reported_to_police else "",
        classification=report.classification,
        language_flags_kept=kept,
    )
    ClassificationChange.objects.create(
        episode=episode, from_value="", to_value=episode.classification, reason="Reported",
        changed_by=actor, agency=actor.agency, changed_at=now,
    )
    involvement_ensure(child=child, agency=actor.agency, reason=Involvement.Reason.RECORDED, actor=actor)
    chronology_add(
        child=child,
        kind=ChronologyItem.Kind.MISSING_EPISODE,
        occurred_at=episode.last_seen_at,
        agency=actor.agency,
        author=actor,
        summary=f"Reported {episode.get_classification_display().lower()} from "
        f"{episode.get_missing_from_display().lower()}"
        + (f"; last seen at {episode.last_seen_where}" if episode.last_seen_where else ""),
        source=episode,
        url=episode_url(episode),
    )
    audit_record(
        verb=Verb.EPISODE_REPORTED,
        actor=actor,
        target=episode,
        child_id=child.pk,
        payload={
            "missing_from": episode.missing_from,
            "classification": episode.classification,
            "reported_to_police": episode.reported_to_police,
        },
    )
    language_flags_kept_record(actor=actor, target=episode, child_id=child.pk, kept=kept)
    _co_missing_find(episode)
    if send_profile:
        profile_send_to_police(actor=actor, child=child, episode=episode, session_key=session_key)
    return episode


@transaction.atomic
def episode_classify(*, actor, episode: Episode, classification: str, reason: str, session_key: str = "") -> Episode:
    """Change absent to missing (or back) on review, keeping who, when and why (§14)."""
    _require_access(actor, episode.child, session_key)
    if classification not in Classification.values:
        raise ValidationError({"classification": "Select absent or missing"})
    if not _clean(reason):
        raise ValidationError({"reason": "Say why the classification is changing"})
    episode = Episode.objects.select_for_update().get(pk=episode.pk)
    if classification == episode.classification:
        raise ValidationError({"classification": f"The episode is already classed as {classification}"})
    now = timezone.now()
    change = ClassificationChange.objects.create(
        episode=episode, from_value=episode.classification, to_value=classification, reason=_clean(reason),
        changed_by=actor, agency=actor.agency, changed_at=now,
    )
    episode.classification = classification
    episode.save(update_fields=["classification"])
    chronology_add(
        child=episode.child,
        kind=ChronologyItem.Kind.MISSING_EPISODE,
        occurred_at=now,
        agency=actor.agency,
        author=actor,
        summary=f"Reclassified from {change.from_value} to {change.to_value}: {change.reason}",
        source=change,
        url=episode_url(episode),
    )
    audit_record(
        verb=Verb.EPISODE_CLASSIFIED,
        actor=actor,
        target=episode,
        child_id=episode.child_id,
        payload={"from": change.from_value, "to": change.to_value},
    )
    return episode


# -- the return and the interview the rules ask for -----------------------------------------------


@dataclass(frozen=True)
class ReturnDetails:
    """What is known when the child is found or comes back (§10.5.7; missing.md)."""

    returned_at: datetime
    found_where: str = ""
    who_with: str = ""
    vehicles: str = ""
    addresses: str = ""
    phones: str = ""
    names_mentioned: str = ""
    harmed: bool = False
    criminal_activity: bool = False
    risky_contact: bool = False
    mental_health_or_ld: bool = False
    other_risk: str = ""
    appearance: str = ""
    items_retained: str = ""


RETURN_TEXT_FIELDS = (
    "found_where", "who_with", "vehicles", "addresses", "phones", "names_mentioned", "other_risk",
    "appearance", "items_retained",
)


def _responsible_team(episode: Episode) -> Agency:
    """The placement's team sees the interview happens: the reporting agency (§14.1)."""
    return episode.agency


def _responsible_users(interview: ReturnInterview) -> list:
    """Who is told about the interview: the reporting agency's child workers, the child's lead
    professional (their social worker), and the reporting agency's named leads."""
    episode = interview.episode
    users = list(
        User.objects.filter(
            agency=_responsible_team(episode), is_active=True, role_grants__role__in=CHILD_LEVEL_ROLES
        ).distinct()
    )
    lead = interview.child.lead_professional
    if lead is not None and lead.is_active:
        users.append(lead)
    return users


@transaction.atomic
def episode_return_record(
    *,
    actor,
    episode: Episode,
    details: ReturnDetails,
    language_flags_kept: Mapping[str, Sequence[str]] | None = None,
    session_key: str = "",
) -> ReturnInterview:
    """Record the return; the rules decide the interview (required or offered, priority, due time)
    and the people responsible get a task (§14.1)."""
    _require_access(actor, episode.child, session_key)
    episode = Episode.objects.select_for_update(of=("self",)).select_related("child", "agency").get(pk=episode.pk)
    now = timezone.now()
    if episode.returned_at is not None:
        raise ValidationError("The return has already been recorded for this episode")
    if details.returned_at > now:
        raise ValidationError({"returned_time": "The time the child returned must be in the past"})
    if details.returned_at < episode.last_seen_at:
        raise ValidationError({"returned_time": "The time the child returned must be after they were last seen"})
    kept = _kept(language_flags_kept)
    episode.returned_at = details.returned_at
    for name in RETURN_TEXT_FIELDS:
        setattr(episode, name, _clean(getattr(details, name)))
    for name in ("harmed", "criminal_activity", "risky_contact", "mental_health_or_ld"):
        setattr(episode, name, bool(getattr(details, name)))
    episode.return_recorded_by = actor
    episode.return_recorded_at = now
    episode.language_flags_kept = {**episode.language_flags_kept, **kept}
    episode.save()

    cse_risk = cse_risk_known(episode.child)
    params = rules_params()
    outcome = evaluate(
        ReturnInterviewInput(
            missing_from=episode.missing_from,
            returned_at=episode.returned_at,
            duration_hours=episode.duration_hours,
            criminal_activity=episode.criminal_activity,
            harmed=episode.harmed,
            mental_health_or_ld=episode.mental_health_or_ld,
            cse_risk=cse_risk,
            risky_contact=episode.risky_contact,
            other_risk=bool(episode.other_risk),
        ),
        params,
    )
    interview = ReturnInterview.objects.create(
        episode=episode,
        child=episode.child,
        requirement=outcome.interview,
        priority=outcome.priority,
        priority_reasons=list(outcome.priority_reasons),
        reasons=[reason.to_dict() for reason in outcome.reasons],
        cse_risk_derived=cse_risk,
        rules_version=outcome.rules_version,
        due_at=outcome.due_by,
    )
    hours = episode.duration_hours
    chronology_add(
        child=episode.child,
        kind=ChronologyItem.Kind.MISSING_EPISODE,
        occurred_at=episode.returned_at,
        agency=actor.agency,
        author=actor,
        summary=f"Returned after {hours:.0f} hour{'s' if round(hours) != 1 else ''}"
        + (f"; found at {episode.found_where}" if episode.found_where else "")
        + f". Return interview {'required' if outcome.interview == 'required' else 'offered'}, due by "
        + _local(interview.due_at),
        source=episode,
        url=episode_url(episode),
    )
    audit_record(
        verb=Verb.EPISODE_RETURNED,
        actor=actor,
        target=episode,
        child_id=episode.child_id,
        payload={"duration_hours": round(hours, 1), "harmed": episode.harmed,
                 "criminal_activity": episode.criminal_activity},
    )
    audit_record(
        verb=Verb.INTERVIEW_REQUIRED,
        actor=actor,
        target=interview,
        child_id=episode.child_id,
        payload={"interview": outcome.interview, "priority_reasons": list(outcome.priority_reasons),
                 "cse_risk_derived": cse_risk, "rules_version": outcome.rules_version},
    )
    language_flags_kept_record(actor=actor, target=episode, child_id=episode.child_id, kept=kept)
    _interview_tasks_open(interview=interview, actor=actor)
    _co_missing_find(episode)
    return interview


def _interview_tasks_open(*, interview: ReturnInterview, actor) -> None:
    episode = interview.episode
    title = (
        f"Return interview {interview.get_requirement_display().lower()} for record {interview.child_id}"
        + (" (priority)" if interview.priority else "")
    )
    url = interview_url(interview)
    task_open(
        kind=TASK_KIND, title=title, url=url, agency=_responsible_team(episode), child=interview.child,
        due_at=interview.due_at, source=interview, dedupe_key=f"missing:interview:{interview.pk}:team", actor=actor,
    )
    lead = interview.child.lead_professional
    if lead is not None and lead.is_active and lead.agency_id != episode.agency_id:
        task_open(
            kind=TASK_KIND, title=title, url=url, assignee=lead, child=interview.child, due_at=interview.due_at,
            source=interview, dedupe_key=f"missing:interview:{interview.pk}:lead", actor=actor,
        )


def _independent(user, episode: Episode) -> bool:
    """Independent of the placement (rules RI1-RI3, §14.1)."""
    return interviewer_independence(
        interviewer_agency=user.agency_id, reporting_agency=episode.agency_id
    ).independent


@transaction.atomic
def interview_arrange(*, actor, interview: ReturnInterview, interviewer, session_key: str = "") -> ReturnInterview:
    """Name the independent interviewer. Their agency becomes involved, so they can open the record."""
    _require_access(actor, interview.child, session_key)
    interview = ReturnInterview.objects.select_for_update(of=("self",)).select_related("episode", "child").get(pk=interview.pk)
    if interview.status != ReturnInterview.Status.PENDING:
        raise ValidationError("The interview's outcome has already been recorded")
    if interviewer is None or not works_with_children(interviewer):
        raise ValidationError({"interviewer": "Choose someone who works with children's records"})
    if not _independent(interviewer, interview.episode):
        raise ValidationError({"interviewer": not_independent_message(who="they")})
    interview.interviewer = interviewer
    interview.interviewer_agency = interviewer.agency
    interview.arranged_by = actor
    interview.save(update_fields=["interviewer", "interviewer_agency", "arranged_by"])
    involvement_ensure(
        child=interview.child, agency=interviewer.agency, reason=Involvement.Reason.ADDED, actor=actor
    )
    task_open(
        kind="return_interview_conduct",
        title=f"Conduct the return interview for record {interview.child_id}",
        url=interview_url(interview),
        assignee=interviewer,
        child=interview.child,
        due_at=interview.due_at,
        source=interview,
        dedupe_key=f"missing:interview:{interview.pk}:interviewer:{interviewer.pk}",
        actor=actor,
    )
    audit_record(
        verb=Verb.INTERVIEW_ARRANGED,
        actor=actor,
        target=interview,
        child_id=interview.child_id,
        payload={"interviewer_id": interviewer.pk, "interviewer_agency_id": interviewer.agency_id},
    )
    return interview


@dataclass(frozen=True)
class InterviewOutcome:
    outcome: str  # completed | declined | not_conducted
    conducted_at: datetime | None = None
    child_account: str = ""
    risks_identified: str = ""
    actions_agreed: str = ""
    reason: str = ""


_OUTCOME_VERB = {
    ReturnInterview.Status.COMPLETED: Verb.INTERVIEW_COMPLETED,
    ReturnInterview.Status.DECLINED: Verb.INTERVIEW_DECLINED,
    ReturnInterview.Status.NOT_CONDUCTED: Verb.INTERVIEW_NOT_CONDUCTED,
}


def _check_outcome(actor, interview: ReturnInterview, result: InterviewOutcome, now: datetime) -> None:
    if result.outcome not in _OUTCOME_VERB:
        raise ValidationError({"outcome": "Select what happened to the interview"})
    errors = {}
    if result.outcome == ReturnInterview.Status.COMPLETED:
        if not _independent(actor, interview.episode):
            raise ValidationError(not_independent_message(who="you"))
        if result.conducted_at is None:
            errors["conducted_on"] = "Enter the date of the interview"
        if not _clean(result.child_account):
            errors["child_account"] = "Write what the child said"
    if result.outcome == ReturnInterview.Status.NOT_CONDUCTED and not _clean(result.reason):
        errors["reason"] = "Say why the interview was not conducted"
    if result.conducted_at is not None:
        if result.conducted_at > now:
            errors["conducted_time"] = "The interview time must be in the past"
        elif result.conducted_at < interview.episode.returned_at:
            errors["conducted_time"] = "The interview must be after the child returned"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def interview_outcome_record(
    *,
    actor,
    interview: ReturnInterview,
    result: InterviewOutcome,
    language_flags_kept: Mapping[str, Sequence[str]] | None = None,
    session_key: str = "",
) -> ReturnInterview:
    """Completed (by an independent interviewer, with the record), declined, or not conducted (with
    the reason). Closes the tasks; the next step is sending it to the police (§14.1)."""
    _require_access(actor, interview.child, session_key)
    interview = (
        ReturnInterview.objects.select_for_update(of=("self",)).select_related("episode", "child").get(pk=interview.pk)
    )
    if interview.status != ReturnInterview.Status.PENDING:
        raise ValidationError("The interview's outcome has already been recorded")
    now = timezone.now()
    _check_outcome(actor, interview, result, now)
    kept = _kept(language_flags_kept)
    interview.status = result.outcome
    interview.conducted_at = result.conducted_at
    interview.child_account = _clean(result.child_account)
    interview.risks_identified = _clean(result.risks_identified)
    interview.actions_agreed = _clean(result.actions_agreed)
    interview.not_conducted_reason = _clean(result.reason)
    interview.outcome_recorded_by = actor
    interview.outcome_recorded_at = now
    interview.language_flags_kept = kept
    if result.outcome == ReturnInterview.Status.COMPLETED:
        interview.interviewer = actor
        interview.interviewer_agency = actor.agency
    interview.save()
    tasks_close_for(source=interview, actor=actor)
    summary = {
        ReturnInterview.Status.COMPLETED: f"Return interview completed by {_name(actor)} ({actor.agency})",
        ReturnInterview.Status.DECLINED: "Return interview declined by the child"
        + (f": {interview.not_conducted_reason}" if interview.not_conducted_reason else ""),
        ReturnInterview.Status.NOT_CONDUCTED: f"Return interview not conducted: {interview.not_conducted_reason}",
    }[result.outcome]
    chronology_add(
        child=interview.child,
        kind=ChronologyItem.Kind.RETURN_INTERVIEW,
        occurred_at=interview.conducted_at or now,
        agency=actor.agency,
        author=actor,
        summary=summary,
        source=interview,
        url=interview_url(interview),
    )
    audit_record(
        verb=_OUTCOME_VERB[result.outcome],
        actor=actor,
        target=interview,
        child_id=interview.child_id,
        payload={"on_time": (interview.conducted_at or now) <= interview.due_at},
    )
    language_flags_kept_record(actor=actor, target=interview, child_id=interview.child_id, kept=kept)
    return interview


# -- sending to the police (§14.1) ----------------------------------------------------------------


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
            ["Interview held", _local(interview.conducted_at)],
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


def _submission_create(*, actor, kind: str, child: Child, snapshot: dict, recipient_agency: Agency,
                       episode: Episode | None = None, interview: ReturnInterview | None = None) -> PoliceSubmission:
    now = timezone.now()
    submission = PoliceSubmission.objects.create(
        kind=kind, child=child, episode=episode, interview=interview, recipient_agency=recipient_agency,
        recipient=f"Missing-person coordinators, {recipient_agency}", sent_by=actor, sending_agency=actor.agency,
        sent_at=now, snapshot=snapshot,
    )
    involvement_ensure(child=child, agency=recipient_agency, reason=Involvement.Reason.ADDED, actor=actor)
    chronology_add(
        child=child,
        kind=ChronologyItem.Kind.RETURN_INTERVIEW if interview is not None else ChronologyItem.Kind.MISSING_EPISODE,
        occurred_at=now,
        agency=actor.agency,
        author=actor,
        summary=f"{submission.get_kind_display()} sent to {submission.recipient}",
        source=submission,
        url=episode_url(episode) if episode is not None else reverse("missing:profile", kwargs={"child_id": child.pk}),
    )
    audit_record(
        verb=Verb.SENT_TO_POLICE,
        actor=actor,
        target=submission,
        child_id=child.pk,
        payload={"kind": kind, "recipient_agency_id": recipient_agency.pk},
    )
    notify(
        recipients=_police_leads(recipient_agency),
        kind="police_inbox",
        title=f"{submission.get_kind_display()} for record {child.pk}",
        url=reverse("missing:police_submission", kwargs={"submission_id": submission.pk}),
        child=child,
        level=Notification.Level.ALERT if kind == PoliceSubmission.Kind.PROFILE else Notification.Level.INFO,
        dedupe_key=f"missing:police:{submission.pk}",
        exclude=actor,
    )
    return submission


@transaction.atomic
def interview_send_to_police(
    *, actor, interview: ReturnInterview, recipient_agency: Agency | None = None, session_key: str = ""
) -> PoliceSubmission:
    """Send the completed form, or tell the missing-person coordinators why no interview took place
    (§14.1). Recorded with the time and the recipient."""
    _require_access(actor, interview.child, session_key)
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
        actor=actor, kind=kind, child=interview.child, snapshot=interview_snapshot(interview),
        recipient_agency=agency, episode=interview.episode, interview=interview,
    )


@transaction.atomic
def police_submission_receive(*, actor, submission: PoliceSubmission) -> PoliceSubmission:
    """A police lead of the receiving agency marks it received (idempotent)."""
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


# -- the profile for the police (Philomena-style) -------------------------------------------------

JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def photo_type(head: bytes) -> str | None:
    """The photo's type from its first bytes (not its name or the browser's word): JPEG or PNG."""
    if head.startswith(JPEG_MAGIC):
        return "image/jpeg"
    if head.startswith(PNG_MAGIC):
        return "image/png"
    return None


def photo_problem(*, size: int, head: bytes) -> str | None:
    """What is wrong with an uploaded photo, in plain words, or None."""
    limit_mb = getattr(settings, "SAFEGUARD_PROFILE_PHOTO_MAX_MB", 5)
    if size > limit_mb * 1024 * 1024:
        return f"The photo must be smaller than {limit_mb} MB"
    if size == 0:
        return "The photo is empty"
    if photo_type(head) is None:
        return "The photo must be a JPG or PNG"
    return None


@dataclass(frozen=True)
class ProfileData:
    description: str = ""
    phones: str = ""
    associates: str = ""
    places: str = ""
    vehicles: str = ""
    other_information: str = ""


PROFILE_FIELDS = ("description", "phones", "associates", "places", "vehicles", "other_information")


@transaction.atomic
def profile_update(
    *, actor, child: Child, data: ProfileData, photo=None, session_key: str = ""
) -> Profile:
    """Keep the child's profile current. A new photo is checked by size and content and kept beside
    the old ones (a profile already sent still shows the photo it had)."""
    _require_access(actor, child, session_key)
    now = timezone.now()
    profile = Profile.objects.select_for_update().filter(child=child).first()
    if profile is None:
        profile = Profile(child=child, updated_by=actor, updated_at=now)
    changed = [name for name in PROFILE_FIELDS if getattr(profile, name) != _clean(getattr(data, name))]
    for name in PROFILE_FIELDS:
        setattr(profile, name, _clean(getattr(data, name)))
    if photo is not None:
        content = photo.read()
        problem = photo_problem(size=len(content), head=content[:8])
        if problem:
            raise ValidationError({"photo": problem})
        content_type = photo_type(content[:8])
        stored = f"{uuid.uuid4().hex}.{'jpg' if content_type == 'image/jpeg' else 'png'}"
        record = ProfilePhoto(
            child=child, stored_name=stored, content_type=content_type, size=len(content),
            uploaded_by=actor, uploaded_at=now,
        )
        record.file.save(stored, ContentFile(content), save=False)
        record.save()
        profile.photo = record
        changed.append("photo")
    profile.updated_by = actor
    profile.updated_at = now
    profile.save()
    involvement_ensure(child=child, agency=actor.agency, reason=Involvement.Reason.RECORDED, actor=actor)
    audit_record(
        verb=Verb.PROFILE_UPDATED, actor=actor, target=profile, child_id=child.pk, payload={"fields": sorted(changed)}
    )
    return profile


def _profile_snapshot(child: Child, profile: Profile | None, episode: Episode | None) -> dict:
    sections = [{"heading": "The child", "rows": _child_rows(child)}]
    if episode is not None:
        sections.append({"heading": "Missing now", "rows": _episode_rows(episode)})
    if profile is not None:
        sections.append(
            {
                "heading": f"Profile, last updated {_local(profile.updated_at)} by {_name(profile.updated_by)}",
                "rows": [
                    ["Description", profile.description],
                    ["Phones", profile.phones],
                    ["Associates", profile.associates],
                    ["Places they go", profile.places],
                    ["Vehicles seen", profile.vehicles],
                    ["Other information", profile.other_information],
                ],
            }
        )
    else:
        sections.append({"heading": "Profile", "rows": [["Profile", "No profile has been kept for this child"]]})
    return {
        "title": "Profile of a missing child",
        "sections": sections,
        "photo_id": profile.photo_id if profile is not None else None,
    }


def profile_snapshot(child: Child, episode: Episode | None = None) -> dict:
    """What the profile page prints and what a sending keeps: the child, the episode, the profile."""
    profile = Profile.objects.select_related("updated_by").filter(child=child).first()
    return _profile_snapshot(child, profile, episode)


@transaction.atomic
def profile_send_to_police(
    *, actor, child: Child, episode: Episode | None = None, recipient_agency: Agency | None = None,
    session_key: str = "",
) -> PoliceSubmission:
    """Send the profile (with the open episode, if any) to the police inbox in one step."""
    _require_access(actor, child, session_key)
    agency = _police_recipient(recipient_agency)
    if episode is None:
        episode = Episode.objects.filter(child=child, returned_at__isnull=True).order_by("-last_seen_at").first()
    if episode is not None:
        episode = Episode.objects.select_related("agency", "reported_by").get(pk=episode.pk, child=child)
    return _submission_create(
        actor=actor, kind=PoliceSubmission.Kind.PROFILE, child=child, snapshot=profile_snapshot(child, episode),
        recipient_agency=agency, episode=episode,
    )


# -- callers and visitors to the home (§10.5.11) --------------------------------------------------


@dataclass(frozen=True)
class VisitorDetails:
    how: str
    occurred_at: datetime
    description: str
    name_given: str = ""
    vehicle: str = ""
    phone: str = ""
    turned_away: bool = False
    told_childs_age: bool = False
    passed_to_police: bool = False


@transaction.atomic
def visitor_record(*, actor, child: Child, details: VisitorDetails, session_key: str = "") -> Visitor:
    """A caller or visitor asking for the child, with their description and vehicle (§10.5.11)."""
    _require_access(actor, child, session_key)
    if details.how not in Visitor.How.values:
        raise ValidationError({"how": "Select how they made contact"})
    if details.occurred_at > timezone.now():
        raise ValidationError({"occurred_time": "The time must be in the past"})
    if not _clean(details.description):
        raise ValidationError({"description": "Describe the person"})
    visitor = Visitor.objects.create(
        child=child, how=details.how, occurred_at=details.occurred_at, name_given=_clean(details.name_given),
        description=_clean(details.description), vehicle=_clean(details.vehicle), phone=_clean(details.phone),
        turned_away=details.turned_away, told_childs_age=details.told_childs_age,
        passed_to_police=details.passed_to_police, recorded_by=actor, agency=actor.agency,
    )
    involvement_ensure(child=child, agency=actor.agency, reason=Involvement.Reason.RECORDED, actor=actor)
    who = visitor.name_given or "Someone"
    chronology_add(
        child=child,
        kind=ChronologyItem.Kind.VISITOR,
        occurred_at=visitor.occurred_at,
        agency=actor.agency,
        author=actor,
        summary=f"{who} {visitor.get_how_display().lower()} asking for the child"
        + (f"; vehicle: {visitor.vehicle}" if visitor.vehicle else "")
        + ("; turned away" if visitor.turned_away else ""),
        source=visitor,
        url=reverse("missing:visitor", kwargs={"child_id": child.pk, "visitor_id": visitor.pk}),
    )
    audit_record(
        verb=Verb.VISITOR_RECORDED, actor=actor, target=visitor, child_id=child.pk,
        payload={"how": visitor.how, "turned_away": visitor.turned_away, "passed_to_police": visitor.passed_to_police},
    )
    return visitor


# -- children missing together (§10.5.4) ----------------------------------------------------------

_SPLIT = re.compile(r"[\n;,]+")
_NOT_WORD = re.compile(r"[^a-z0-9 ]+")


def normalise_item(text: str) -> str:
    """Lower case, punctuation removed, spaces collapsed: "12, Elm St." and "12 elm st" match."""
    return " ".join(_NOT_WORD.sub(" ", text.lower()).split())


def _items(*texts: str) -> set[str]:
    found = set()
    for text in texts:
        for part in _SPLIT.split(text or ""):
            item = normalise_item(part)
            if len(item) >= 3:
                found.add(item)
    return found


# A current-style UK registration (two letters, two digits, three letters), spaces optional.
_REGISTRATION = re.compile(r"\b([a-z]{2}[0-9]{2}) ?([a-z]{3})\b")


def _vehicle_items(text: str) -> set[str]:
    """Each vehicle line, and any registration in it, compared without spaces: "Silver Astra KX12 ABC"
    and "silver astra, kx12abc" share the registration kx12abc."""
    found = set()
    for item in _items(text):
        found.add(item.replace(" ", ""))
        found.update(a + b for a, b in _REGISTRATION.findall(item))
    return found


def _shared_things(one: Episode, other: Episode) -> list[dict]:
    shared = []
    kinds = (
        ("place", lambda e: _items(e.last_seen_where, e.found_where, e.addresses)),
        ("person", lambda e: _items(e.who_with, e.names_mentioned)),
        ("vehicle", lambda e: _vehicle_items(e.vehicles)),
        ("phone", lambda e: {re.sub(r"\D", "", p) for p in _items(e.phones)} - {""}),
    )
    for kind, extract in kinds:
        for value in sorted(extract(one) & extract(other)):
            shared.append({"kind": kind, "value": value})
    placement = normalise_item(one.placement)
    if placement and placement == normalise_item(other.placement):
        shared.append({"kind": "placement", "value": placement})
    return shared


def _named_leads(agency_ids: Iterable[int]) -> list:
    return list(
        User.objects.filter(
            agency_id__in=[a for a in agency_ids if a], is_active=True, role_grants__role=Role.NAMED_LEAD
        ).distinct()
    )


def _co_missing_find(episode: Episode) -> list[CoMissingLink]:
    """Link this episode with other children's overlapping episodes that share something, and alert
    the named leads involved once per pair. Call inside the transaction of the episode's write."""
    now = timezone.now()
    end = episode.returned_at or now
    overlapping = (
        Episode.objects.exclude(child_id=episode.child_id)
        .filter(last_seen_at__lte=end)
        .filter(Q(returned_at__isnull=True) | Q(returned_at__gte=episode.last_seen_at))
        .select_related("child")
        .order_by("-last_seen_at")[:CO_MISSING_CANDIDATES]
    )
    found = []
    for other in overlapping:
        shared = _shared_things(episode, other)
        if not shared:
            continue
        a, b = sorted((episode, other), key=lambda e: e.pk)
        link, created = CoMissingLink.objects.get_or_create(
            episode_a=a, episode_b=b, defaults={"shared": shared, "found_at": now}
        )
        if not created and link.shared != shared:
            link.shared = shared
            link.save(update_fields=["shared"])
        found.append(link)
        if created:
            _co_missing_alert(a, b, shared)
    return found


def _co_missing_alert(a: Episode, b: Episode, shared: list[dict]) -> None:
    kinds = sorted({s["kind"] for s in shared})
    for mine, theirs in ((a, b), (b, a)):
        # Each child's named leads hear about their own child: the page shows the other child's
        # episode only to those who may see that child, so nothing is learnt about a hidden record.
        recipients = _named_leads({mine.agency_id, mine.child.lead_agency_id})
        created = notify(
            recipients=recipients,
            kind="co_missing",
            title=f"Record {mine.child_id} was missing at the same time as another child, sharing a "
            + " and a ".join(kinds),
            url=episode_url(mine),
            child=mine.child,
            level=Notification.Level.ALERT,
            dedupe_key=f"missing:comissing:{a.pk}:{b.pk}:{mine.pk}",
        )
        if created:
            audit_record(
                verb=Verb.ALERT_RAISED, target=mine, child_id=mine.child_id,
                payload={"kind": "co_missing", "with_episode": theirs.pk, "shared": ",".join(kinds),
                         "recipients": len(created)},
            )


# -- scheduled checks (safeguard tick) -------------------------------------------------------------


def interviews_due_alert(*, now: datetime) -> int:
    """Remind the people responsible of interviews due within a day, and alert them (and the
    reporting agency's named leads) when one is overdue. Idempotent: each is raised once."""
    raised = 0
    pending = ReturnInterview.objects.filter(status=ReturnInterview.Status.PENDING).select_related(
        "episode", "episode__agency", "child", "child__lead_professional"
    )
    for interview in pending.filter(due_at__lt=now, overdue_alerted_at__isnull=True):
        with transaction.atomic():
            recipients = _responsible_users(interview) + _named_leads([interview.episode.agency_id])
            if interview.interviewer_id:
                recipients.append(interview.interviewer)
            created = notify(
                recipients=recipients,
                kind="return_interview_overdue",
                title=f"Overdue: the return interview for record {interview.child_id} was due by "
                + _local(interview.due_at),
                url=interview_url(interview),
                child=interview.child,
                level=Notification.Level.ALERT,
                dedupe_key=f"missing:interview:{interview.pk}:overdue",
            )
            ReturnInterview.objects.filter(pk=interview.pk).update(overdue_alerted_at=now)
            if created:
                audit_record(
                    verb=Verb.ALERT_RAISED, target=interview, child_id=interview.child_id,
                    payload={"kind": "return_interview_overdue", "recipients": len(created)},
                )
            raised += len(created)
    soon = pending.filter(
        due_at__gte=now, due_at__lte=now + timedelta(hours=DUE_SOON_HOURS), due_soon_alerted_at__isnull=True
    )
    for interview in soon:
        with transaction.atomic():
            created = notify(
                recipients=_responsible_users(interview),
                kind="return_interview_due",
                title=f"The return interview for record {interview.child_id} is due by {_local(interview.due_at)}",
                url=interview_url(interview),
                child=interview.child,
                dedupe_key=f"missing:interview:{interview.pk}:due_soon",
            )
            ReturnInterview.objects.filter(pk=interview.pk).update(due_soon_alerted_at=now)
            raised += len(created)
    return raised
