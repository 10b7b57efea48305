"""REST endpoints for assessments, referrals and their outcomes, decision records and approvals
(issue 5 item 6), under the same access rules as the pages: ``access.policy`` decides (through
``referrals.selectors`` for a record reached by id), a record the user may not see is 404, and
every write goes through ``referrals.services`` with the ``ChildAccess``. Services' refusals become
answers in ``safeguard.api.errors``: a signed decision record answers 409 to any change.
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from safeguard.access.policy import child_for_user
from safeguard.api.pagination import keyset
from safeguard.api.permissions import WorksWithChildren
from safeguard.platform.versioning import expected_version

from . import selectors, services
from .forms import FACT_CHOICES
from .models import (
    Assessment,
    DecisionRecord,
)
from .serializers import (
    ApprovalAnswerSerializer,
    ApprovalSerializer,
    AssessmentCreateSerializer,
    AssessmentSerializer,
    DecisionSerializer,
    DecisionSubjectSerializer,
    DecisionWriteSerializer,
    EmptySerializer,
    OutcomeSerializer,
    ReferralCreateSerializer,
    ReferralSerializer,
    ReferralStatusSerializer,
)


class ReferralListCreate(generics.ListCreateAPIView):
    """Referrals to or from your agency, newest first, a page at a time (follow ``next``); send a referral."""

    permission_classes = [WorksWithChildren]
    pagination_class = keyset("-sent_at", "-id")  # index referral_sent_recent
    serializer_class = ReferralSerializer

    def get_queryset(self):
        return selectors.referrals_visible_to(self.request.user).prefetch_related("events__actor", "events__agency")

    @extend_schema(request=ReferralCreateSerializer, responses={201: ReferralSerializer})
    def post(self, request, *args, **kwargs):
        body = ReferralCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        access = child_for_user(request.user, d["child"], request=request, change=True)
        source = None
        if d["assessment"]:
            source, _ = selectors.assessment_for_user(request.user, d["assessment"], request=request)
            if source.child_id != access.child.pk:
                raise ApiValidationError({"assessment": "The assessment is about another child."})
        referral = services.referral_open(
            access=access, destination=d["destination"], reason=d["reason"], source=source,
            destination_agency=d["destination_agency"], destination_other=d["destination_other"],
            priority=d["priority"], language_kept=d["language_flags_kept"],
        )
        return Response(ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)


class ReferralDetail(generics.RetrieveAPIView):
    permission_classes = [WorksWithChildren]
    serializer_class = ReferralSerializer

    def get_object(self):
        referral, _ = selectors.referral_for_user(self.request.user, self.kwargs["referral_id"], request=self.request)
        return referral


class ReferralStatusChange(generics.GenericAPIView):
    """The receiving team receives, accepts or declines (a decline needs a note: the reason)."""

    permission_classes = [WorksWithChildren]
    serializer_class = ReferralStatusSerializer

    @extend_schema(request=ReferralStatusSerializer, responses={200: ReferralSerializer})
    def post(self, request, referral_id: int):
        referral, access = selectors.referral_for_user(request.user, referral_id, request=request, change=True)
        body = ReferralStatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        if d["action"] == "receive":
            referral = services.referral_receive(access=access, referral=referral, priority=d["priority"], note=d["note"])
        elif d["action"] == "accept":
            referral = services.referral_accept(access=access, referral=referral, note=d["note"])
        else:
            referral = services.referral_decline(access=access, referral=referral, reason=d["note"])
        return Response(ReferralSerializer(referral).data)


class ReferralOutcome(generics.GenericAPIView):
    """Record a referral's outcome (§10.4.4)."""

    permission_classes = [WorksWithChildren]
    serializer_class = OutcomeSerializer

    @extend_schema(request=OutcomeSerializer, responses={200: ReferralSerializer})
    def post(self, request, referral_id: int):
        referral, access = selectors.referral_for_user(request.user, referral_id, request=request, change=True)
        body = OutcomeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        referral = services.referral_record_outcome(
            access=access, referral=referral, outcome=body.validated_data["outcome"],
            outcome_at=body.validated_data["outcome_at"],
        )
        return Response(ReferralSerializer(referral).data)


