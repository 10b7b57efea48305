"""REST endpoints for assessments, referrals and their outcomes, decision records and approvals
(issue 5 item 6), under the same access rules as the pages: ``access.policy`` decides (through
``referrals.selectors`` for a record reached by id), a record the user may not see is 404, and
every write goes through ``referrals.services`` with the ``ChildAccess``. Services' refusals become
answers in ``safeguard.api.errors``: a signed decision record answers 409 to any change.
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from safeguard.access.policy import child_for_user
from safeguard.accounts.models import Agency
from safeguard.api.pagination import keyset
from safeguard.api.permissions import WorksWithChildren
from safeguard.platform.ids import IdField
from safeguard.platform.validators import RealDateField, RealDateTimeField
from safeguard.platform.versioning import VersionedSerializerMixin, expected_version
from safeguard.rules import sexual_activity as sa

from . import selectors, services
from .forms import FACT_CHOICES
from .models import (
    Approval,
    Assessment,
    DecisionKind,
    DecisionRecord,
    Destination,
    LawfulBasis,
    Priority,
    Referral,
    ReferralEvent,
)

# -- serializers -----------------------------------------------------------------------------------


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField()
    agency = serializers.StringRelatedField()

    class Meta:
        model = ReferralEvent
        fields = ["status", "at", "actor", "agency", "note"]


class ReferralSerializer(serializers.ModelSerializer):
    referrer = serializers.StringRelatedField()
    referring_agency = serializers.StringRelatedField()
    destination_agency = serializers.StringRelatedField()
    source = serializers.SerializerMethodField()
    events = EventSerializer(many=True, read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id", "child", "referrer", "referring_agency", "destination", "destination_agency", "destination_other",
            "reason", "source", "status", "priority", "due_at", "sent_at", "outcome", "outcome_at", "events",
        ]

    def get_source(self, referral) -> dict | None:
        if referral.source_type_id is None:
            return None
        return {"type": referral.source_type.model, "id": referral.source_id}


class ReferralCreateSerializer(serializers.Serializer):
    child = IdField()
    destination = serializers.ChoiceField(choices=Destination.choices)
    reason = serializers.CharField(max_length=10000)
    destination_agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.filter(is_active=True), required=False, allow_null=True, default=None
    )
    destination_other = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    priority = serializers.ChoiceField(choices=Priority.choices, required=False, allow_blank=True, default="")
    assessment = IdField(required=False, allow_null=True, default=None, help_text="The assessment it comes from")


class ReferralStatusSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["receive", "accept", "decline"])
    priority = serializers.ChoiceField(choices=Priority.choices, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class OutcomeSerializer(serializers.Serializer):
    outcome = serializers.CharField(max_length=10000)
    outcome_at = RealDateTimeField(required=False, allow_null=True, default=None)


class AssessmentSerializer(serializers.ModelSerializer):
    assessor = serializers.StringRelatedField()
    agency = serializers.StringRelatedField()

    class Meta:
        model = Assessment
        fields = [
            "id", "child", "assessor", "agency", "recorded_at", "activity_date", "child_age", "partner_ages",
            "criteria", "criteria_notes", "position_of_trust", "partner_works_with_children", "pregnant",
            "penetrative", "disabled", "immediate_risk", "summary", "outcome", "rules_version",
        ]


class AssessmentCreateSerializer(serializers.Serializer):
    activity_date = RealDateField(required=False, allow_null=True, default=None)
    child_age = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=17,
        help_text="Only when the record has no date of birth",
    )
    partner_ages = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=120, allow_null=True),
                                         allow_empty=False, max_length=10)
    criteria = serializers.DictField(child=serializers.ChoiceField(choices=["yes", "no", "unknown"]), required=False,
                                     default=dict)
    criteria_notes = serializers.DictField(child=serializers.CharField(max_length=1000, allow_blank=True),
                                           required=False, default=dict)
    summary = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    position_of_trust = serializers.BooleanField(default=False)
    partner_works_with_children = serializers.BooleanField(default=False)
    pregnant = serializers.BooleanField(default=False)
    penetrative = serializers.BooleanField(default=False)
    disabled = serializers.BooleanField(default=False)
    immediate_risk = serializers.BooleanField(default=False)

    def validate_criteria(self, value):
        """Criteria and their notes are C1 to C14 only (the API refuses what the form cannot send)."""
        unknown = sorted(set(value) - set(sa.CRITERIA))
        if unknown:
            shown = ", ".join(repr(k)[1:-1][:20] for k in unknown[:5])  # a NUL or a long key shown safely
            raise serializers.ValidationError(f"Unknown criteria: {shown}. Criteria are C1 to C14.")
        return value

    validate_criteria_notes = validate_criteria

    def validate_activity_date(self, value):
        if value and value > timezone.localdate():
            raise serializers.ValidationError("The date of the activity must be today or in the past")
        return value


class ApprovalSerializer(serializers.ModelSerializer):
    decided_by = serializers.StringRelatedField()
    requested_by = serializers.StringRelatedField()

    class Meta:
        model = Approval
        fields = ["id", "decision", "role", "status", "requested_by", "requested_at", "due_at", "decided_by",
                  "decided_at", "note", "escalated_at"]


class DecisionSerializer(serializers.ModelSerializer):
    author = serializers.StringRelatedField()
    signed_by = serializers.StringRelatedField()
    approvals = ApprovalSerializer(many=True, read_only=True)
    subject = serializers.SerializerMethodField()

    class Meta:
        model = DecisionRecord
        fields = [
            "id", "child", "agency", "author", "created_at", "kind", "destination", "decision", "reasons",
            "information", "relied_on", "decision_makers", "purpose", "lawful_basis", "recipient", "subject",
            "required_approvals", "exceptional", "status", "corrects", "signed_by", "signed_at", "content_hash",
            "approvals", "version",
        ]

    def get_subject(self, decision) -> dict | None:
        if decision.subject_type_id is None:
            return None
        return {"type": decision.subject_type.model, "id": decision.subject_id}


class DecisionWriteSerializer(VersionedSerializerMixin, serializers.Serializer):
    kind = serializers.ChoiceField(choices=DecisionKind.choices)
    decision = serializers.CharField(max_length=2000)
    reasons = serializers.CharField(max_length=10000)
    information = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    relied_on = serializers.ListField(child=IdField(), required=False, default=list, max_length=200)
    decision_makers = serializers.ListField(child=IdField(), required=False, default=list, max_length=50)
    destination = serializers.ChoiceField(choices=Destination.choices, required=False, allow_blank=True, default="")
    purpose = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    lawful_basis = serializers.ChoiceField(choices=LawfulBasis.choices, required=False, allow_blank=True, default="")
    recipient = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    assessment = IdField(required=False, allow_null=True, default=None)
    corrects = IdField(required=False, allow_null=True, default=None)

    def to_data(self) -> services.DecisionData:
        d = self.validated_data
        return services.DecisionData(
            kind=d["kind"], decision=d["decision"], reasons=d["reasons"], information=d["information"],
            relied_on_ids=d["relied_on"], decision_maker_ids=d["decision_makers"], destination=d["destination"],
            purpose=d["purpose"], lawful_basis=d["lawful_basis"], recipient=d["recipient"],
        )


class ApprovalAnswerSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(choices=["approve", "return"])
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class EmptySerializer(serializers.Serializer):
    pass


# -- referrals ------------------------------------------------------------------------------------


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
            priority=d["priority"],
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
        body = AssessmentCreateSerializer(data=request.data)
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
        assessment = services.assessment_record(access=access, answers=answers)
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
        body = DecisionWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        subject = corrects = None
        if d["assessment"]:
            subject, _ = selectors.assessment_for_user(request.user, d["assessment"], request=request)
        if d["corrects"]:
            corrects, _ = selectors.decision_for_user(request.user, d["corrects"], request=request)
            subject = subject or corrects.subject
        decision = services.decision_draft(access=access, data=body.to_data(), subject=subject, corrects=corrects)
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
        body = DecisionWriteSerializer(data={**current, **request.data})  # the parser refuses a non-object
        body.is_valid(raise_exception=True)
        services.decision_update(access=access, decision=record, data=body.to_data(),
                                 version=expected_version(request, body.validated_data))
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
