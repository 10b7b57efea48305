"""Approvals of a decision not to refer (§9.5, §9.7): asked for, given or returned, and escalated
to the agency's named leads when overdue. Who must approve is in ``decisions.approvals_required``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safeguard.access.policy import ChildAccess
from safeguard.accounts.models import Agency, Role, User
from safeguard.accounts.selectors import partnership_people, role_holders
from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.children.models import Involvement
from safeguard.children.services import involvement_ensure
from safeguard.notifications.models import Notification
from safeguard.notifications.services import notify, task_open, tasks_close_for
from safeguard.referrals.models import (
    Approval,
    ApprovalRole,
    ApprovalStatus,
    DecisionKind,
    DecisionRecord,
    DecisionStatus,
)
from safeguard.referrals.selectors import can_act_on_approval
from safeguard.referrals.timescales import approval_due_at

from .decisions import approvals_withdraw, decision_lock, require_author, require_unsigned

# The partnership setting that stands in for an agency with nobody in the role (issue 10 item 4).
PARTNERSHIP_SETTING: dict[str, str] = {
    ApprovalRole.SENIOR_MANAGER: "SAFEGUARD_PARTNERSHIP_SENIOR_MANAGER",
    ApprovalRole.DESIGNATED_LEAD: "SAFEGUARD_PARTNERSHIP_DESIGNATED_LEAD",
}


@dataclass(frozen=True)
class Approver:
    """Where one approval goes: a role in an agency, and the one person when a setting names them."""

    role: str
    agency: Agency
    person: User | None = None
    stands_in: bool = False  # the partnership's designated person, for an agency with nobody in the role

    @property
    def who(self) -> str:
        if self.person is not None:
            return f"{self.person.get_full_name() or self.person.username} ({self.agency})"
        return f"the {ApprovalRole(self.role).label.lower()}s of {self.agency}"


def approver_for(*, decision: DecisionRecord, role: str) -> Approver:
    """Who is asked for ``role``'s approval: anyone in the role in the author's agency other than the
    author; failing that, the partnership's designated person for such cases. Raises a plain
    ValidationError when neither exists, so a request never waits for someone who is not there."""
    if any(u.pk != decision.author_id for u in role_holders(agency_id=decision.agency_id, role=role)):
        return Approver(role=role, agency=decision.agency)
    label = ApprovalRole(role).label.lower()
    setting = PARTNERSHIP_SETTING.get(role, "")
    named = [u for u in partnership_people(setting, role=role) if u.pk != decision.author_id and u.agency_id]
    if not named:
        raise ValidationError(
            f"Nobody in {decision.agency} is a {label}, and the partnership has not named a {label} to approve "
            "for an agency that has none. Ask your administrator to name one; nothing has been sent."
        )
    if len(named) == 1:
        return Approver(role=role, agency=cast(Agency, named[0].agency), person=named[0], stands_in=True)
    return Approver(role=role, agency=cast(Agency, named[0].agency), stands_in=True)


@transaction.atomic
def decision_request_approvals(*, access: ChildAccess, decision: DecisionRecord) -> list[Approval]:
    """Ask the designated lead (and senior manager) of the author's agency to approve; for a role
    nobody in the agency holds, the partnership's designated person (told on the approval: its
    ``agency`` is not the decision's)."""
    decision = decision_lock(access, decision)
    actor = access.actor
    require_unsigned(decision)
    require_author(actor, decision)
    if not decision.required_approvals:
        raise ValidationError("This decision needs no approval: you can sign it.")
    if decision.status not in (DecisionStatus.DRAFT, DecisionStatus.RETURNED):
        raise ValidationError("Approval has already been asked for.")
    approvers = [approver_for(decision=decision, role=role) for role in decision.required_approvals]
    now = timezone.now()
    approvals = []
    for approver in approvers:
        role = approver.role
        approval = Approval.objects.create(
            decision=decision,
            role=role,
            agency=approver.agency,
            approver=approver.person,
            requested_by=actor,
            requested_at=now,
            due_at=approval_due_at(now),
        )
        approvals.append(approval)
        if approver.stands_in:
            # The approver's agency must open the record to answer (as a referral's receiving team does).
            involvement_ensure(child=decision.child, agency=approver.agency, reason=Involvement.Reason.ADDED,
                               actor=actor)
        audit_record(
            verb=Verb.APPROVAL_REQUESTED,
            actor=actor,
            target=approval,
            child_id=decision.child_id,
            payload={"decision": decision.pk, "role": role, "agency_id": approver.agency.pk,
                     "approver_id": approver.person.pk if approver.person else None,
                     "stands_in": approver.stands_in},
        )
        task_open(
            kind="approval",
            title=f"Approve or return the decision not to refer {{child}}, as {ApprovalRole(role).label.lower()}"
            if decision.kind == DecisionKind.NOT_REFER
            else f"Approve or return a decision about {{child}}, as {ApprovalRole(role).label.lower()}",
            url=approval.get_absolute_url(),
            assignee=approver.person,
            agency=None if approver.person else approver.agency,
            role="" if approver.person else role,
            child=decision.child,
            due_at=approval.due_at,
            source=approval,
            dedupe_key=f"approval-{approval.pk}",
            actor=actor,
        )
    decision.status = DecisionStatus.AWAITING_APPROVAL
    decision.save(update_fields=["status"])
    return approvals


def _approval_lock(access: ChildAccess, approval: Approval) -> Approval:
    access.require_change()
    if approval.decision.child_id != access.child.pk:
        raise PermissionDenied("This approval is about another child.")
    return Approval.objects.select_for_update(of=("self",)).select_related("decision", "decision__child").get(pk=approval.pk)


