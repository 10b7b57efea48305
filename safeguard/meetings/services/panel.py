"""The Multi-Agency Risk Panel (§13): referral to the panel, acceptance by the chair (which opens
the child's panel case), and closure with a signed decision. The referral itself is the referrals
app's: these services call its public services in the same transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safeguard.access.policy import ChildAccess
from safeguard.accounts.models import Role
from safeguard.audit.models import Verb
from safeguard.children.chronology import record_on_file
from safeguard.children.models import ChronologyItem
from safeguard.children.summaries import summary
from safeguard.referrals.models import Destination, Referral
from safeguard.referrals.models import Status as ReferralStatus
from safeguard.referrals.services import (
    referral_accept,
    referral_decline,
    referral_open,
    referral_record_outcome,
)

from ..models import Decision, PanelCase
from ..timescales import panel_review_due_at
from ._common import AlreadyDone, check_version, clean, refuse_unless
from .decisions import signed_decision_create


def panel_refer(
    *, access: ChildAccess, reason: str, because: str = "", language_flags_kept: Mapping[str, Sequence[str]] | None = None,
) -> Referral:
    """Refer the child to the panel directly (a high Form B refers from the screening app; an alert
    names itself in ``because``)."""
    text = clean(reason)
    if clean(because):
        text = f"{text}\n\nPrompted by: {clean(because)}"
    return referral_open(access=access, destination=Destination.MARP, reason=text, language_kept=language_flags_kept)


def _panel_referral(access: ChildAccess, referral: Referral) -> Referral:
    if referral.destination != Destination.MARP or referral.child_id != access.child.pk:
        raise ValidationError("This is not a referral of this child to the panel")
    refuse_unless(access.user is not None and access.user.has_role(Role.MARP_CHAIR), "Only the panel chair can do this")
    return referral


@transaction.atomic
def panel_case_open(*, access: ChildAccess, referral: Referral, note: str = "") -> PanelCase:
    """The chair accepts the referral: the child is open at the panel, reviewed monthly."""
    access.require_change()
    referral = _panel_referral(access, referral)
    if PanelCase.objects.select_for_update().filter(child=access.child, status=PanelCase.Status.OPEN).exists():
        raise AlreadyDone("This child is already open at the panel.")
    if referral.status != ReferralStatus.ACCEPTED:  # accepted already on the referral's own page: open the case
        referral_accept(access=access, referral=referral, note=clean(note) or "Accepted by the panel chair")
    now = timezone.now()
    case = PanelCase.objects.create(
        child=access.child, referral=referral, opened_by=access.actor, opened_at=now,
        review_due_at=panel_review_due_at(now),
    )
    record_on_file(access, kind=ChronologyItem.Kind.REFERRAL, summary=summary("meetings.panel_opened"),
                   verb=Verb.PANEL_CASE_OPENED, source=case, payload={"referral_id": referral.pk})
    return case


def panel_referral_decline(*, access: ChildAccess, referral: Referral, reason: str) -> Referral:
    referral = _panel_referral(access, referral)
    return referral_decline(access=access, referral=referral, reason=reason)


@transaction.atomic
def panel_case_close(
    *, access: ChildAccess, case: PanelCase, decision: str, reasons: str, version: int, makers: Sequence = (),
) -> PanelCase:
    """Close the case with a signed decision; the panel referral's outcome is recorded with it."""
    access.require_change()
    actor = access.actor
    if actor is None or not actor.has_role(Role.MARP_CHAIR):
        raise PermissionDenied("Only the panel chair can close a panel case")
    case = PanelCase.objects.select_for_update(of=("self",)).select_related("referral").get(pk=case.pk)
    if case.child_id != access.child.pk:
        raise ValidationError("This case is about another child")
    if case.status != PanelCase.Status.OPEN:
        raise AlreadyDone("This panel case is already closed.")
    check_version(case, version)
    record = signed_decision_create(
        actor=actor, kind=Decision.Kind.PANEL_CLOSE, decision=decision, reasons=reasons, makers=makers,
        child=access.child,
    )
    case.status = PanelCase.Status.CLOSED
    case.closed_at = timezone.now()
    case.closure = record
    case.version += 1
    case.save()
    referral_record_outcome(access=access, referral=case.referral, outcome=f"Closed at the panel: {record.decision}")
    record_on_file(access, kind=ChronologyItem.Kind.DECISION,
                   summary=summary("meetings.panel_closed", decision=record.decision),
                   verb=Verb.PANEL_CASE_CLOSED, source=case, payload={"decision_id": record.pk})
    return case
