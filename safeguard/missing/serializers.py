"""Serializers for the missing API (``api.py``): episodes, returns and their corrections, return
interviews and profiles, checked by the same language check and validators as the forms."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.urls import reverse
from rest_framework import serializers

from safeguard.language.serializers import LanguageCheckedSerializerMixin, keep_wording_field
from safeguard.platform.ids import IdField
from safeguard.platform.validators import RealDateTimeField
from safeguard.platform.versioning import VersionedSerializerMixin

from .models import Classification, Episode, MissingFrom, Profile, ReturnCorrection, ReturnInterview
from .services import ReturnDetails


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


# -- serializers -----------------------------------------------------------------------------------


class MissingInterviewSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = ReturnInterview
        fields = ["id", "requirement", "priority", "priority_reasons", "due_at", "status"]


class ReturnCorrectionSerializer(serializers.ModelSerializer):
    corrected_by = serializers.SerializerMethodField()
    agency: serializers.StringRelatedField[Any] = serializers.StringRelatedField()

    class Meta:
        model = ReturnCorrection
        fields = ["id", "corrected_by", "agency", "corrected_at", "reason", "changes"]

    def get_corrected_by(self, correction: ReturnCorrection) -> str:
        return _name(correction.corrected_by)


class MissingEpisodeSerializer(serializers.ModelSerializer):
    reported_by = serializers.SerializerMethodField()
    agency: serializers.StringRelatedField[Any] = serializers.StringRelatedField()
    classification_history = serializers.SerializerMethodField()
    # Nested serializers declared once, so a page of episodes builds their fields once rather than
    # for every row (a method field making a new serializer per episode was a third of the page).
    # The return's corrections, oldest first; how many there are is what a correction sends as
    # ``seen_corrections``.
    return_corrections = ReturnCorrectionSerializer(many=True, read_only=True)
    interview = MissingInterviewSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Episode
        fields = [
            "id", "child", "missing_from", "placement", "last_seen_at", "last_seen_where", "circumstances",
            "reported_at", "reported_by", "agency", "reported_to_police", "police_reported_at", "police_reference",
            "classification", "classification_history", "version", "returned_at", "found_where", "who_with",
            "vehicles", "addresses", "phones", "names_mentioned", "harmed", "criminal_activity", "risky_contact",
            "mental_health_or_ld", "other_risk", "appearance", "items_retained", "return_corrections", "interview",
        ]

    def get_reported_by(self, episode: Episode) -> str:
        return _name(episode.reported_by)

    def get_classification_history(self, episode: Episode) -> list[dict]:
        return [
            {"from": c.from_value, "to": c.to_value, "reason": c.reason, "by": _name(c.changed_by),
             "at": c.changed_at.isoformat()}
            for c in episode.classification_changes.all()
        ]


class MissingEpisodeCreateSerializer(LanguageCheckedSerializerMixin, serializers.Serializer):
    child = IdField()
    missing_from = serializers.ChoiceField(choices=MissingFrom.choices)
    last_seen_at = RealDateTimeField()
    classification = serializers.ChoiceField(choices=Classification.choices, default=Classification.MISSING)
    placement = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    last_seen_where = serializers.CharField(required=False, allow_blank=True, default="")
    circumstances = serializers.CharField(required=False, allow_blank=True, default="")
    reported_to_police = serializers.BooleanField(default=False)
    police_reported_at = RealDateTimeField(required=False, allow_null=True, default=None)
    police_reference = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    send_profile = serializers.BooleanField(default=False, help_text="Send the profile to the police inbox now")
    keep_wording = keep_wording_field()
    language_checked_fields = ("circumstances",)


class MissingClassifySerializer(VersionedSerializerMixin, serializers.Serializer):
    classification = serializers.ChoiceField(choices=Classification.choices)
    reason = serializers.CharField()


class MissingReturnSerializer(LanguageCheckedSerializerMixin, serializers.Serializer):
    returned_at = RealDateTimeField()
    found_where = serializers.CharField(required=False, allow_blank=True, default="")
    who_with = serializers.CharField(required=False, allow_blank=True, default="")
    vehicles = serializers.CharField(required=False, allow_blank=True, default="")
    addresses = serializers.CharField(required=False, allow_blank=True, default="")
    phones = serializers.CharField(required=False, allow_blank=True, default="")
    names_mentioned = serializers.CharField(required=False, allow_blank=True, default="")
    harmed = serializers.BooleanField()
    criminal_activity = serializers.BooleanField()
    risky_contact = serializers.BooleanField()
    mental_health_or_ld = serializers.BooleanField()
    other_risk = serializers.CharField(required=False, allow_blank=True, default="")
    appearance = serializers.CharField(required=False, allow_blank=True, default="")
    items_retained = serializers.CharField(required=False, allow_blank=True, default="")
    keep_wording = keep_wording_field()
    language_checked_fields: tuple[str, ...] = ("appearance", "other_risk")


class MissingInterviewSerializer(serializers.ModelSerializer):
    interviewer = serializers.SerializerMethodField()
    interviewer_agency: serializers.StringRelatedField[Any] = serializers.StringRelatedField()
    sent_to_police = serializers.SerializerMethodField()

    class Meta:
        model = ReturnInterview
        fields = [
            "id", "episode", "child", "requirement", "priority", "priority_reasons", "reasons", "cse_risk_derived",
            "rules_version", "due_at", "status", "interviewer", "interviewer_agency", "conducted_at",
            "child_account", "risks_identified", "actions_agreed", "not_conducted_reason", "sent_to_police",
        ]

    def get_interviewer(self, interview: ReturnInterview) -> str:
        return _name(interview.interviewer)

    def get_sent_to_police(self, interview: ReturnInterview) -> list[dict]:
        return [
            {"kind": s.kind, "recipient": s.recipient, "sent_at": s.sent_at.isoformat(), "by": _name(s.sent_by)}
            for s in interview.police_submissions.all()
        ]


class MissingOutcomeSerializer(LanguageCheckedSerializerMixin, serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[s for s in ReturnInterview.Status.choices if s[0] != "pending"])
    conducted_at = RealDateTimeField(required=False, allow_null=True, default=None)
    child_account = serializers.CharField(required=False, allow_blank=True, default="")
    risks_identified = serializers.CharField(required=False, allow_blank=True, default="")
    actions_agreed = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    keep_wording = keep_wording_field()
    language_checked_fields = ("child_account", "risks_identified", "actions_agreed", "reason")


class MissingProfileSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    photo_url = serializers.SerializerMethodField()
    updated_by = serializers.SerializerMethodField()

    class Meta:
        model = Profile
        fields = ["description", "phones", "associates", "places", "vehicles", "other_information", "photo_url",
                  "updated_at", "updated_by", "version"]
        read_only_fields = ["updated_at"]

    def get_photo_url(self, profile: Profile) -> str | None:
        if not profile.photo_id:
            return None
        return reverse("missing:profile_photo", kwargs={"child_id": profile.child_id, "photo_id": profile.photo_id})

    def get_updated_by(self, profile: Profile) -> str:
        return _name(profile.updated_by)


_RETURN_DETAILS = frozenset(f.name for f in dataclasses.fields(ReturnDetails))


class MissingReturnCorrectionSerializer(MissingReturnSerializer):
    """A correction of the recorded return: the details as they should read (a detail not sent stays as
    recorded), why, and how many corrections the sender has seen (``seen_corrections``: the return's
    version; someone else's correction since then is refused with 409)."""

    language_checked_fields = ("appearance", "other_risk", "reason")
    reason = serializers.CharField(max_length=2000)
    seen_corrections = serializers.IntegerField(min_value=0)

    def __init__(self, *args, episode: Episode | None = None, **kwargs):
        """``episode``: the episode corrected, whose details stand for those not sent (the schema has none)."""
        super().__init__(*args, **kwargs)
        for name in ("returned_at", "harmed", "criminal_activity", "risky_contact", "mental_health_or_ld"):
            self.fields[name].required = False
        if episode is not None:
            for name, field in self.fields.items():
                if name in _RETURN_DETAILS:
                    field.default = getattr(episode, name)
