"""Every write to referrals: permission check, change, chronology, audit event, in one transaction."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from safeguard.access.policy import access_reason, works_with_children
from safeguard.accounts.models import AgencyKind
from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.children.models import ChronologyItem
from safeguard.children.services import chronology_add
from safeguard.referrals.models import Destination, Referral, ReferralEvent, Status

# Where a referral goes by default when no agency is named: the first active agency of this kind.
DESTINATION_AGENCY_KIND = {Destination.CSC: AgencyKind.CSC, Destination.POLICE: AgencyKind.POLICE}


def _default_destination_agency(destination: str):
    from safeguard.accounts.models import Agency

    kind = DESTINATION_AGENCY_KIND.get(destination)
    if kind is None:
        return None
    return Agency.objects.filter(kind=kind, is_active=True).order_by("pk").first()


@transaction.atomic
def referral_open(
    *,
    actor,
    child,
    destination: str,
    reason: str,
    source=None,
    destination_agency=None,
    destination_other: str = "",
    session_key: str = "",
) -> Referral:
    """Send a referral about a child the actor may see. ``source`` (a screening, an assessment)
    travels with it. The referral is on the child's chronology and in the audit trail."""
    if not works_with_children(actor) or access_reason(actor, child, session_key=session_key) is None:
        raise PermissionDenied("You cannot refer a child whose record you cannot see.")
    if destination not in Destination.values:
        raise ValidationError({"destination": "Choose where the referral goes."})
    if not (reason or "").strip():
        raise ValidationError({"reason": "Enter the reason for the referral."})
    if destination == Destination.OTHER and not destination_other.strip():
        raise ValidationError({"destination_other": "Enter where the referral goes."})
    now = timezone.now()
    referral = Referral.objects.create(
        child=child,
        referrer=actor,
        referring_agency=actor.agency,
        destination=destination,
        destination_agency=destination_agency or _default_destination_agency(destination),
        destination_other=destination_other.strip(),
        reason=reason.strip(),
        source=source,
        status=Status.SENT,
        sent_at=now,
    )
    ReferralEvent.objects.create(referral=referral, status=Status.SENT, actor=actor, agency=actor.agency, at=now)
    chronology_add(
        child=child,
        kind=ChronologyItem.Kind.REFERRAL,
        occurred_at=now,
        agency=actor.agency,
        author=actor,
        summary=f"Referral to {referral.get_destination_display()}: {referral.reason}",
        source=referral,
        url=_detail_url(referral),
    )
    audit_record(
        verb=Verb.REFERRAL_CREATED,
        actor=actor,
        target=referral,
        child_id=child.pk,
        payload={"destination": destination, "source": source._meta.label_lower if source is not None else ""},
    )
    return referral


def _detail_url(referral: Referral) -> str:
    try:
        return reverse("referrals:detail", kwargs={"referral_id": referral.pk})
    except NoReverseMatch:  # before the referral pages exist
        return ""
