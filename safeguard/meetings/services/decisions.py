"""Decisions made at a meeting, signed when recorded: what, why, by whom. A signed decision never
changes (this service refuses; migration 0002's trigger refuses too); a correction is a new signed
record pointing to the one it corrects (workflow.md "Decision records")."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safeguard.access.policy import ChildAccess
from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.children.chronology import record_on_file
from safeguard.children.models import ChronologyItem
from safeguard.children.summaries import summary

from .. import selectors
from ..models import Decision, Meeting
from ._common import AlreadyDone, clean, kept, name, refuse_unless, require_accesses


def content_hash(decision: Decision) -> str:
    """sha256 of the canonical signed content."""
    content = {
        "meeting": decision.meeting_id, "child": decision.child_id, "kind": decision.kind,
        "decision": decision.decision, "reasons": decision.reasons, "makers": decision.decision_makers,
        "corrects": decision.corrects_id, "signed_by": decision.signed_by_id,
        "signed_at": decision.signed_at.isoformat() if decision.signed_at else "",
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def decision_makers(people: Sequence) -> list[dict]:
    return [{"id": p.pk, "name": name(p), "agency": str(p.agency or "")} for p in people]


def signed_decision_create(
    *, actor, kind: str, decision: str, reasons: str, makers: Sequence, meeting: Meeting | None = None,
    child=None, corrects: Decision | None = None, language_flags_kept: Mapping[str, Sequence[str]] | None = None,
) -> Decision:
    """Create and sign one decision record (the caller holds the locks and has checked who acts)."""
    errors = {}
    if not clean(decision):
        errors["decision"] = "Enter the decision"
    if not clean(reasons):
        errors["reasons"] = "Enter the reasons for the decision"
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    makers_list = decision_makers(makers) or decision_makers([actor])
    record = Decision(
        meeting=meeting, child=child, kind=kind, decision=clean(decision), reasons=clean(reasons),
        decision_makers=makers_list, author=actor, agency=actor.agency, created_at=now, corrects=corrects,
        signed_by=actor, signed_at=now, language_flags_kept=kept(language_flags_kept),
    )
    record.content_hash = content_hash(record)
    record.save()
    return record


@transaction.atomic
def decision_sign(
    *,
    actor,
    meeting: Meeting,
    accesses: Sequence[ChildAccess],
    decision: str,
    reasons: str,
    makers: Sequence = (),
    child=None,
    corrects: Decision | None = None,
    language_flags_kept: Mapping[str, Sequence[str]] | None = None,
) -> Decision:
    """Record and sign a decision of the meeting about one child (``child``) or all its children;
    on the chronology of each child it concerns."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    refuse_unless(selectors.may_manage(actor, meeting), "Only whoever runs this meeting can record its decisions")
    if meeting.status == Meeting.Status.CANCELLED:
        raise AlreadyDone("This meeting was cancelled.")
    child_ids = selectors.meeting_child_ids(meeting)
    if child is not None and child.pk not in child_ids:
        raise ValidationError({"child": "Choose a child the meeting is about"})
    concerned = [child.pk] if child is not None else child_ids
    by_child = require_accesses(meeting, accesses, concerned)
    if corrects is not None:
        corrects = Decision.objects.select_for_update().get(pk=corrects.pk)
        if corrects.meeting_id != meeting.pk or not corrects.is_signed:
            raise ValidationError("Only a signed decision of this meeting can be corrected")
        if corrects.corrections.exists():
            raise AlreadyDone("This decision has already been corrected: correct the newer record.")
    record = signed_decision_create(
        actor=actor, kind=Decision.Kind.GENERAL, decision=decision, reasons=reasons, makers=makers,
        meeting=meeting, child=child, corrects=corrects, language_flags_kept=language_flags_kept,
    )
    for child_id in concerned:
        record_on_file(
            by_child[child_id], kind=ChronologyItem.Kind.DECISION,
            summary=summary("meetings.decision", kind=meeting.get_kind_display(), decision=record.decision),
            verb=Verb.MEETING_DECISION_SIGNED, source=record, language_kept=language_flags_kept,
            payload={"meeting_id": meeting.pk, "corrects": corrects.pk if corrects else None},
        )
    if not concerned:
        audit_record(verb=Verb.MEETING_DECISION_SIGNED, actor=actor, target=record, payload={"meeting_id": meeting.pk})
    return record
