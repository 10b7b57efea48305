"""Serializers for the referrals API (``api.py``): the shapes of referrals, assessments, decision
records and approvals, validated with the same validators as the forms."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from rest_framework import serializers

from safeguard.accounts.models import Agency
from safeguard.language.serializers import LanguageCheckedSerializerMixin, keep_wording_field
from safeguard.platform.ids import IdField
from safeguard.platform.validators import RealDateField, RealDateTimeField
from safeguard.platform.versioning import VersionedSerializerMixin
from safeguard.rules import sexual_activity as sa

from . import services
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


class EventSerializer(serializers.ModelSerializer):
    actor: serializers.StringRelatedField[Any] = serializers.StringRelatedField()
    agency: serializers.StringRelatedField[Any] = serializers.StringRelatedField()

    class Meta:
        model = ReferralEvent
        fields = ["status", "at", "actor", "agency", "note"]


class ReferralSerializer(serializers.ModelSerializer):
    referrer: serializers.StringRelatedField[Any] = serializers.StringRelatedField()
    referring_agency: serializers.StringRelatedField[Any] = serializers.StringRelatedField()
    destination_agency: serializers.StringRelatedField[Any] = serializers.StringRelatedField()
    source = serializers.SerializerMethodField()  # type: ignore[assignment]  # a field named like Field.source
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


class ReferralCreateSerializer(LanguageCheckedSerializerMixin, serializers.Serializer):
    language_checked_fields = ("reason",)
    keep_wording = keep_wording_field()
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


class OutcomeSerializer(LanguageCheckedSerializerMixin, serializers.Serializer):
    language_checked_fields = ("outcome",)
    keep_wording = keep_wording_field()
    outcome = serializers.CharField(max_length=10000)
    outcome_at = RealDateTimeField(required=False, allow_null=True, default=None)


class AssessmentSerializer(serializers.ModelSerializer):
    assessor: serializers.StringRelatedField[Any] = serializers.StringRelatedField()
    agency: serializers.StringRelatedField[Any] = serializers.StringRelatedField()

    class Meta:
        model = Assessment
        fields = [
            "id", "child", "assessor", "agency", "recorded_at", "activity_date", "child_age", "partner_ages",
            "criteria", "criteria_notes", "position_of_trust", "partner_works_with_children", "pregnant",
            "penetrative", "disabled", "immediate_risk", "summary", "outcome", "rules_version",
        ]


class AssessmentCreateSerializer(LanguageCheckedSerializerMixin, serializers.Serializer):
    """The view passes the child's date of birth in the context (``date_of_birth``): the reasons of an
    assessment between peers aged 13 and over may weigh consent, as the form allows (§9.2, §9.7)."""

    keep_wording = keep_wording_field()
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

    def language_texts(self, attrs) -> dict[str, str]:
        """The summary and each criterion's note, named as the form names them (``C3_note``)."""
        notes = attrs.get("criteria_notes") or {}
        return {"summary": attrs.get("summary", ""), **{f"{code}_note": notes[code] for code in sorted(notes)}}

    def language_context_for(self, attrs) -> str:
        try:
            age = services.assessment_child_age(
                date_of_birth=self.context.get("date_of_birth"), activity_date=attrs.get("activity_date"),
                today=timezone.localdate(), stated_age=attrs.get("child_age"))
        except DjangoValidationError:  # an age the view refuses later; until then the check stays strict
            return ""
        return services.assessment_language_context(child_age=age, partner_ages=attrs.get("partner_ages"))


class ApprovalSerializer(serializers.ModelSerializer):
    decided_by: serializers.StringRelatedField[Any] = serializers.StringRelatedField()
    requested_by: serializers.StringRelatedField[Any] = serializers.StringRelatedField()

    class Meta:
        model = Approval
        fields = ["id", "decision", "role", "status", "requested_by", "requested_at", "due_at", "decided_by",
                  "decided_at", "note", "escalated_at"]


class DecisionSerializer(serializers.ModelSerializer):
    author: serializers.StringRelatedField[Any] = serializers.StringRelatedField()
    signed_by: serializers.StringRelatedField[Any] = serializers.StringRelatedField()
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


class DecisionWriteSerializer(LanguageCheckedSerializerMixin, VersionedSerializerMixin, serializers.Serializer):
    """The view passes ``language_context`` in the context: that of the assessment the decision rests
    on, if any (see ``DecisionForm.language_context_for``)."""

    language_checked_fields = ("decision", "reasons", "information", "purpose")
    keep_wording = keep_wording_field()
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

    def language_context_for(self, attrs) -> str:
        return self.context.get("language_context", "")


class DecisionSubjectSerializer(serializers.Serializer):
    """What a new decision rests on, read before the rest (its language check depends on it)."""

    assessment = IdField(required=False, allow_null=True, default=None)
    corrects = IdField(required=False, allow_null=True, default=None)


class ApprovalAnswerSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(choices=["approve", "return"])
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class EmptySerializer(serializers.Serializer):
    pass