# -- assessments ----------------------------------------------------------------------------------


class AssessmentListCreate(generics.ListCreateAPIView):
    """A child's sexual activity assessments; record one (§9)."""

    permission_classes = [WorksWithChildren]
    serializer_class = AssessmentSerializer

    def get_queryset(self):
        child = child_for_user(self.request.user, self.kwargs["child_id"], request=self.request, record_view=True).child
        return Assessment.objects.filter(child=child).select_related("assessor", "agency")

    @extend_schema(request=AssessmentCreateSerializer, responses={201: AssessmentSerializer})
    def post(self, request, child_id: int):
        access = child_for_user(request.user, child_id, request=request, change=True)
        body = AssessmentCreateSerializer(data=request.data, context={"date_of_birth": access.child.date_of_birth})
        body.is_valid(raise_exception=True)
        d = body.validated_data
        age = services.assessment_child_age(date_of_birth=access.child.date_of_birth,
                                            activity_date=d["activity_date"], today=timezone.localdate(),
                                            stated_age=d["child_age"])
        answers = services.AssessmentAnswers(
            child_age=age, partner_ages=d["partner_ages"], criteria=d["criteria"],
            criteria_notes=d["criteria_notes"], activity_date=d["activity_date"], summary=d["summary"],
            **{name: d[name] for name, _ in FACT_CHOICES},
        )
        assessment = services.assessment_record(access=access, answers=answers, language_kept=d["language_flags_kept"])
        return Response(AssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)


class AssessmentDetail(generics.RetrieveAPIView):
    permission_classes = [WorksWithChildren]
    serializer_class = AssessmentSerializer

    def get_object(self):
        assessment, _ = selectors.assessment_for_user(
            self.request.user, self.kwargs["assessment_id"], request=self.request, record_view=True
        )
        return assessment


# -- decision records -----------------------------------------------------------------------------


def _language_context(subject) -> str:
    """The language-check context of a decision resting on ``subject`` (as ``DecisionForm`` has it)."""
    if not isinstance(subject, Assessment):
        return ""
    return services.assessment_language_context(child_age=subject.child_age, partner_ages=subject.partner_ages)


def _decision_out(decision_id) -> dict:
    record = DecisionRecord.objects.select_related("author", "signed_by", "subject_type").get(pk=decision_id)
    return DecisionSerializer(record).data


class DecisionListCreate(generics.ListCreateAPIView):
    """A child's decision records; draft one (``corrects`` makes it a correction of a signed record)."""

    permission_classes = [WorksWithChildren]
    serializer_class = DecisionSerializer

    def get_queryset(self):
        child = child_for_user(self.request.user, self.kwargs["child_id"], request=self.request, record_view=True).child
        return selectors.decisions_for_child(child).prefetch_related("approvals__decided_by", "approvals__requested_by")

    @extend_schema(request=DecisionWriteSerializer, responses={201: DecisionSerializer})
    def post(self, request, child_id: int):
        access = child_for_user(request.user, child_id, request=request, change=True)
        ids = DecisionSubjectSerializer(data=request.data)
        ids.is_valid(raise_exception=True)
        subject = corrects = None
        if ids.validated_data["assessment"]:
            subject, _ = selectors.assessment_for_user(request.user, ids.validated_data["assessment"], request=request)
        if ids.validated_data["corrects"]:
            corrects, _ = selectors.decision_for_user(request.user, ids.validated_data["corrects"], request=request)
            subject = subject or corrects.subject
        body = DecisionWriteSerializer(data=request.data, context={"language_context": _language_context(subject)})
        body.is_valid(raise_exception=True)
        decision = services.decision_draft(access=access, data=body.to_data(), subject=subject, corrects=corrects,
                                           language_kept=body.validated_data["language_flags_kept"])
        return Response(_decision_out(decision.pk), status=status.HTTP_201_CREATED)


