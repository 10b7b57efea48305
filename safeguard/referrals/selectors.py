"""Every read of referrals, assessments, consultations, decisions and approvals.

Only ``safeguard.access.policy`` decides who may see a child (docs/decisions/0006). A record about
a child (a referral, an assessment, a decision record, an approval) is loaded by id and then the
child's access is asked of ``child_for_user``: a record whose child the user may not see is
``Http404``, the same answer as for a record that does not exist. ``referral_open`` brings the
destination agency into the child's circle, so the receiving team sees the child and what travelled
with the referral without breaking glass.

On top of that the rules of the referral itself say who acts on it (``referral_actions_for``): the
receiving team receives, accepts or declines; an approval is for the approving role in the
decision's agency and that agency's named leads. An anonymised consultation names no child: the
recording agency and the agency consulted see it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from safeguard.access.policy import ChildAccess, child_for_user, child_worker_agency_id, works_for_agency
from safeguard.accounts.models import Role
from safeguard.platform.ids import parse_id
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
    number = parse_id(value)
    if number is None:
        raise Http404("No such record")
    return number


# The team that receives, accepts and declines a referral, by destination: the destination agency's
# people holding one of these roles (a risk panel chair in children's services is not the MASH).
# A destination not named here ("other") is received by the destination agency's child workers.
DESTINATION_TEAM_ROLES: dict[str, frozenset[str]] = {
    Destination.CSC: frozenset({Role.CSC_MASH}),
    Destination.LADO: frozenset({Role.CSC_MASH}),
    Destination.POLICE: frozenset({Role.POLICE_LEAD}),
    Destination.MARP: frozenset({Role.MARP_CHAIR}),
}


def is_receiving_team(user, referral: Referral) -> bool:
    """The destination team (the destination agency's people in the destination's role) acts on it."""
    if not works_for_agency(user, referral.destination_agency_id):
        return False
    roles = DESTINATION_TEAM_ROLES.get(referral.destination)
    return roles is None or bool(user.role_set & roles)


def referral_for_user(
    user, referral_id, *, request=None, change: bool = False, record_view: bool = False
) -> tuple[Referral, ChildAccess]:
    """The referral and the user's access to its child, or Http404."""
    try:
        referral = Referral.objects.select_related(
            "child", "referrer", "referring_agency", "destination_agency", "source_type"
        ).get(pk=_int(referral_id))
    except Referral.DoesNotExist:
        raise Http404("No such record") from None
    access = child_for_user(user, referral.child_id, request=request, change=change, record_view=record_view)
    return referral, access


def may_record_outcome(user, referral: Referral) -> bool:
    """The receiving team records the outcome; for a referral sent outside Safeguard, the referrer's agency."""
    if referral.destination_agency_id is None:
        return works_for_agency(user, referral.referring_agency_id)
    return is_receiving_team(user, referral)


@dataclass(frozen=True)
class ReferralActions:
    """What the user may do to this referral now (the page's buttons; the services check the same)."""

    receiving: bool
    can_receive: bool
    can_decide: bool
    can_record_outcome: bool


def referral_actions_for(user, referral: Referral) -> ReferralActions:
    receiving = is_receiving_team(user, referral)
    waiting = referral.status in (Status.SENT, Status.RECEIVED)
    outcome_due = referral.status == Status.ACCEPTED or (
        referral.destination_agency_id is None and referral.status in (Status.SENT, Status.RECEIVED, Status.ACCEPTED)
    )
    return ReferralActions(
        receiving=receiving,
        can_receive=receiving and referral.status == Status.SENT,
        can_decide=receiving and waiting,
        can_record_outcome=may_record_outcome(user, referral) and outcome_due,
    )


def queue_destinations(user) -> list[str]:
    """The destinations whose referrals the user's team receives in their agency: a MASH worker's are
    children's social care and the LADO, a panel chair's the panel, a police lead's the police; a
    referral elsewhere ("other") to the agency goes to any of its child workers."""
    if child_worker_agency_id(user) is None:
        return []
    return [
        destination
        for destination in Destination.values
        if destination not in DESTINATION_TEAM_ROLES or user.role_set & DESTINATION_TEAM_ROLES[destination]
    ]


class OpenQueue:
    """A team's open referrals in the queue's order — red, then amber, green and those with no
    priority, each by when it is due — for a paginator: it counts the backlog by priority (one grouped
    query) and reads only the rows a page shows, from the partial index that holds the priority, so
    no page sorts the backlog and a red referral is never behind an older amber one (issue 15)."""

    def __init__(self, referrals: QuerySet[Referral]):
        self._referrals = referrals
        self._counts: dict[str, int] | None = None

    def counts(self) -> dict[str, int]:
        if self._counts is None:
            rows = self._referrals.order_by().values("priority").annotate(n=Count("id")).values_list("priority", "n")
            self._counts = {priority: n for priority, n in rows}
        return self._counts

    def count(self) -> int:
        return sum(self.counts().values())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, wanted: slice) -> list[Referral]:
        if not isinstance(wanted, slice):
            raise TypeError("a queue is read a page at a time")
        start, stop = wanted.start or 0, wanted.stop if wanted.stop is not None else self.count()
        rows: list[Referral] = []
        first = 0  # where this priority's referrals start in the whole queue
        for priority in PRIORITY_ORDER:
            n = self.counts().get(priority, 0)
            a, b = max(start, first), min(stop, first + n)
            if a < b:
                rows += list(
                    self._referrals.filter(priority=priority)
                    .order_by(F("due_at").asc(nulls_last=True), "sent_at", "id")[a - first:b - first]
                )
            first += n
        return rows


