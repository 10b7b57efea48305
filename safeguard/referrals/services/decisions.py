"""Decision records: draft and change them (workflow.md "Decision records"; §9.5, §9.7, §17).

A record is drafted, sent for the approvals the rules require (``approvals.py``), and signed by
its author (``signing.py``). After signing the record cannot change (``DecisionLocked`` here, a
trigger in the database). A correction is a new record pointing at the one it corrects.

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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safeguard.access.policy import ChildAccess
from safeguard.accounts.models import User
from safeguard.api.errors import ServiceConflict
from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.children.models import ChronologyItem
from safeguard.language.services import language_flags_kept_record
from safeguard.notifications.services import tasks_close_for
from safeguard.platform.versioning import version_bump, version_check
from safeguard.referrals.models import (
    SHARING_KINDS,
    ApprovalRole,
    ApprovalStatus,
    Assessment,
    DecisionKind,
    DecisionRecord,
    DecisionStatus,
    Destination,
    LawfulBasis,
)
from safeguard.rules import RULES_VERSION
from safeguard.rules.not_referring import approvals_for_not_referring


class DecisionLocked(ServiceConflict):
    """A signed decision record cannot change: record a correction instead (409 on the API)."""

    default_message = "This decision record is signed and cannot change. Record a correction instead."

    def __init__(self, message: str = default_message):
        super().__init__(message)
        self.message = message
        self.messages = [message]


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
    corrected = decision.corrects
    if corrected is not None:
        # A correction keeps the kind and needs (at least) the approvals the corrected record needed
        # (issue 11 item 9): changing the kind must never drop an approval.
        if data.kind != corrected.kind:
            raise ValidationError({"kind": "A correction keeps the kind of the record it corrects "
                                           f"({corrected.get_kind_display().lower()})."})
        needed = list(decision.required_approvals)
        needed += [role for role in corrected.required_approvals if role not in needed]
        decision.required_approvals = needed
        decision.exceptional = decision.exceptional or corrected.exceptional


def require_author(actor, decision: DecisionRecord) -> None:
    if actor.pk != decision.author_id:
        raise PermissionDenied("Only the author of the decision record can do this.")


def require_unsigned(decision: DecisionRecord) -> None:
    if decision.signed_at is not None or decision.status == DecisionStatus.SIGNED:
        raise DecisionLocked()


def decision_lock(access: ChildAccess, decision: DecisionRecord) -> DecisionRecord:
    """The decision under a row lock, after checking the access is to change its child."""
    access.require_change()
    if decision.child_id != access.child.pk:
        raise PermissionDenied("This decision record is about another child.")
    return (
        DecisionRecord.objects.select_for_update(of=("self",))
        .select_related("child", "subject_type")
        .get(pk=decision.pk)
    )


# -- writes ----------------------------------------------------------------------------------------


@transaction.atomic
def decision_draft(
    *,
    access: ChildAccess,
    data: DecisionData,
    subject=None,
    corrects: DecisionRecord | None = None,
    language_kept: Mapping[str, Sequence[str]] | None = None,
) -> DecisionRecord:
    """A new decision record, unsigned. ``subject`` is what it is about (an assessment, a
    screening, a referral); ``corrects`` a signed record this one corrects."""
    access.require_change()
    child, actor = access.child, access.actor
    if subject is not None and getattr(subject, "child_id", child.pk) != child.pk:
        raise ValidationError("The decision must be about this child's record.")
    if corrects is not None:
        if corrects.child_id != child.pk:
            raise ValidationError("A correction must be about the same child.")
        if not corrects.is_signed:
            raise ValidationError("Only a signed record needs a correction: change the draft instead.")
        if actor.agency_id is None or actor.agency_id != corrects.agency_id:
            raise PermissionDenied("Only the agency that made a decision can correct it.")
        subject = corrects.subject  # a correction is about what the corrected record was about
    decision = DecisionRecord(
        child=child, agency=actor.agency, author=actor, created_at=timezone.now(), subject=subject, corrects=corrects,
        language_flags_kept=dict(language_kept or {}),
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
    language_flags_kept_record(actor=actor, target=decision, child_id=child.pk, kept=language_kept or {})
    return decision


@transaction.atomic
def decision_update(
    *,
    access: ChildAccess,
    decision: DecisionRecord,
    data: DecisionData,
    language_kept: Mapping[str, Sequence[str]] | None = None,
    version: int | None = None,
) -> DecisionRecord:
    """Change an unsigned record. Approvals already asked for or given no longer stand. ``version``
    is the one the edit was opened at: a record saved since raises ``StaleEdit``."""
    decision = decision_lock(access, decision)
    actor = access.actor
    require_unsigned(decision)
    require_author(actor, decision)
    version_check(decision, version, label="decision record")
    version_bump(decision)
    _apply(decision, data, actor=actor)
    decision.language_flags_kept = dict(language_kept or {})
    withdrawn = approvals_withdraw(decision, actor=actor)
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
        actor=actor, target=decision, child_id=decision.child_id, kept=language_kept or {}
    )
    return decision


def approvals_withdraw(decision: DecisionRecord, *, actor) -> int:
    count = 0
    for approval in decision.approvals.filter(status__in=[ApprovalStatus.PENDING, ApprovalStatus.APPROVED]):
        approval.status = ApprovalStatus.WITHDRAWN
        approval.save(update_fields=["status"])
        tasks_close_for(source=approval, actor=actor)
        count += 1
    tasks_close_for(source=decision, kind="decision_sign", actor=actor)
    return count


