"""Actions and plans (workflow.md "Actions and plans"): something a named person in an agency that
works with children will do, by a date, with a status and an outcome — from a meeting, or in a
child's safety or care plan. Edits name the version they started from; closing is one move."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
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
from safeguard.notifications.services import notify

from .. import selectors
from ..models import Action, Meeting
from ._common import AlreadyDone, check_version, clean, kept, name, refuse_unless


@dataclass(frozen=True)
class ActionDetails:
    description: str
    owner: Any
    due_on: Any  # a date; None is refused with a message
    plan: str = Action.Plan.MEETING


def _check(details: ActionDetails, *, today: date) -> None:
    """``today`` is the first day the action may be due: today, or for a meeting's action recorded
    after the meeting, the meeting's day."""
    errors = {}
    if not clean(details.description):
        errors["description"] = "Describe what is to be done"
    owner = details.owner
    if owner is None:
        errors["owner"] = "Choose who will do it"
    elif not (
        owner.is_active and owner.agency_id and owner.agency.is_active
        and owner.agency.kind in selectors.ACTION_AGENCY_KINDS and owner.role_set & CHILD_LEVEL_ROLES
    ):
        errors["owner"] = "Choose someone in an agency that works with children"
    if details.due_on is None:
        errors["due_on"] = "Enter the date it is due"
    elif details.due_on < today:
        errors["due_on"] = "The due date must be on or after the day the action was agreed"
    if details.plan not in Action.Plan.values:
        errors["plan"] = "Choose the kind of plan"
    if errors:
        raise ValidationError(errors)


def _summary(action: Action) -> str:
    return summary(
        "meetings.action", owner=name(action.owner), agency=action.owner_agency,
        due=f"{action.due_on.day} {action.due_on:%B %Y}", description=action.description,
    )


def _may_edit(actor, action: Action) -> bool:
    if actor.pk in (action.created_by_id, action.owner_id):
        return True
    return action.meeting is not None and selectors.may_manage(actor, action.meeting)


@transaction.atomic
def action_create(
    *,
    actor,
    details: ActionDetails,
    meeting: Meeting | None = None,
    access: ChildAccess | None = None,
    language_flags_kept: Mapping[str, Sequence[str]] | None = None,
) -> Action:
    """A new action for a meeting (run by the actor) and/or a child (``access``, which may change
    the child's file). The owner's agency joins the child's circle so the owner can open it."""
    if meeting is None and access is None:
        raise ValidationError("An action is for a meeting or a child")
    if meeting is not None:
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        refuse_unless(selectors.may_manage(actor, meeting), "Only whoever runs this meeting can set its actions")
        if meeting.status == Meeting.Status.CANCELLED:
            raise AlreadyDone("This meeting was cancelled.")
        if access is not None and access.child.pk not in selectors.meeting_child_ids(meeting):
            raise ValidationError({"child": "Choose a child the meeting is about"})
    if access is not None:
        access.require_change()
        if access.user is None or access.user.pk != actor.pk:
            raise PermissionDenied("The access is for someone else")
    agreed_on = timezone.localdate()
    if meeting is not None:
        agreed_on = min(agreed_on, timezone.localtime(meeting.starts_at).date())
    _check(details, today=agreed_on)
    owner = details.owner
    action = Action.objects.create(
        child=access.child if access else None, meeting=meeting,
        plan=details.plan if meeting is None else Action.Plan.MEETING, description=clean(details.description),
        owner=owner, owner_agency=owner.agency, due_on=details.due_on, created_by=actor, created_at=timezone.now(),
        language_flags_kept=kept(language_flags_kept),
    )
    if access is not None:
        involvement_ensure(child=access.child, agency=owner.agency, reason=Involvement.Reason.MEETING, actor=actor)
        record_on_file(
            access, kind=ChronologyItem.Kind.MEETING if meeting else ChronologyItem.Kind.NOTE, summary=_summary(action),
            verb=Verb.ACTION_CREATED, source=action, language_kept=language_flags_kept,
            payload={"owner_id": owner.pk, "meeting_id": meeting.pk if meeting else None},
        )
    else:
        audit_record(verb=Verb.ACTION_CREATED, actor=actor, target=action, payload={"owner_id": owner.pk})
    notify(recipients=[owner], kind="action_assigned",
           title=f"An action for you, due {action.due_on.day} {action.due_on:%B %Y}",
           url=action.get_absolute_url(), child=action.child, exclude=actor)
    return action


