"""The intelligence API's serializers: what a request may send (``api.py`` answers it)."""

from __future__ import annotations

from rest_framework import serializers

from safeguard.accounts.models import Agency
from safeguard.language.serializers import LanguageCheckedSerializerMixin, keep_wording_field
from safeguard.platform.versioning import VersionedSerializerMixin

from .models import (
    DisruptionAction,
    Entity,
    EntityKind,
    GroundsDecision,
    HandlingCode,
    IntelligenceAssessment,
    LinkKind,
    PlaceType,
    SourceEvaluation,
)


class IntelligenceEntitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Entity
        fields = ["id", "kind", "label", "key", "description", "approx_age", "registration", "make", "vehicle_model",
                  "colour", "platform", "handle", "place_name", "address", "postcode", "place_type", "area",
                  "of_concern", "version"]


class _EntityDetailsSerializer(serializers.Serializer):
    """What is recorded about an entity (only the fields of its kind are read)."""

    name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    aliases = serializers.ListField(child=serializers.CharField(max_length=200), required=False, default=list)
    approx_age = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=10, max_value=100)
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    registration = serializers.CharField(required=False, allow_blank=True, default="", max_length=20)
    make = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    vehicle_model = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    colour = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)
    number = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)
    platform = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)
    handle = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    address = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    postcode = serializers.CharField(required=False, allow_blank=True, default="", max_length=10)
    place_type = serializers.ChoiceField(choices=[("", "")] + PlaceType.choices, required=False, default="")
    area = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True, default=None)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True, default=None)
    of_concern = serializers.BooleanField(required=False, default=False)


class IntelligenceEntityCreateSerializer(LanguageCheckedSerializerMixin, _EntityDetailsSerializer):
    kind = serializers.ChoiceField(choices=EntityKind.choices)
    confirm_new_person = serializers.BooleanField(required=False, default=False)
    keep_wording = keep_wording_field()
    language_checked_fields = ("description",)


class IntelligenceEntityEditSerializer(LanguageCheckedSerializerMixin, VersionedSerializerMixin,
                                       _EntityDetailsSerializer):
    """A change to an entity: its kind stays; PUT sends every field (one not sent is blank), PATCH
    only those that change. ``version`` (or ``If-Match``) is the version read."""

    keep_wording = keep_wording_field()
    language_checked_fields = ("description",)


class GradingSerializer(serializers.Serializer):
    source_evaluation = serializers.ChoiceField(choices=SourceEvaluation.choices)
    assessment = serializers.ChoiceField(choices=IntelligenceAssessment.choices)
    handling = serializers.ChoiceField(choices=HandlingCode.choices, default=HandlingCode.PERMITTED)
    handling_conditions = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    shared_with = serializers.PrimaryKeyRelatedField(
        many=True, required=False, default=list, queryset=Agency.objects.all(),
        help_text="For C: agencies the conditions allow it to be shared with (yours always may)")


class IntelligenceLinkCreateSerializer(LanguageCheckedSerializerMixin, GradingSerializer):
    child = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    entity = serializers.IntegerField(min_value=1)
    other = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    kind = serializers.ChoiceField(choices=LinkKind.choices)
    occurred_on = serializers.DateField()
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    keep_wording = keep_wording_field()
    language_checked_fields = ("notes",)


class IntelligenceDisruptionSerializer(LanguageCheckedSerializerMixin, serializers.Serializer):
    action = serializers.ChoiceField(choices=DisruptionAction.choices)
    occurred_on = serializers.DateField()
    outcome = serializers.CharField()
    review_on = serializers.DateField(required=False, allow_null=True, default=None)
    alert = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    keep_wording = keep_wording_field()
    language_checked_fields = ("outcome",)


class IntelligenceNrmSerializer(LanguageCheckedSerializerMixin, serializers.Serializer):
    referred_on = serializers.DateField()
    summary = serializers.CharField()
    reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    keep_wording = keep_wording_field()
    language_checked_fields = ("summary",)


class IntelligenceNrmDecisionSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=[("reasonable", "Reasonable grounds"), ("conclusive", "Conclusive grounds")])
    decision = serializers.ChoiceField(choices=[GroundsDecision.POSITIVE, GroundsDecision.NEGATIVE])
    decided_on = serializers.DateField()
    version = serializers.IntegerField(min_value=1)


class AlertActionSerializer(serializers.Serializer):
    text = serializers.CharField()
