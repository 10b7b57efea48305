"""Signing a decision record (§9.7, §17): the signing user, the time and the sha256 of the record's
canonical content are stored; ``decision_verify`` checks the content still matches the hash.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safeguard.access.policy import ChildAccess
from safeguard.accounts.models import User
from safeguard.audit.models import Verb
from safeguard.children.chronology import record_on_file
from safeguard.children.models import ChronologyItem
from safeguard.children.summaries import summary
from safeguard.notifications.services import notify, tasks_close_for
from safeguard.referrals.models import (
    ApprovalRole,
    ApprovalStatus,
    Assessment,
    DecisionKind,
    DecisionRecord,
    DecisionStatus,
)

from ._common import DESTINATION_ACTION, action_task_kind
from .decisions import decision_lock, require_author, require_unsigned


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
        "subject": [decision.subject_type.model if decision.subject_type is not None else "", decision.subject_id],
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
def decision_sign(*, access: ChildAccess, decision: DecisionRecord) -> DecisionRecord:
    """Sign and date the record (§9.7). Refused until every approval the rules require is given."""
    decision = decision_lock(access, decision)
    actor = access.actor
    require_unsigned(decision)
    require_author(actor, decision)
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
    record_on_file(
        access,
        kind=ChronologyItem.Kind.DECISION,
        summary=summary(
            "referrals.decision_signed",
            kind=decision.get_kind_display().lower(),
            destination=f" ({decision.get_destination_display()})" if decision.destination else "",
            decision=decision.decision,
        ),
        verb=Verb.DECISION_SIGNED,
        source=decision,
        occurred_at=now,
        payload={"kind": decision.kind, "hash": decision.content_hash, "corrects": decision.corrects_id},
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
        title="A decision about {child} was signed naming you as accountable: read it",
        url=decision.get_absolute_url(),
        child=decision.child,
        exclude=actor,
    )
    return decision


