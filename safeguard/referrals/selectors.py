"""Every read of referrals, assessments, consultations, decisions and approvals, filtered by access.

Who sees what (docs/decisions/0006):

* a referral: anyone who may see the child (``access.policy``), and the receiving team (the
  destination agency's staff) — ``referral_open`` brings the destination agency into the child's
  circle, so the team sees the child and what travelled with the referral without breaking glass;
* an assessment or a decision record: anyone who may see the child;
* an anonymised consultation: the recording agency and the agency consulted;
* an approval: the approving role in the decision's agency, and that agency's named leads.

Anything else is ``Http404``, the same answer as for a record that does not exist.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from safeguard.access.policy import access_reason, works_with_children
from safeguard.accounts.models import Role
from safeguard.referrals.models import (
    Approval,
    ApprovalStatus,
    Assessment,
    Consultation,
    DecisionRecord,
    Destination,
    Referral,
    Status,
)

QUEUE_STATUSES = (Status.SENT, Status.RECEIVED, Status.ACCEPTED)
PRIORITY_ORDER = {"red": 0, "amber": 1, "green": 2, "": 3}


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404("No such record") from None


def is_receiving_team(user, referral: Referral) -> bool:
    """The destination agency's staff who work with children act on the referral."""
    return bool(
        works_with_children(user)
        and referral.destination_agency_id
        and user.agency_id == referral.destination_agency_id
    )


def can_see_referral(user, referral: Referral, *, session_key: str = "") -> bool:
    if not works_with_children(user):
        return False
    if is_receiving_team(user, referral) or user.agency_id == referral.referring_agency_id:
        return True
    return access_reason(user, referral.child, session_key=session_key) is not None


def referral_for_user(user, referral_id, *, session_key: str = "") -> Referral:
    try:
        referral = Referral.objects.select_related(
            "child", "referrer", "referring_agency", "destination_agency", "source_type"
        ).get(pk=_int(referral_id))
    except Referral.DoesNotExist:
        raise Http404("No such record") from None
    if not can_see_referral(user, referral, session_key=session_key):
        raise Http404("No such record")
    return referral


def referral_queue(user, *, include_closed: bool = False) -> list[Referral]:
    """Referrals to the user's agency: red first, then by deadline (one query)."""
    if not works_with_children(user) or not user.agency_id:
        return []
    referrals = Referral.objects.filter(destination_agency_id=user.agency_id).select_related(
        "child", "referrer", "referring_agency", "destination_agency"
    )
    if not include_closed:
        referrals = referrals.filter(status__in=QUEUE_STATUSES)
    rows = list(referrals.order_by("due_at", "sent_at", "id")[:500])
    rows.sort(key=lambda r: (PRIORITY_ORDER.get(r.priority, 3), r.due_at is None, r.due_at or r.sent_at))
    return rows


def referrals_sent_by_agency(user, *, limit: int = 50) -> QuerySet[Referral]:
    if not works_with_children(user) or not user.agency_id:
        return Referral.objects.none()
    return (
        Referral.objects.filter(referring_agency_id=user.agency_id)
        .select_related("child", "referrer", "destination_agency")
        .order_by("-sent_at", "-id")[:limit]
    )


def referrals_visible_to(user, *, session_key: str = "") -> QuerySet[Referral]:
    """For the API list: referrals to or from the user's agency."""
    if not works_with_children(user) or not user.agency_id:
        return Referral.objects.none()
    return (
        Referral.objects.filter(Q(destination_agency_id=user.agency_id) | Q(referring_agency_id=user.agency_id))
        .select_related("child", "referrer", "referring_agency", "destination_agency", "source_type")
        .order_by("-sent_at", "-id")
    )


def referred_to_panel(child) -> bool:
    """Has the child ever been referred to the Multi-Agency Risk Panel (read by missing's known-risk
    check, §14.1)?"""
    return Referral.objects.filter(child=child, destination=Destination.MARP).exists()


def referrals_for_source(source) -> QuerySet[Referral]:
    from django.contrib.contenttypes.models import ContentType

    return Referral.objects.filter(
        source_type=ContentType.objects.get_for_model(source), source_id=source.pk
    ).select_related("destination_agency")