def referral_queue(user, *, destination: str) -> OpenQueue | list[Referral]:
    """One team's open queue: referrals to ``destination`` in the user's agency, if their team
    receives them, red first, then by deadline (``OpenQueue``: read a page at a time)."""
    if destination not in queue_destinations(user):
        return []
    return OpenQueue(
        Referral.objects.filter(
            destination_agency_id=user.agency_id, destination=destination, status__in=QUEUE_STATUSES
        ).select_related("child", "referrer", "referring_agency", "destination_agency")
    )


def referrals_sent_by_agency(user, *, limit: int = 50) -> QuerySet[Referral]:
    if child_worker_agency_id(user) is None:
        return Referral.objects.none()
    return (
        Referral.objects.filter(referring_agency_id=user.agency_id)
        .select_related("child", "referrer", "destination_agency")
        .order_by("-sent_at", "-id")[:limit]
    )


def referrals_visible_to(user) -> QuerySet[Referral]:
    """For the API list: referrals to or from the user's agency."""
    if child_worker_agency_id(user) is None:
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


def assessment_for_user(
    user, assessment_id, *, request=None, change: bool = False, record_view: bool = False
) -> tuple[Assessment, ChildAccess]:
    try:
        assessment = Assessment.objects.select_related("child", "assessor", "agency").get(pk=_int(assessment_id))
    except Assessment.DoesNotExist:
        raise Http404("No such record") from None
    access = child_for_user(user, assessment.child_id, request=request, change=change, record_view=record_view)
    return assessment, access


def consultation_for_user(user, consultation_id) -> Consultation:
    try:
        consultation = Consultation.objects.select_related("recorded_by", "agency", "consulted_agency").get(
            pk=_int(consultation_id)
        )
    except Consultation.DoesNotExist:
        raise Http404("No such record") from None
    if not (
        works_for_agency(user, consultation.agency_id) or works_for_agency(user, consultation.consulted_agency_id)
    ):
        raise Http404("No such record")
    return consultation


def consultations_for(user) -> QuerySet[Consultation]:
    if child_worker_agency_id(user) is None:
        return Consultation.objects.none()
    return Consultation.objects.filter(
        Q(agency_id=user.agency_id) | Q(consulted_agency_id=user.agency_id)
    ).select_related("agency", "consulted_agency", "recorded_by")


def decision_for_user(
    user, decision_id, *, request=None, change: bool = False, record_view: bool = False
) -> tuple[DecisionRecord, ChildAccess]:
    try:
        decision = DecisionRecord.objects.select_related(
            "child", "agency", "author", "signed_by", "corrects", "subject_type"
        ).get(pk=_int(decision_id))
    except DecisionRecord.DoesNotExist:
        raise Http404("No such record") from None
    access = child_for_user(user, decision.child_id, request=request, change=change, record_view=record_view)
    return decision, access


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
    """The approving role in the approval's agency, or the one person it names; never the author."""
    if not (user.is_authenticated and user.agency_id == approval.agency_id and user.pk != approval.decision.author_id):
        return False
    if approval.approver_id is not None:
        return user.pk == approval.approver_id
    return user.has_role(approval.role)


def may_open_approval(user, approval: Approval) -> bool:
    """Whoever may give it, and the named leads of its agency (who see it through)."""
    is_named_lead = user.is_authenticated and user.has_role(Role.NAMED_LEAD) and user.agency_id == approval.agency_id
    return can_act_on_approval(user, approval) or is_named_lead


def approval_for_user(
    user, approval_id, *, request=None, change: bool = False
) -> tuple[Approval, ChildAccess]:
    """The approval, for the approving role and the agency's named leads, and the user's access to
    the child; anyone else (or a child they may not see) is Http404."""
    try:
        approval = Approval.objects.select_related(
            "decision", "decision__child", "decision__author", "agency", "requested_by", "decided_by"
        ).get(pk=_int(approval_id))
    except Approval.DoesNotExist:
        raise Http404("No such record") from None
    if not may_open_approval(user, approval):
        raise Http404("No such record")
    access = child_for_user(user, approval.decision.child_id, request=request, change=change)
    return approval, access


def approvals_inbox(user) -> QuerySet[Approval]:
    """Pending approvals for a role the user holds in their agency; named leads also see escalated ones."""
    if not user.is_authenticated or not user.agency_id:
        return Approval.objects.none()
    roles = [r for r in (Role.DESIGNATED_LEAD, Role.SENIOR_MANAGER) if user.has_role(r)]
    condition = (Q(role__in=roles, approver__isnull=True) | Q(approver=user)) & ~Q(decision__author=user)
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
