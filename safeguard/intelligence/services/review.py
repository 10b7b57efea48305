"""Marking earlier free text as reviewed by a named lead (the "to review" list)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record

from ..models import FreeTextReview
from ._common import Conflict


def free_text_reviewed(*, actor, item: FreeTextReview) -> FreeTextReview:
    """Mark the item reviewed (once: a second request is told it was already done)."""
    with transaction.atomic():
        locked = FreeTextReview.objects.select_for_update().get(pk=item.pk)
        if locked.reviewed_at is not None:
            raise Conflict("This has already been reviewed")
        locked.reviewed_at, locked.reviewed_by = timezone.now(), actor
        locked.save(update_fields=["reviewed_at", "reviewed_by"])
        audit_record(verb=Verb.FREE_TEXT_REVIEWED, actor=actor, target=locked, child_id=locked.child_id,
                     payload={"field": locked.field})
    return locked
