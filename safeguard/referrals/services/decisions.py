"""Decision records, their approvals and their signature (workflow.md "Decision records"; §9.5,
§9.7, §17).

A record is drafted, sent for the approvals the rules require, and signed by its author. Signing
stores the signing user, the time and the sha256 of the record's canonical content; after that the
record cannot change (``DecisionLocked`` here, a trigger in the database). A correction is a new
record pointing at the one it corrects.

Approvals the rules require for a decision not to refer:

* the assessment allows no opt-out (a pregnant child under 13; a position of trust): no decision
  not to refer can be recorded at all;
* a child under 13 (§9.2, §9.5): the designated lead and a senior manager;
* a child of 13 to 17 when a referral is a must (§9.7): the designated lead;
* no referral required: none.

Without an assessment behind it, a decision not to refer needs the designated lead (and a senior
manager too for a child under 13 today): the safer reading.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safeguard.accounts.models import Role, User
from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.children.models import ChronologyItem
from safeguard.children.services import chronology_add
from safeguard.language.services import language_flags_kept_record
from safeguard.notifications.models import Notification
from safeguard.notifications.services import notify, task_open, tasks_close_for
from safeguard.referrals.models import (
    SHARING_KINDS,
    Approval,
    ApprovalRole,
    ApprovalStatus,
    Assessment,
    DecisionKind,
    DecisionRecord,
    DecisionStatus,
    Destination,
    LawfulBasis,
)
from safeguard.referrals.selectors import can_act_on_approval
from safeguard.referrals.timescales import approval_due_at
from safeguard.rules import RULES_VERSION
from safeguard.rules.not_referring import approvals_for_not_referring

from ._common import DESTINATION_ACTION, action_task_kind, require_child_access, url_for


class DecisionLocked(ValidationError):
    """A signed decision record cannot change: record a correction instead."""

    def __init__(self, message: str = "This decision record is signed and cannot change. Record a correction instead."):
        super().__init__(message, code="locked")


class NoOptOut(ValidationError):
    """The rules allow no decision not to refer here."""


@dataclass(frozen=True)
class DecisionData:
    """What a decision record says; the form and the API build one."""

    kind: str
    decision: str
    reasons: str
    information: str = ""
    relied_on_ids: Sequence[int] = ()
    decision_maker_ids: Sequence[int] = ()
    destination: str = ""
    purpose: str = ""
    lawful_basis: str = ""
    recipient: str = ""
    extra: dict = field(default_factory=dict)


def decision_url(decision: DecisionRecord) -> str:
    return url_for("referrals:decision", decision_id=decision.pk)


def approval_url(approval: Approval) -> str:
    return url_for("referrals:approval", approval_id=approval.pk)


# -- what the rules require ---------------------------------------------------------------------


def approvals_required(*, kind: str, child, subject=None, today=None) -> tuple[list[str], bool]:
    """(roles whose approval is required, exceptional) for a decision of ``kind``.

    Raises ``NoOptOut`` where the rules allow no decision not to refer.
    """
    if kind != DecisionKind.NOT_REFER:
        return [], False
    if isinstance(subject, Assessment):
        not_referring = subject.not_referring
        outcome = approvals_for_not_referring(
            assessment=True,
            assessment_allowed=bool(not_referring.get("allowed", True)),
            assessment_requires=not_referring.get("requires", ()),
        )
    else:
        outcome = approvals_for_not_referring(assessment=False, child_age=child.age_on(today or timezone.localdate()))
    if not outcome.allowed:
        raise NoOptOut(outcome.reason.text)
    return [ApprovalRole(role) for role in outcome.approvals], outcome.exceptional


# -- checks ---------------------------------------------------------------------------------------


def _check(data: DecisionData, *, actor) -> dict:
    errors = {}
    if data.kind not in DecisionKind.values:
        errors["kind"] = "Choose what kind of decision this is."
    if not data.decision.strip():
        errors["decision"] = "Enter the decision."
    if not data.reasons.strip():
        errors["reasons"] = "Enter the reasons for the decision."
    if data.kind in (DecisionKind.REFER, DecisionKind.NOT_REFER) and data.destination not in Destination.values:
        errors["destination"] = "Choose which referral the decision is about."
    if data.kind in SHARING_KINDS:
        if not data.purpose.strip():
            errors["purpose"] = "Enter the purpose of sharing the information."
        if data.lawful_basis not in LawfulBasis.values:
            errors["lawful_basis"] = "Choose the lawful basis for the decision."
        if not data.recipient.strip():
            errors["recipient"] = "Enter who the information is, or would be, shared with."
    if errors:
        raise ValidationError(errors)
    makers = list(
        User.objects.filter(pk__in=set(data.decision_maker_ids) | {actor.pk}, agency_id=actor.agency_id, is_active=True)
        .select_related("agency")
        .order_by("last_name", "first_name", "pk")
    )
    if len(makers) != len(set(data.decision_maker_ids) | {actor.pk}):
        raise ValidationError({"decision_makers": "Choose decision-makers from your own agency."})
    return {
        "decision_makers": [
            {"id": u.pk, "name": u.get_full_name() or u.username, "job_title": u.job_title, "agency": str(u.agency)}
            for u in makers
        ]
    }


def _relied_on(child, ids: Sequence[int]) -> list[dict]:
    items = ChronologyItem.objects.filter(child=child, pk__in=list(ids)).order_by("-occurred_at", "-id")
    found = [
        {
            "id": item.pk,
            "kind": item.kind,
            "summary": item.summary,
            "url": item.url,
            "occurred_at": item.occurred_at.astimezone(UTC).isoformat(),
        }
        for item in items
    ]
    if len(found) != len(set(ids)):
        raise ValidationError({"relied_on": "Choose information from this child's chronology."})
    return found


def _apply(decision: DecisionRecord, data: DecisionData, *, actor) -> None:
    checked = _check(data, actor=actor)
    decision.kind = data.kind
    decision.decision = data.decision.strip()
    decision.reasons = data.reasons.strip()
    decision.information = data.information.strip()
    decision.relied_on = _relied_on(decision.child, data.relied_on_ids)
    decision.decision_makers = checked["decision_makers"]
    decision.destination = data.destination if data.kind in (DecisionKind.REFER, DecisionKind.NOT_REFER) else ""
    sharing = data.kind in SHARING_KINDS
    decision.purpose = data.purpose.strip() if sharing else ""
    decision.lawful_basis = data.lawful_basis if sharing else ""
    decision.recipient = data.recipient.strip() if sharing else ""
    decision.required_approvals, decision.exceptional = approvals_required(
        kind=data.kind, child=decision.child, subject=decision.subject
    )


def _require_author(actor, decision: DecisionRecord) -> None:
    if actor.pk != decision.author_id:
        raise PermissionDenied("Only the author of the decision record can do this.")


def _require_unsigned(decision: DecisionRecord) -> None:
    if decision.signed_at is not None or decision.status == DecisionStatus.SIGNED:
        raise DecisionLocked()


# -- writes ----------------------------------------------------------------------------------------


@transaction.atomic
def decision_draft(
    *,
    actor,
    child,
    data: DecisionData,
    subject=None,
    corrects: DecisionRecord | None = None,
    session_key: str = "",
    language_flags_kept: dict | None = None,
) -> DecisionRecord:
    """A new decision record, unsigned. ``subject`` is what it is about (an assessment, a
    screening, a referral); ``corrects`` a signed record this one corrects."""
    require_child_access(actor, child, session_key=session_key)
    if subject is not None and getattr(subject, "child_id", child.pk) != child.pk:
        raise ValidationError("The decision must be about this child's record.")
    if corrects is not None:
        if corrects.child_id != child.pk:
            raise ValidationError("A correction must be about the same child.")
        if not corrects.is_signed:
            raise ValidationError("Only a signed record needs a correction: change the draft instead.")
    decision = DecisionRecord(
        child=child, agency=actor.agency, author=actor, created_at=timezone.now(), subject=subject, corrects=corrects,
        language_flags_kept=language_flags_kept or {},
    )
    _apply(decision, data, actor=actor)
    decision.save()
    audit_record(
        verb=Verb.DECISION_CORRECTED if corrects else Verb.DECISION_DRAFTED,
        actor=actor,
        target=decision,
        child_id=child.pk,
        payload={
            "kind": decision.kind,
            "required_approvals": list(decision.required_approvals),
            "rules_version": RULES_VERSION,
            "corrects": corrects.pk if corrects else None,
        },
    )
    language_flags_kept_record(actor=actor, target=decision, child_id=child.pk, kept=language_flags_kept or {})
    return decision


@transaction.atomic
def decision_update(
    *, actor, decision: DecisionRecord, data: DecisionData, language_flags_kept: dict | None = None
) -> DecisionRecord:
    """Change an unsigned record. Approvals already asked for or given no longer stand."""
    decision = DecisionRecord.objects.select_for_update().get(pk=decision.pk)
    _require_unsigned(decision)
    _require_author(actor, decision)
    _apply(decision, data, actor=actor)
    decision.language_flags_kept = language_flags_kept or {}
    withdrawn = _approvals_withdraw(decision, actor=actor)
    decision.status = DecisionStatus.DRAFT
    decision.save()
    audit_record(
        verb=Verb.DECISION_DRAFTED,
        actor=actor,
        target=decision,
        child_id=decision.child_id,
        payload={"changed": True, "approvals_withdrawn": withdrawn},
    )
    language_flags_kept_record(
        actor=actor, target=decision, child_id=decision.child_id, kept=language_flags_kept or {}
    )
    return decision


def _approvals_withdraw(decision: DecisionRecord, *, actor) -> int:
    count = 0
    for approval in decision.approvals.filter(status__in=[ApprovalStatus.PENDING, ApprovalStatus.APPROVED]):
        approval.status = ApprovalStatus.WITHDRAWN
        approval.save(update_fields=["status"])
        tasks_close_for(source=approval, actor=actor)
        count += 1
    tasks_close_for(source=decision, kind="decision_sign", actor=actor)
    return count


@transaction.atomic
def decision_request_approvals(*, actor, decision: DecisionRecord) -> list[Approval]:
    """Ask the designated lead (and senior manager) of the author's agency to approve."""
    decision = DecisionRecord.objects.select_for_update().get(pk=decision.pk)
    _require_unsigned(decision)
    _require_author(actor, decision)
    if not decision.required_approvals:
        raise ValidationError("This decision needs no approval: you can sign it.")
    if decision.status not in (DecisionStatus.DRAFT, DecisionStatus.RETURNED):
        raise ValidationError("Approval has already been asked for.")
    now = timezone.now()
    approvals = []
    for role in decision.required_approvals:
        approval = Approval.objects.create(
            decision=decision,
            role=role,
            agency=decision.agency,
            requested_by=actor,
            requested_at=now,
            due_at=approval_due_at(now),
        )
        approvals.append(approval)
        audit_record(
            verb=Verb.APPROVAL_REQUESTED,
            actor=actor,
            target=approval,
            child_id=decision.child_id,
            payload={"decision": decision.pk, "role": role},
        )
        task_open(
            kind="approval",
            title=f"Approve or return decision record {decision.pk} ({ApprovalRole(role).label.lower()})",
            url=approval_url(approval),
            agency=decision.agency,
            role=role,
            child=decision.child,
            due_at=approval.due_at,
            source=approval,
            dedupe_key=f"approval-{approval.pk}",
            actor=actor,
        )
    decision.status = DecisionStatus.AWAITING_APPROVAL
    decision.save(update_fields=["status"])
    return approvals


