"""Every read of the records app, already filtered by what the reader may see."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, QuerySet

from safeguard.children.models import Child

from .models import DisposalDecision, LegalHold, RetentionSchedule, SubjectAccessRequest

PAGE_SIZE = 50


def retention_review_list(*, agency_id: int, until: date, children: QuerySet[Child]) -> QuerySet[RetentionSchedule]:
    """The agency's records due for review by ``until``, soonest first, with whether a hold is in
    force. Filtered by the (agency, due_on) index; pass the policy's ``children_visible_for``."""
    holds = LegalHold.objects.filter(child=OuterRef("child"), lifted_at__isnull=True)
    return (
        RetentionSchedule.objects.filter(agency_id=agency_id, due_on__lte=until, child__in=children)
        .select_related("child")
        .annotate(held=Exists(holds))
        .order_by("due_on", "id")
    )


def disposals_for_agency(agency_id: int) -> QuerySet[DisposalDecision]:
    """The agency's disposal decisions and tombstones, newest first."""
    return DisposalDecision.objects.filter(agency_id=agency_id).select_related("signed_by", "disposed_by").order_by(
        "-signed_at", "-id")


def schedule_for(child: Child) -> RetentionSchedule | None:
    return RetentionSchedule.objects.filter(child=child).select_related("agency").first()


def holds_for(child: Child) -> QuerySet[LegalHold]:
    return LegalHold.objects.filter(child=child).select_related("placed_by", "lifted_by").order_by("-placed_at", "-id")


def signed_decision_for(child: Child) -> DisposalDecision | None:
    return DisposalDecision.objects.filter(child_id=child.pk, status=DisposalDecision.Status.SIGNED).select_related(
        "signed_by").first()


def subject_access_requests_for(child: Child) -> QuerySet[SubjectAccessRequest]:
    return SubjectAccessRequest.objects.filter(child=child).select_related("opened_by", "released_by")[:20]


def subject_access_request(child: Child, request_id: int) -> SubjectAccessRequest:
    """One request on this child's record (else SubjectAccessRequest.DoesNotExist)."""
    return SubjectAccessRequest.objects.select_related("opened_by", "released_by", "agency").get(
        pk=request_id, child=child)


def withheld_items(request: SubjectAccessRequest) -> dict[str, str]:
    return dict(request.redactions.values_list("item", "reason"))
