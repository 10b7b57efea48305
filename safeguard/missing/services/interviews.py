"""The return interview (§14.1): its tasks, naming the independent interviewer, recording what
happened, and the scheduled reminders and overdue alerts."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safeguard.access.policy import ChildAccess
from safeguard.accounts.models import CHILD_LEVEL_ROLES
from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.children.chronology import record_on_file
from safeguard.children.models import ChronologyItem, Involvement
from safeguard.children.services import involvement_ensure
from safeguard.children.summaries import summary
from safeguard.notifications.services import task_open, tasks_close_for
from safeguard.rules.interviewer import interviewer_independence, not_independent_message

from ..models import Episode, ReturnInterview
from ._common import (
    TASK_KIND,
    _clean,
    _kept,
    _name,
    _responsible_team,
)


def _interview_for(access: ChildAccess, interview: ReturnInterview) -> None:
    if interview.child_id != access.child.pk:
        raise ValueError("The access is for another child")


def _interview_tasks_open(*, interview: ReturnInterview, actor) -> None:
    episode = interview.episode
    title = (
        f"Return interview {interview.get_requirement_display().lower()} for {{child}}"
        + (" (priority)" if interview.priority else "")
        + ": arrange it with an independent interviewer"
    )
    url = interview.get_absolute_url()
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
def interview_arrange(*, access: ChildAccess, interview: ReturnInterview, interviewer) -> ReturnInterview:
    """Name the independent interviewer. Their agency becomes involved, so they can open the record."""
    access.require_change()
    _interview_for(access, interview)
    actor = access.actor
    interview = ReturnInterview.objects.select_for_update(of=("self",)).select_related("episode", "child").get(pk=interview.pk)
    if interview.status != ReturnInterview.Status.PENDING:
        raise ValidationError("The interview's outcome has already been recorded")
    # Whether the named person can take on children's records at all (their roles, not access to
    # this child: their agency is brought into the child's circle below).
    if interviewer is None or not (interviewer.is_active and interviewer.role_set & CHILD_LEVEL_ROLES):
        raise ValidationError({"interviewer": "Choose someone who works with children's records"})
    if not _independent(interviewer, interview.episode):
        raise ValidationError({"interviewer": not_independent_message(who="they")})
    if access.via_break_glass and access.agency is not None and interviewer.agency_id == access.agency.pk:
        # Naming your own agency would bring it into the circle through the back door (item 7).
        raise ValidationError({"interviewer": "You opened this record by breaking glass, so you cannot name someone "
                                              "from your own agency: ask the lead agency to add your agency first"})
    interview.interviewer = interviewer
    interview.interviewer_agency = interviewer.agency
    interview.arranged_by = actor
    interview.save(update_fields=["interviewer", "interviewer_agency", "arranged_by"])
    involvement_ensure(
        child=interview.child, agency=interviewer.agency, reason=Involvement.Reason.ADDED, actor=actor
    )
    task_open(
        kind="return_interview_conduct",
        title="Conduct the return interview for {child}",
        url=interview.get_absolute_url(),
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


_OUTCOME_VERB: dict[str, Verb] = {
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
        elif interview.episode.returned_at and result.conducted_at < interview.episode.returned_at:
            errors["conducted_time"] = "The interview must be after the child returned"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def interview_outcome_record(
    *,
    access: ChildAccess,
    interview: ReturnInterview,
    result: InterviewOutcome,
    language_flags_kept: Mapping[str, Sequence[str]] | None = None,
) -> ReturnInterview:
    """Completed (by an independent interviewer, with the record), declined, or not conducted (with
    the reason). Closes the tasks; the next step is sending it to the police (§14.1)."""
    access.require_change()
    _interview_for(access, interview)
    actor = access.actor
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
    reason = interview.not_conducted_reason
    text_for: dict[str, Callable[[], str]] = {
        ReturnInterview.Status.COMPLETED: lambda: summary(
            "missing.interview_completed", name=_name(actor), agency=actor.agency
        ),
        ReturnInterview.Status.DECLINED: lambda: summary(
            "missing.interview_declined", reason=f": {reason}" if reason else ""
        ),
        ReturnInterview.Status.NOT_CONDUCTED: lambda: summary("missing.interview_not_conducted", reason=reason),
    }
    text = text_for[result.outcome]()
    record_on_file(
        access,
        kind=ChronologyItem.Kind.RETURN_INTERVIEW,
        occurred_at=interview.conducted_at or now,
        summary=text,
        verb=_OUTCOME_VERB[result.outcome],
        source=interview,
        payload={"on_time": (interview.conducted_at or now) <= interview.due_at},
        language_kept=kept,
    )
    return interview
