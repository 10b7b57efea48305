"""Subject access requests: open one, mark what to withhold (with a reason), release it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safeguard.access.policy import ChildAccess
from safeguard.api.errors import ServiceConflict
from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record

from ..models import Redaction, SubjectAccessRequest

ITEM_MAX = 120


def subject_access_open(*, access: ChildAccess) -> SubjectAccessRequest:
    access.require_change()
    if access.is_system or access.via_break_glass:
        raise ValidationError("A subject access request is opened by an agency involved with the child")
    with transaction.atomic():
        request = SubjectAccessRequest.objects.create(
            child=access.child, agency=access.agency, opened_by=access.actor, opened_at=timezone.now()
        )
        audit_record(verb=Verb.SUBJECT_ACCESS_OPENED, actor=access.actor, target=request, child_id=access.child.pk)
    return request


def _locked(access: ChildAccess, request_id: int, version: int) -> SubjectAccessRequest:
    try:
        request = SubjectAccessRequest.objects.select_for_update().get(pk=request_id, child=access.child)
    except SubjectAccessRequest.DoesNotExist:
        raise ServiceConflict("That request is not on this record") from None
    if request.version != version:
        raise ServiceConflict("Someone else changed this request since you opened it — reload the page")
    if request.status != SubjectAccessRequest.Status.IN_REVIEW:
        raise ServiceConflict("This request has been released: it can no longer change")
    return request


def subject_access_redact(*, access: ChildAccess, request_id: int, version: int, item: str,
                          reason: str) -> Redaction:
    """Withhold one item (or one field of it) from the release, saying why."""
    access.require_change()
    reason = " ".join((reason or "").split())
    if len(reason) < 5:
        raise ValidationError({"reason": "Say why this is withheld, in at least 5 characters"})
    if not item or len(item) > ITEM_MAX:
        raise ValidationError({"item": "Choose an item to withhold"})
    with transaction.atomic():
        request = _locked(access, request_id, version)
        redaction, created = Redaction.objects.get_or_create(
            request=request, item=item,
            defaults={"reason": reason, "marked_by": access.actor, "marked_at": timezone.now()},
        )
        if not created:
            raise ServiceConflict("That item is already withheld")
        request.version += 1
        request.save(update_fields=["version"])
        audit_record(verb=Verb.SUBJECT_ACCESS_REDACTED, actor=access.actor, target=request, child_id=access.child.pk,
                     payload={"item": item, "redaction": redaction.pk})
    return redaction


def subject_access_unredact(*, access: ChildAccess, request_id: int, version: int, item: str) -> None:
    """Release an item marked by mistake."""
    access.require_change()
    with transaction.atomic():
        request = _locked(access, request_id, version)
        deleted, _ = Redaction.objects.filter(request=request, item=item).delete()
        if not deleted:
            raise ServiceConflict("That item is not withheld")
        request.version += 1
        request.save(update_fields=["version"])
        audit_record(verb=Verb.SUBJECT_ACCESS_REDACTED, actor=access.actor, target=request, child_id=access.child.pk,
                     payload={"item": item, "released": True})


def subject_access_release(*, access: ChildAccess, request_id: int, version: int, reviewed: bool) -> SubjectAccessRequest:
    """Release the bundle once the reviewer confirms every item marked for review was considered."""
    access.require_change()
    if not reviewed:
        raise ValidationError({"reviewed": "Confirm you have reviewed every item marked for review"})
    with transaction.atomic():
        request = _locked(access, request_id, version)
        request.status = SubjectAccessRequest.Status.RELEASED
        request.released_by, request.released_at = access.actor, timezone.now()
        request.version += 1
        request.save(update_fields=["status", "released_by", "released_at", "version"])
        audit_record(verb=Verb.SUBJECT_ACCESS_RELEASED, actor=access.actor, target=request, child_id=access.child.pk,
                     payload={"withheld": request.redactions.count()})
    return request
