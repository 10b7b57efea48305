"""Writing, sealing, anchoring and verifying the audit chain.

Every write in the product calls `audit_record` inside the transaction that makes the change, so
the event and the change commit or roll back together. Recording takes no shared lock: the event
is appended unsealed, and `audit_seal` (run by `safeguard tick`, `audit verify` and `audit
anchor`) chains committed events in batches under the one `ChainHead` lock
(docs/decisions/0013-audit-sealed-in-batches.md). `audit_anchor` writes the chain's head to an
append-only file outside the database, so deleting the newest rows is found out.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from safeguard.platform.request_context import current_request_meta

from .models import AuditEvent, ChainHead, Verb

GENESIS = "0" * 64
SEAL_BATCH = 1000

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
    """Append one event (unsealed). Call inside the transaction of the change it records."""
    Verb(verb)  # a verb outside the fixed vocabulary is a programming error
    payload = dict(payload or {})
    _check_payload(payload)
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or target.pk
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    meta = current_request_meta()
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
    )
    event.save(force_insert=True)
    return event


def audit_seal(*, batch_size: int = SEAL_BATCH) -> int:
    """Chain every committed unsealed event, oldest first, in batches; return how many were sealed.

    Only the sealer locks the chain head. An event committed after a batch was read is sealed by
    the next run, after the ones already sealed: the chain's order is the sealing order.
    """
    sealed = 0
    while True:
        with transaction.atomic():
            head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1, defaults={"last_hash": GENESIS})
            rows = list(AuditEvent.objects.filter(hash__isnull=True).order_by("id")[:batch_size])
            if not rows:
                return sealed
            prev, seq = head.last_hash, head.last_seq
            for event in rows:
                seq += 1
                event.seal_seq, event.prev_hash = seq, prev
                event.hash = prev = compute_hash(event)
            AuditEvent.objects.bulk_update(rows, ["seal_seq", "prev_hash", "hash"])
            head.last_hash, head.last_seq, head.last_event_id = prev, seq, rows[-1].pk
            head.save(update_fields=["last_hash", "last_seq", "last_event_id"])
            sealed += len(rows)


@dataclass(frozen=True)
class Anchor:
    at: str
    count: int
    hash: str
    event_id: int

    def describe(self) -> str:
        return f"the anchor of {self.at} ({self.count} events, head {self.hash[:12]}…)"


def _anchor_path() -> Path:
    return Path(settings.SAFEGUARD_AUDIT_ANCHOR_FILE)


def last_anchor() -> Anchor | None:
    """The newest anchor in the file (its last complete line), or None if there is none yet."""
    path = _anchor_path()
    if not path.exists():
        return None
    with path.open("rb") as handle:
        handle.seek(0, os.SEEK_END)
        handle.seek(max(0, handle.tell() - 8192))
        lines = [line for line in handle.read().splitlines() if line.strip()]
    for line in reversed(lines):
        try:
            data = json.loads(line)
            return Anchor(at=str(data["at"]), count=int(data["count"]), hash=str(data["hash"]),
                          event_id=int(data["event_id"]))
        except (ValueError, KeyError, TypeError):
            continue
    return None


def audit_anchor(*, now: datetime | None = None) -> Anchor:
    """Seal, then append the chain's head (hash, count, time) to the anchor file and return it.

    The file is opened for appending only; keep a copy where the database owner cannot write
    (the board's records, a write-once store): it is what proves the newest rows were not removed.
    """
    audit_seal()
    head = ChainHead.objects.filter(pk=1).first()
    now = now or timezone.now()
    anchor = Anchor(at=now.astimezone(UTC).isoformat(timespec="seconds"), count=head.last_seq if head else 0,
                    hash=head.last_hash if head else GENESIS, event_id=head.last_event_id if head else 0)
    path = _anchor_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps({"at": anchor.at, "count": anchor.count, "hash": anchor.hash, "event_id": anchor.event_id})
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return anchor


def audit_tick(*, now: datetime) -> int:
    """The scheduled check: seal what is waiting, and anchor the head once a day."""
    audit_seal()
    anchor = last_anchor()
    if anchor is not None:
        try:
            if datetime.fromisoformat(anchor.at) > now - timedelta(days=1):
                return 0
        except ValueError:
            pass
    audit_anchor(now=now)
    return 1


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_broken_id: int | None = None
    problem: str = ""
    anchor: str = ""
    unsealed: int = 0


def audit_verify(batch_size: int = 2000) -> VerifyResult:
    """Seal, then recompute every hash in chain order; report the first row whose hash or link is
    wrong, a gap, or a chain shorter than (or different from) the last anchor."""
    audit_seal()
    anchor = last_anchor()
    anchor_text = anchor.describe() if anchor else ""
    expected_prev = GENESIS
    checked = 0
    last_seq = 0
    while True:
        rows = list(AuditEvent.objects.filter(seal_seq__gt=last_seq).order_by("seal_seq")[:batch_size])
        if not rows:
            break
        for event in rows:
            checked += 1
            if event.seal_seq != checked or event.prev_hash != expected_prev:
                return VerifyResult(False, checked, event.pk, "does not link to the row before it", anchor_text)
            if compute_hash(event) != event.hash:
                return VerifyResult(False, checked, event.pk, "its content does not match its hash", anchor_text)
            if anchor and checked == anchor.count and event.hash != anchor.hash:
                return VerifyResult(False, checked, event.pk, f"it differs from {anchor_text}", anchor_text)
            expected_prev = event.hash
            last_seq = event.seal_seq
    if anchor and checked < anchor.count:
        return VerifyResult(False, checked, anchor.event_id,
                            f"the newest rows are missing: {checked} events, but {anchor_text}", anchor_text)
    head = ChainHead.objects.filter(pk=1).first()
    if head and checked and head.last_hash != expected_prev:
        return VerifyResult(False, checked, head.last_event_id, "the newest rows are missing", anchor_text)
    unsealed = AuditEvent.objects.filter(hash__isnull=True).count()
    return VerifyResult(True, checked, anchor=anchor_text, unsealed=unsealed)
