"""Writes of the reports app: a member of staff's CSE training record (§1, §11.2).

Training is staff data, not a child's: who may record it is the named lead of the person's own
agency or an administrator (``may_record_training``); the view asks first and the service refuses
anyone else as well. Versioned (safeguard/platform/versioning.py): a stale edit raises the
platform's ``StaleEdit`` and is refused, never silently overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from safeguard.accounts.models import Role, User
from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.platform.versioning import (
    StaleEdit,
    created_meanwhile,
    version_bump,
    version_check,
    version_check_first,
)

from .models import TrainingRecord

__all__ = ["StaleEdit", "TrainingData", "may_record_training", "training_record_save"]

LABEL = "training record"

def may_record_training(actor: User, staff: User) -> bool:
    if not (actor.is_authenticated and actor.is_active):
        return False
    if actor.has_role(Role.ADMINISTRATOR):
        return True
    return actor.has_role(Role.NAMED_LEAD) and bool(actor.agency_id) and actor.agency_id == staff.agency_id


@dataclass(frozen=True)
class TrainingData:
    team: str
    awareness_completed_on: date | None
    multi_agency_completed_on: date | None


def training_record_save(*, actor: User, staff: User, data: TrainingData, version: int) -> TrainingRecord:
    """Create or update ``staff``'s training record. ``version`` is the one the form showed (0 when
    there was no record yet)."""
    if not may_record_training(actor, staff):
        raise PermissionDenied("Only the named lead of their agency or an administrator records training")
    today = timezone.localdate()
    for completed in (data.awareness_completed_on, data.multi_agency_completed_on):
        if completed is not None and completed > today:
            raise ValueError("A completion date cannot be in the future")
    now = timezone.now()
    try:
        with transaction.atomic():
            record = TrainingRecord.objects.select_for_update().filter(user=staff).first()
            if record is None:
                version_check_first(version, label=LABEL)
                record = TrainingRecord.objects.create(
                    user=staff, team=data.team, awareness_completed_on=data.awareness_completed_on,
                    multi_agency_completed_on=data.multi_agency_completed_on, version=1,
                    updated_by=actor, updated_at=now,
                )
                before: dict = {}
            else:
                version_check(record, version, label=LABEL)
                before = {"team": record.team, "awareness": str(record.awareness_completed_on or ""),
                          "multi_agency": str(record.multi_agency_completed_on or "")}
                record.team = data.team
                record.awareness_completed_on = data.awareness_completed_on
                record.multi_agency_completed_on = data.multi_agency_completed_on
                version_bump(record)
                record.updated_by = actor
                record.updated_at = now
                record.save()
            audit_record(
                verb=Verb.TRAINING_RECORDED, actor=actor, target=record,
                payload={"staff_id": staff.pk, "version": record.version, "before": before,
                         "after": {"team": data.team, "awareness": str(data.awareness_completed_on or ""),
                                   "multi_agency": str(data.multi_agency_completed_on or "")}},
            )
    except IntegrityError:
        raise created_meanwhile(LABEL) from None
    return record
