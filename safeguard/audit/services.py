"""Writing and verifying the audit chain.

Every write in the product calls `audit_record` inside the transaction that makes the change, so
the event and the change commit or roll back together.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.db import transaction
from django.utils import timezone

from safeguard.core.request_context import current_request_meta

from .models import AuditEvent, ChainHead, Verb

GENESIS = "0" * 64

# Payload values must be small and must not carry free text about a child: identifiers, codes,
# counts, booleans and short enumerated strings only.
_MAX_PAYLOAD_STRING = 200


def _check_payload(payload: dict[str, Any]) -> None:
    for key, value in payload.items():
        if isinstance(value, str) and len(value) > _MAX_PAYLOAD_STRING:
            raise ValueError(f"audit payload field {key!r} is too long to be a code or identifier")
        if isinstance(value, dict):
            _check_payload(value)


def _canonical(event: AuditEvent) -> bytes:
    created = event.created_at.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")
    body = {
        "created_at": created,
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "agency_id": event.agency_id,
        "verb": event.verb,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "child_id": event.child_id,
        "request_id": event.request_id,
        "ip": event.ip,
        "payload": event.payload,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), default=str).encode()


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event)).hexdigest()


def audit_record(
    *,
    verb: Verb | str,
    actor: Any = None,
    target: Any = None,
    target_type: str = "",
    target_id: Any = "",
    child_id: int | None = None,
    payload: dict[str, Any] | None = None,
    agency: Any = None,
) -> AuditEvent:
    """Append one event. Call inside the transaction of the change it records."""
    Verb(verb)  # a verb outside the fixed vocabulary is a programming error
    payload = dict(payload or {})
    _check_payload(payload)
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or target.pk
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    meta = current_request_meta()
    with transaction.atomic():
        head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1, defaults={"last_hash": GENESIS})
        event = AuditEvent(
            created_at=timezone.now(),
            actor=actor if is_user else None,
            actor_label=(actor.get_username() if is_user else ""),
            agency=agency if agency is not None else (getattr(actor, "agency", None) if is_user else None),
            verb=str(verb),
            target_type=str(target_type or ""),
            target_id=str(target_id if target_id is not None else ""),
            child_id=child_id,
            request_id=meta.request_id,
            ip=meta.ip,
            payload=payload,
            prev_hash=head.last_hash,
        )
        event.hash = compute_hash(event)
        event.save(force_insert=True)
        head.last_hash = event.hash
        head.last_event_id = event.pk
        head.save(update_fields=["last_hash", "last_event_id"])
    return event


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_broken_id: int | None = None
    problem: str = ""


def audit_verify(batch_size: int = 2000) -> VerifyResult:
    """Recompute every hash in order; report the first row whose hash or link is wrong."""
    expected_prev = GENESIS
    checked = 0
    last_id = 0
    while True:
        rows = list(AuditEvent.objects.filter(pk__gt=last_id).order_by("pk")[:batch_size])
        if not rows:
            break
        for event in rows:
            checked += 1
            if event.prev_hash != expected_prev:
                return VerifyResult(False, checked, event.pk, "does not link to the row before it")
            if compute_hash(event) != event.hash:
                return VerifyResult(False, checked, event.pk, "its content does not match its hash")
            expected_prev = event.hash
            last_id = event.pk
    head = ChainHead.objects.filter(pk=1).first()
    if head and checked and head.last_hash != expected_prev:
        return VerifyResult(False, checked, head.last_event_id, "the newest rows are missing")
    return VerifyResult(True, checked)