class DecisionDetail(generics.GenericAPIView):
    """One decision record. PUT or PATCH change a draft; a signed record answers 409."""

    permission_classes = [WorksWithChildren]
    serializer_class = DecisionSerializer

    def _record(self, *, change: bool = False):
        return selectors.decision_for_user(self.request.user, self.kwargs["decision_id"], request=self.request,
                                           change=change, record_view=not change)

    def get(self, request, decision_id: int):
        record, _ = self._record()
        return Response(_decision_out(record.pk))

    def _change(self, request, *, partial: bool):
        """PUT replaces the draft, PATCH changes the fields sent; a signed record or a stale version is 409."""
        record, access = self._record(change=True)
        if record.is_signed:
            raise services.DecisionLocked()
        from .forms import DecisionForm

        current = {k: v for k, v in DecisionForm.initial_for(record).items() if k != "version"} if partial else {}
        body = DecisionWriteSerializer(data={**current, **request.data},  # the parser refuses a non-object
                                       context={"language_context": _language_context(record.subject)})
        body.is_valid(raise_exception=True)
        services.decision_update(access=access, decision=record, data=body.to_data(),
                                 version=expected_version(request, body.validated_data),
                                 language_kept=body.validated_data["language_flags_kept"])
        return Response(_decision_out(record.pk))

    @extend_schema(request=DecisionWriteSerializer, responses={200: DecisionSerializer, 409: None})
    def put(self, request, decision_id: int):
        return self._change(request, partial=False)

    @extend_schema(request=DecisionWriteSerializer, responses={200: DecisionSerializer, 409: None})
    def patch(self, request, decision_id: int):
        return self._change(request, partial=True)


class DecisionRequestApproval(generics.GenericAPIView):
    permission_classes = [WorksWithChildren]
    serializer_class = EmptySerializer

    @extend_schema(request=None, responses={200: DecisionSerializer})
    def post(self, request, decision_id: int):
        record, access = selectors.decision_for_user(request.user, decision_id, request=request, change=True)
        services.decision_request_approvals(access=access, decision=record)
        return Response(_decision_out(record.pk))


class DecisionSign(generics.GenericAPIView):
    permission_classes = [WorksWithChildren]
    serializer_class = EmptySerializer

    @extend_schema(request=None, responses={200: DecisionSerializer, 409: None})
    def post(self, request, decision_id: int):
        record, access = selectors.decision_for_user(request.user, decision_id, request=request, change=True)
        services.decision_sign(access=access, decision=record)
        return Response(_decision_out(record.pk))


# -- approvals ------------------------------------------------------------------------------------


class ApprovalList(generics.ListAPIView):
    """Approvals waiting for you (designated leads, senior managers; named leads see escalated ones)."""

    serializer_class = ApprovalSerializer

    def get_queryset(self):
        return selectors.approvals_inbox(self.request.user).select_related("decided_by")


class ApprovalDetail(generics.GenericAPIView):
    """One approval; POST approves or returns (returning needs a note: the reasons)."""

    serializer_class = ApprovalSerializer

    def get(self, request, approval_id: int):
        approval, _ = selectors.approval_for_user(request.user, approval_id, request=request)
        return Response(ApprovalSerializer(approval).data)

    @extend_schema(request=ApprovalAnswerSerializer, responses={200: ApprovalSerializer})
    def post(self, request, approval_id: int):
        approval, access = selectors.approval_for_user(request.user, approval_id, request=request, change=True)
        body = ApprovalAnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        if d["answer"] == "approve":
            approval = services.approval_give(access=access, approval=approval, note=d["note"])
        else:
            approval = services.approval_return(access=access, approval=approval, reasons=d["note"])
        return Response(ApprovalSerializer(approval).data)