@transaction.atomic
def approval_give(*, access: ChildAccess, approval: Approval, note: str = "") -> Approval:
    """Approve (§9.5, §9.7). When every required approval is given, the author is asked to sign."""
    approval = _approval_lock(access, approval)
    actor = access.actor
    if not can_act_on_approval(actor, approval):
        raise PermissionDenied("Only a designated lead or senior manager of the agency, not the author, can approve.")
    if approval.status != ApprovalStatus.PENDING:
        raise ValidationError("This approval has already been dealt with.")
    decision = approval.decision
    require_unsigned(decision)
    now = timezone.now()
    approval.status = ApprovalStatus.APPROVED
    approval.decided_by = actor
    approval.decided_at = now
    approval.note = note.strip()
    approval.save(update_fields=["status", "decided_by", "decided_at", "note"])
    audit_record(
        verb=Verb.APPROVAL_GIVEN,
        actor=actor,
        target=approval,
        child_id=decision.child_id,
        payload={"decision": decision.pk, "role": approval.role},
    )
    tasks_close_for(source=approval, actor=actor)
    notify(
        recipients=[decision.author],
        kind="approval_given",
        title=f"The decision about {{child}} was approved by the {ApprovalRole(approval.role).label.lower()}",
        url=decision.get_absolute_url(),
        child=decision.child,
        exclude=actor,
    )
    given = set(decision.approvals.filter(status=ApprovalStatus.APPROVED).values_list("role", flat=True))
    if set(decision.required_approvals) <= given:
        decision.status = DecisionStatus.APPROVED
        decision.save(update_fields=["status"])
        task_open(
            kind="decision_sign",
            title="Sign the decision about {child}: every approval is given",
            url=decision.get_absolute_url(),
            assignee=decision.author,
            child=decision.child,
            source=decision,
            dedupe_key=f"decision-sign-{decision.pk}-{approval.pk}",
            actor=actor,
        )
    return approval


@transaction.atomic
def approval_return(*, access: ChildAccess, approval: Approval, reasons: str) -> Approval:
    """Return the decision to its author with reasons; the other approvals asked for lapse."""
    approval = _approval_lock(access, approval)
    actor = access.actor
    if not can_act_on_approval(actor, approval):
        raise PermissionDenied("Only a designated lead or senior manager of the agency, not the author, can return it.")
    if approval.status != ApprovalStatus.PENDING:
        raise ValidationError("This approval has already been dealt with.")
    if not (reasons or "").strip():
        raise ValidationError({"reasons": "Enter why you are returning the decision."})
    decision = approval.decision
    require_unsigned(decision)
    approval.status = ApprovalStatus.RETURNED
    approval.decided_by = actor
    approval.decided_at = timezone.now()
    approval.note = reasons.strip()
    approval.save(update_fields=["status", "decided_by", "decided_at", "note"])
    audit_record(
        verb=Verb.APPROVAL_RETURNED,
        actor=actor,
        target=approval,
        child_id=decision.child_id,
        payload={"decision": decision.pk, "role": approval.role},
    )
    tasks_close_for(source=approval, actor=actor)
    approvals_withdraw(decision, actor=actor)
    decision.status = DecisionStatus.RETURNED
    decision.save(update_fields=["status"])
    task_open(
        kind="decision_returned",
        title="The decision about {child} was returned to you: read the reasons and revise it",
        url=decision.get_absolute_url(),
        assignee=decision.author,
        child=decision.child,
        source=decision,
        dedupe_key=f"decision-returned-{approval.pk}",
        actor=actor,
    )
    return approval


def approvals_escalate_overdue(now: datetime | None = None) -> int:
    """Escalate every pending approval past its due time to its agency's named leads, once.

    Idempotent: an approval is escalated at most once (a conditional update on ``escalated_at``),
    and the task and alert carry dedupe keys. Returns how many were escalated this time.
    Called by ``safeguard tick``.
    """
    now = now or timezone.now()
    count = 0
    overdue = Approval.objects.filter(
        status=ApprovalStatus.PENDING, due_at__lt=now, escalated_at__isnull=True
    ).select_related("decision", "decision__child", "agency")
    for approval in overdue:
        with transaction.atomic():
            if not Approval.objects.filter(pk=approval.pk, escalated_at__isnull=True).update(escalated_at=now):
                continue
            count += 1
            decision = approval.decision
            audit_record(
                verb=Verb.APPROVAL_ESCALATED,
                target=approval,
                child_id=decision.child_id,
                payload={"decision": decision.pk, "role": approval.role, "agency_id": approval.agency_id},
            )
            title = (
                f"Overdue: the {ApprovalRole(approval.role).label.lower()}'s approval of the decision about "
                "{child}: see that it is given or returned"
            )
            task_open(
                kind="approval_escalated",
                title=title,
                url=approval.get_absolute_url(),
                agency=approval.agency,
                role=Role.NAMED_LEAD,
                child=decision.child,
                source=approval,
                dedupe_key=f"approval-escalated-{approval.pk}",
                notify_owner=False,
            )
            leads = User.objects.filter(agency=approval.agency, is_active=True, role_grants__role=Role.NAMED_LEAD)
            notify(
                recipients=leads.distinct(),
                kind="approval_escalated",
                title=title,
                url=approval.get_absolute_url(),
                child=decision.child,
                level=Notification.Level.ALERT,
                dedupe_key=f"approval-escalated-{approval.pk}",
            )
    return count