def _approval_lock(approval: Approval) -> Approval:
    return Approval.objects.select_for_update(of=("self",)).select_related("decision", "decision__child").get(pk=approval.pk)


@transaction.atomic
def approval_give(*, actor, approval: Approval, note: str = "") -> Approval:
    """Approve (§9.5, §9.7). When every required approval is given, the author is asked to sign."""
    approval = _approval_lock(approval)
    if not can_act_on_approval(actor, approval):
        raise PermissionDenied("Only a designated lead or senior manager of the agency, not the author, can approve.")
    if approval.status != ApprovalStatus.PENDING:
        raise ValidationError("This approval has already been dealt with.")
    decision = approval.decision
    _require_unsigned(decision)
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
        title=f"Decision record {decision.pk} approved by the {ApprovalRole(approval.role).label.lower()}",
        url=decision_url(decision),
        child=decision.child,
        exclude=actor,
    )
    given = set(decision.approvals.filter(status=ApprovalStatus.APPROVED).values_list("role", flat=True))
    if set(decision.required_approvals) <= given:
        decision.status = DecisionStatus.APPROVED
        decision.save(update_fields=["status"])
        task_open(
            kind="decision_sign",
            title=f"Sign decision record {decision.pk}: every approval is given",
            url=decision_url(decision),
            assignee=decision.author,
            child=decision.child,
            source=decision,
            dedupe_key=f"decision-sign-{decision.pk}-{approval.pk}",
            actor=actor,
        )
    return approval


