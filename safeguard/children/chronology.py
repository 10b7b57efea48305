"""The one step that records something on a child's file.

Every service that writes about a child calls :func:`record_on_file` once, inside its own
transaction, with the :class:`~safeguard.access.policy.ChildAccess` the view obtained. It does the
four things every such write needs, in this order:

1. brings the actor's agency into the child's circle (not under break glass: reading or writing
   after breaking glass never widens who sees the child for good, §17);
2. puts one item on the merged chronology (§10.1.7), linking to ``source.get_absolute_url()``;
3. writes the audit event (``verb``, ``payload``) naming the source and the child;
4. records any language-check flags the author chose to keep (§8).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from safeguard.access.policy import ChildAccess
from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.language.services import language_flags_kept_record

from .models import ChronologyItem, Involvement

SUMMARY_LENGTH = 300


def _truncate(text: str, length: int = SUMMARY_LENGTH) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _source_url(source: models.Model | None) -> str:
    get_url = getattr(source, "get_absolute_url", None)
    return get_url() if callable(get_url) else ""


def writer_involvement_ensure(access: ChildAccess, *, reason: str = Involvement.Reason.RECORDED) -> None:
    """Bring the writer's agency into the child's circle — never under break glass, never for the
    system (§17; issue 11 item 7). Every write that adds the writer's own agency calls this."""
    if access.agency is None or access.via_break_glass or access.is_system:
        return
    # Imported here: children.services imports this module.
    from .services import involvement_ensure

    involvement_ensure(child=access.child, agency=access.agency, reason=reason, actor=access.actor)


def record_on_file(
    access: ChildAccess,
    *,
    kind: str,
    summary: str,
    verb: Verb | str,
    source: models.Model | None,
    occurred_at: datetime | None = None,
    occurred_time_known: bool = True,
    payload: dict[str, Any] | None = None,
    language_kept: Mapping[str, Sequence[str]] | None = None,
    involvement_reason: str = Involvement.Reason.RECORDED,
    audit_target: Any = None,
    tags: Sequence[str] = (),
) -> ChronologyItem:
    """Record ``source`` on the child's file: involvement, chronology item, audit event, kept
    language flags. Call inside the transaction of the write itself, after ``source`` is saved."""
    if kind not in ChronologyItem.Kind.values:
        raise ValueError(f"unknown chronology kind {kind!r}: add it to ChronologyItem.Kind")
    child = access.child
    actor = access.actor
    agency = access.agency
    writer_involvement_ensure(access, reason=involvement_reason)
    item = ChronologyItem.objects.create(
        child=child,
        occurred_at=occurred_at or timezone.now(),
        occurred_time_known=occurred_time_known,
        recorded_at=timezone.now(),
        kind=kind,
        agency=agency,
        author=actor,
        summary=_truncate(summary),
        tags=list(tags),
        source_type=ContentType.objects.get_for_model(source) if source is not None else None,
        source_id=source.pk if source is not None else None,
        url=_source_url(source),
    )
    target = audit_target if audit_target is not None else source
    audit_record(verb=verb, actor=actor, target=target, child_id=child.pk, payload=payload or {})
    if language_kept:
        language_flags_kept_record(actor=actor, target=target, child_id=child.pk, kept=language_kept)
    return item
