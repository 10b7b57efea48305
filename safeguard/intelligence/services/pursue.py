"""Disruption of persons of concern, places and vehicles (§15 Pursue), and National Referral
Mechanism referrals for children thought to be trafficked (§7)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safeguard.access.intelligence import require_may_record_disruption
from safeguard.access.policy import ChildAccess
from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.children.chronology import record_on_file
from safeguard.children.models import ChronologyItem
from safeguard.children.summaries import summary
from safeguard.platform.versioning import version_bump, version_check

from ..models import Alert, Disruption, DisruptionAction, Entity, EntityKind, GroundsDecision, NrmReferral
from ._common import Conflict


@dataclass(frozen=True)
class DisruptionDetails:
    action: str
    occurred_on: date
    outcome: str
    review_on: date | None = None


def _check_disruption(entity: Entity, details: DisruptionDetails) -> None:
    errors = {}
    if details.action not in DisruptionAction.values:
        errors["action"] = "Select the action taken"
    elif details.action == DisruptionAction.VEHICLE_STOP and entity.kind != EntityKind.VEHICLE:
        errors["action"] = "A vehicle stop is recorded against a vehicle"
    elif details.action == DisruptionAction.LICENSING_VISIT and entity.kind != EntityKind.PLACE:
        errors["action"] = "A licensing visit is recorded against a place"
    if details.occurred_on > timezone.localdate():
        errors["occurred_on"] = "The date must be today or in the past"
    if not (details.outcome or "").strip():
        errors["outcome"] = "Say what the outcome was"
    if details.review_on is not None and details.review_on < details.occurred_on:
        errors["review_on"] = "The review date must be on or after the date of the action"
    if errors:
        raise ValidationError(errors)


def disruption_record(
    *, actor, entity: Entity, details: DisruptionDetails, alert: Alert | None = None,
    language_flags_kept: Mapping[str, Sequence[str]] | None = None,
) -> Disruption:
    """An action against a person, place or vehicle, by the actor's agency (§15)."""
    require_may_record_disruption(actor)
    _check_disruption(entity, details)
    with transaction.atomic():
        disruption = Disruption.objects.create(
            entity=entity, action=details.action, occurred_on=details.occurred_on, agency=actor.agency,
            outcome=details.outcome.strip(), review_on=details.review_on, alert=alert, recorded_by=actor,
            language_flags_kept={k: list(v) for k, v in (language_flags_kept or {}).items() if v},
        )
        audit_record(verb=Verb.DISRUPTION_RECORDED, actor=actor, target=disruption,
                     payload={"action": disruption.action, "entity": entity.pk, "alert": alert.pk if alert else None})
    return disruption


def disruption_update(*, actor, disruption: Disruption, version: int | None, outcome: str, review_on: date | None) -> Disruption:
    """Bring a disruption's outcome and review date up to date; refuses a stale edit."""
    require_may_record_disruption(actor)
    with transaction.atomic():
        locked = Disruption.objects.select_for_update().get(pk=disruption.pk)
        version_check(locked, version, label="disruption action")
        _check_disruption(locked.entity, DisruptionDetails(locked.action, locked.occurred_on, outcome, review_on))
        locked.outcome, locked.review_on = outcome.strip(), review_on
        version_bump(locked)
        locked.save(update_fields=["outcome", "review_on", "version"])
        audit_record(verb=Verb.DISRUPTION_UPDATED, actor=actor, target=locked, payload={"version": locked.version})
    return locked


# -- the National Referral Mechanism (§7) ----------------------------------------------------------


@dataclass(frozen=True)
class NrmDetails:
    referred_on: date
    summary: str
    reference: str = ""


def _noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def nrm_refer(
    *, access: ChildAccess, details: NrmDetails, language_flags_kept: Mapping[str, Sequence[str]] | None = None
) -> NrmReferral:
    """Record a referral to the National Referral Mechanism made by the actor's agency as first
    responder. A child's consent is not needed (under 18)."""
    access.require_change()
    errors = {}
    if details.referred_on > timezone.localdate():
        errors["referred_on"] = "The date must be today or in the past"
    if not (details.summary or "").strip():
        errors["summary"] = "Say why the child is thought to be trafficked"
    if errors:
        raise ValidationError(errors)
    kept = {k: list(v) for k, v in (language_flags_kept or {}).items() if v}
    with transaction.atomic():
        referral = NrmReferral.objects.create(
            child=access.child, referred_on=details.referred_on, first_responder=access.agency,
            referred_by=access.actor, reference=details.reference.strip(), summary=details.summary.strip(),
            updated_by=access.actor, language_flags_kept=kept,
        )
        record_on_file(
            access, kind=ChronologyItem.Kind.INTELLIGENCE, occurred_at=_noon(referral.referred_on),
            occurred_time_known=False,
            summary=summary("intelligence.nrm_referred", agency=access.agency.name if access.agency else "the product"),
            verb=Verb.NRM_RECORDED, source=referral, language_kept=kept,
        )
    return referral


def nrm_decision_record(
    *, access: ChildAccess, referral: NrmReferral, version: int | None, stage: str, decision: str, decided_on: date
) -> NrmReferral:
    """Record the reasonable grounds or conclusive grounds decision. Conclusive grounds come after a
    positive reasonable grounds decision; each is recorded once."""
    access.require_change()
    if referral.child_id != access.child.pk:
        raise ValueError("The access is for another child")
    errors = {}
    if stage not in ("reasonable", "conclusive"):
        errors["stage"] = "Select which decision this is"
    if decision not in (GroundsDecision.POSITIVE, GroundsDecision.NEGATIVE):
        errors["decision"] = "Select positive or negative"
    if decided_on > timezone.localdate():
        errors["decided_on"] = "The date must be today or in the past"
    if decided_on < referral.referred_on:
        errors["decided_on"] = "The decision must be on or after the date of the referral"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = NrmReferral.objects.select_for_update().get(pk=referral.pk)
        version_check(locked, version, label="referral")
        if stage == "reasonable":
            if locked.reasonable_grounds != GroundsDecision.PENDING:
                raise Conflict("The reasonable grounds decision has already been recorded")
            locked.reasonable_grounds, locked.reasonable_grounds_on = decision, decided_on
        else:
            if locked.reasonable_grounds != GroundsDecision.POSITIVE:
                raise ValidationError("A conclusive grounds decision follows a positive reasonable grounds decision")
            if locked.conclusive_grounds != GroundsDecision.PENDING:
                raise Conflict("The conclusive grounds decision has already been recorded")
            if locked.reasonable_grounds_on and decided_on < locked.reasonable_grounds_on:
                raise ValidationError({"decided_on": "The conclusive decision comes after the reasonable grounds decision"})
            locked.conclusive_grounds, locked.conclusive_grounds_on = decision, decided_on
        version_bump(locked)
        locked.updated_by = access.actor
        locked.save()
        record_on_file(
            access, kind=ChronologyItem.Kind.INTELLIGENCE, occurred_at=_noon(decided_on), occurred_time_known=False,
            summary=summary("intelligence.nrm_decision", stage=stage, decision=decision),
            verb=Verb.NRM_UPDATED, source=locked, payload={"stage": stage, "decision": decision},
        )
    return locked