@transaction.atomic
def approval_return(*, actor, approval: Approval, reasons: str) -> Approval:
    """Return the decision to its author with reasons; the other approvals asked for lapse."""
    approval = _approval_lock(approval)
    if not can_act_on_approval(actor, approval):
        raise PermissionDenied("Only a designated lead or senior manager of the agency, not the author, can return it.")
    if approval.status != ApprovalStatus.PENDING:
        raise ValidationError("This approval has already been dealt with.")
    if not (reasons or "").strip():
        raise ValidationError({"reasons": "Enter why you are returning the decision."})
    decision = approval.decision
    _require_unsigned(decision)
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
    _approvals_withdraw(decision, actor=actor)
    decision.status = DecisionStatus.RETURNED
    decision.save(update_fields=["status"])
    task_open(
        kind="decision_returned",
        title=f"Decision record {decision.pk} was returned: read the reasons and revise it",
        url=decision_url(decision),
        assignee=decision.author,
        child=decision.child,
        source=decision,
        dedupe_key=f"decision-returned-{approval.pk}",
        actor=actor,
    )
    return approval


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat(timespec="microseconds") if moment else None


def decision_canonical(decision: DecisionRecord) -> bytes:
    """The signed content, as canonical JSON: what the hash covers."""
    approvals = [
        {"role": a.role, "status": a.status, "decided_by": a.decided_by_id, "decided_at": _iso(a.decided_at)}
        for a in decision.approvals.order_by("pk")
        if a.status == ApprovalStatus.APPROVED
    ]
    body = {
        "id": decision.pk,
        "child_id": decision.child_id,
        "agency_id": decision.agency_id,
        "author_id": decision.author_id,
        "created_at": _iso(decision.created_at),
        "kind": decision.kind,
        "destination": decision.destination,
        "decision": decision.decision,
        "reasons": decision.reasons,
        "information": decision.information,
        "relied_on": decision.relied_on,
        "decision_makers": decision.decision_makers,
        "purpose": decision.purpose,
        "lawful_basis": decision.lawful_basis,
        "recipient": decision.recipient,
        "subject": [decision.subject_type.model if decision.subject_type_id else "", decision.subject_id],
        "required_approvals": list(decision.required_approvals),
        "exceptional": decision.exceptional,
        "corrects_id": decision.corrects_id,
        "approvals": approvals,
        "signed_by_id": decision.signed_by_id,
        "signed_at": _iso(decision.signed_at),
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def decision_hash(decision: DecisionRecord) -> str:
    return hashlib.sha256(decision_canonical(decision)).hexdigest()


def decision_verify(decision: DecisionRecord) -> bool:
    """Does the stored hash still match the record's content?"""
    return bool(decision.content_hash) and decision.content_hash == decision_hash(decision)


@transaction.atomic
def decision_sign(*, actor, decision: DecisionRecord) -> DecisionRecord:
    """Sign and date the record (§9.7). Refused until every approval the rules require is given."""
    decision = DecisionRecord.objects.select_for_update(of=("self",)).select_related("child", "subject_type").get(pk=decision.pk)
    _require_unsigned(decision)
    _require_author(actor, decision)
    given = set(decision.approvals.filter(status=ApprovalStatus.APPROVED).values_list("role", flat=True))
    missing = [role for role in decision.required_approvals if role not in given]
    if missing:
        names = " and ".join(ApprovalRole(role).label.lower() for role in missing)
        raise ValidationError(f"This decision cannot be signed until the {names} approve it (§9.5, §9.7).")
    now = timezone.now()
    decision.signed_by = actor
    decision.signed_at = now
    decision.status = DecisionStatus.SIGNED
    decision.content_hash = decision_hash(decision)
    decision.save(update_fields=["signed_by", "signed_at", "status", "content_hash"])
    audit_record(
        verb=Verb.DECISION_SIGNED,
        actor=actor,
        target=decision,
        child_id=decision.child_id,
        payload={"kind": decision.kind, "hash": decision.content_hash, "corrects": decision.corrects_id},
    )
    chronology_add(
        child=decision.child,
        kind=ChronologyItem.Kind.DECISION,
        occurred_at=now,
        agency=decision.agency,
        author=actor,
        summary=f"Decision {decision.get_kind_display().lower()}"
        + (f" ({decision.get_destination_display()})" if decision.destination else "")
        + f": {decision.decision}",
        source=decision,
        url=decision_url(decision),
    )
    tasks_close_for(source=decision, actor=actor)
    subject = decision.subject
    if decision.kind == DecisionKind.NOT_REFER and isinstance(subject, Assessment):
        code = DESTINATION_ACTION.get(decision.destination)
        if code:
            tasks_close_for(source=subject, kind=action_task_kind(code), actor=actor)
    makers = User.objects.filter(pk__in=[m["id"] for m in decision.decision_makers])
    notify(
        recipients=makers,
        kind="decision_signed",
        title=f"Decision record {decision.pk} was signed: you are named as accountable",
        url=decision_url(decision),
        child=decision.child,
        exclude=actor,
    )
    return decision


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
                f"Overdue: the {ApprovalRole(approval.role).label.lower()}'s approval of decision record "
                f"{decision.pk}"
            )
            task_open(
                kind="approval_escalated",
                title=title,
                url=approval_url(approval),
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
                url=approval_url(approval),
                child=decision.child,
                level=Notification.Level.ALERT,
                dedupe_key=f"approval-escalated-{approval.pk}",
            )
    return count