def _child_visible(user, child, session_key: str) -> bool:
    return works_with_children(user) and access_reason(user, child, session_key=session_key) is not None


def assessment_for_user(user, assessment_id, *, session_key: str = "") -> Assessment:
    try:
        assessment = Assessment.objects.select_related("child", "assessor", "agency").get(pk=_int(assessment_id))
    except Assessment.DoesNotExist:
        raise Http404("No such record") from None
    if not _child_visible(user, assessment.child, session_key):
        raise Http404("No such record")
    return assessment


def consultation_for_user(user, consultation_id) -> Consultation:
    try:
        consultation = Consultation.objects.select_related("recorded_by", "agency", "consulted_agency").get(
            pk=_int(consultation_id)
        )
    except Consultation.DoesNotExist:
        raise Http404("No such record") from None
    if not works_with_children(user) or user.agency_id not in (
        consultation.agency_id,
        consultation.consulted_agency_id,
    ):
        raise Http404("No such record")
    return consultation


def consultations_for(user) -> QuerySet[Consultation]:
    if not works_with_children(user) or not user.agency_id:
        return Consultation.objects.none()
    return Consultation.objects.filter(
        Q(agency_id=user.agency_id) | Q(consulted_agency_id=user.agency_id)
    ).select_related("agency", "consulted_agency", "recorded_by")


def decision_for_user(user, decision_id, *, session_key: str = "") -> DecisionRecord:
    try:
        decision = DecisionRecord.objects.select_related(
            "child", "agency", "author", "signed_by", "corrects", "subject_type"
        ).get(pk=_int(decision_id))
    except DecisionRecord.DoesNotExist:
        raise Http404("No such record") from None
    if not (_child_visible(user, decision.child, session_key) or can_review_decision(user, decision)):
        raise Http404("No such record")
    return decision


def decisions_for_child(child) -> QuerySet[DecisionRecord]:
    return DecisionRecord.objects.filter(child=child).select_related("author", "agency", "signed_by")


def can_review_decision(user, decision: DecisionRecord) -> bool:
    """An approver (designated lead, senior manager) or named lead of the decision's agency, not its author."""
    return bool(
        user.is_authenticated
        and user.agency_id == decision.agency_id
        and user.pk != decision.author_id
        and user.has_role(Role.DESIGNATED_LEAD, Role.SENIOR_MANAGER, Role.NAMED_LEAD)
    )


def can_act_on_approval(user, approval: Approval) -> bool:
    return bool(
        user.is_authenticated
        and user.agency_id == approval.agency_id
        and user.pk != approval.decision.author_id
        and user.has_role(approval.role)
    )


def approval_for_user(user, approval_id) -> Approval:
    try:
        approval = Approval.objects.select_related(
            "decision", "decision__child", "decision__author", "agency", "requested_by", "decided_by"
        ).get(pk=_int(approval_id))
    except Approval.DoesNotExist:
        raise Http404("No such record") from None
    is_named_lead = user.is_authenticated and user.has_role(Role.NAMED_LEAD) and user.agency_id == approval.agency_id
    if not (can_act_on_approval(user, approval) or is_named_lead):
        raise Http404("No such record")
    return approval


def approvals_inbox(user) -> QuerySet[Approval]:
    """Pending approvals for a role the user holds in their agency; named leads also see escalated ones."""
    if not user.is_authenticated or not user.agency_id:
        return Approval.objects.none()
    roles = [r for r in (Role.DESIGNATED_LEAD, Role.SENIOR_MANAGER) if user.has_role(r)]
    condition = Q(role__in=roles) & ~Q(decision__author=user)
    if user.has_role(Role.NAMED_LEAD):
        condition |= Q(escalated_at__isnull=False)
    return (
        Approval.objects.filter(condition, agency_id=user.agency_id, status=ApprovalStatus.PENDING)
        .select_related("decision", "decision__child", "decision__author", "requested_by")
        .order_by("due_at", "id")
    )


def may_use_approvals(user) -> bool:
    return bool(
        user.is_authenticated and user.has_role(Role.DESIGNATED_LEAD, Role.SENIOR_MANAGER, Role.NAMED_LEAD)
    )