@transaction.atomic
def action_update(*, actor, action: Action, details: ActionDetails, version: int) -> Action:
    action = Action.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=action.pk)
    refuse_unless(_may_edit(actor, action), "You cannot change this action")
    if not action.is_open:
        raise AlreadyDone(f"This action is already {action.get_status_display().lower()}.")
    check_version(action, version, by=action.closed_by)
    agreed_on = timezone.localtime(action.created_at).date()
    if action.meeting is not None:
        agreed_on = min(agreed_on, timezone.localtime(action.meeting.starts_at).date())
    _check(ActionDetails(details.description, details.owner, details.due_on, action.plan), today=agreed_on)
    before = {"owner_id": action.owner_id, "due_on": action.due_on.isoformat()}
    action.description = clean(details.description)
    if details.owner.pk != action.owner_id:
        action.owner, action.owner_agency = details.owner, details.owner.agency
        if action.child is not None:
            involvement_ensure(child=action.child, agency=details.owner.agency, reason=Involvement.Reason.MEETING,
                               actor=actor)
        notify(recipients=[details.owner], kind="action_assigned", title="An action was passed to you",
               url=action.get_absolute_url(), child=action.child, exclude=actor)
    if details.due_on != action.due_on:
        action.overdue_alerted_at = None
    action.due_on = details.due_on
    action.version += 1
    action.save()
    audit_record(verb=Verb.ACTION_UPDATED, actor=actor, target=action, child_id=action.child_id,
                 payload={"before": before})
    return action


@transaction.atomic
def action_close(
    *, actor, action: Action, status: str, outcome: str, version: int, access: ChildAccess | None = None,
) -> Action:
    """Done (with the outcome) or cancelled (with why). A child's action goes on their chronology."""
    action = Action.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=action.pk)
    refuse_unless(_may_edit(actor, action), "You cannot change this action")
    if not action.is_open:
        by = f" by {name(action.closed_by)}" if action.closed_by_id else ""
        raise AlreadyDone(f"This action was already marked {action.get_status_display().lower()}{by}.")
    check_version(action, version)
    if status not in (Action.Status.DONE, Action.Status.CANCELLED):
        raise ValidationError({"status": "Choose done or cancelled"})
    if not clean(outcome):
        raise ValidationError({"outcome": "Say what happened" if status == Action.Status.DONE else "Say why it is cancelled"})
    if action.child_id:
        if access is None or access.child.pk != action.child_id:
            raise PermissionDenied("You cannot change this child's record")
        access.require_change()
    action.status = status
    action.outcome = clean(outcome)
    action.closed_by, action.closed_at = actor, timezone.now()
    action.version += 1
    action.save()
    if access is not None:
        record_on_file(
            access, kind=ChronologyItem.Kind.MEETING if action.meeting_id else ChronologyItem.Kind.NOTE,
            summary=summary("meetings.action_closed", status=action.get_status_display().lower(),
                            description=action.description, outcome=f" — {action.outcome}"),
            verb=Verb.ACTION_UPDATED, source=action, payload={"status": status},
        )
    else:
        audit_record(verb=Verb.ACTION_UPDATED, actor=actor, target=action, payload={"status": status})
    if actor.pk != action.created_by_id:
        notify(recipients=[action.created_by], kind="action_closed",
               title=f"An action you set is {action.get_status_display().lower()}", url=action.get_absolute_url(),
               child=action.child, exclude=actor)
    return action
