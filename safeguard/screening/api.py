"""REST endpoints for a child's screenings (Form A), with the pages' access rules: the child comes
through ``child_for_user`` (hidden = 404) and every read is audited. A submitted screening is never
changed, so there is no update or delete."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError as ApiValidationError

from safeguard.access.policy import child_for_user
from safeguard.api.permissions import WorksWithChildren
from safeguard.language.serializers import LanguageCheckedSerializerMixin, keep_wording_field
from safeguard.rules.screening import CODES
from safeguard.screening import services
from safeguard.screening.models import PreviousReferral, Screening


class ScreeningSerializer(LanguageCheckedSerializerMixin, serializers.ModelSerializer):
    ticked = serializers.ListField(child=serializers.ChoiceField(choices=CODES), allow_empty=True)
    evidence = serializers.DictField(child=serializers.CharField(allow_blank=True, max_length=2000), required=False)
    previous_cp_referral = serializers.ChoiceField(choices=PreviousReferral.choices)
    not_referring_reason = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    keep_wording = keep_wording_field()

    class Meta:
        model = Screening
        fields = [
            "id", "child", "agency", "submitted_by", "submitted_at", "referrer_name", "organisation",
            "contact_details", "child_name", "child_age", "local_authority", "ethnicity", "gender", "languages",
            "disabilities", "previous_cp_referral", "previous_cp_referral_when", "level1_assessment_date",
            "ticked", "evidence", "band", "form_b_required", "reasons", "actions", "rules_version", "review_due",
            "referral", "not_referring_reason", "superseded_by", "keep_wording",
        ]
        read_only_fields = ["id", "child", "agency", "submitted_by", "submitted_at", "band", "form_b_required",
                            "reasons", "actions", "rules_version", "review_due", "referral", "superseded_by"]

    def validate(self, attrs):
        unknown = set(attrs.get("evidence", {})) - set(attrs.get("ticked", []))
        if unknown:
            raise serializers.ValidationError({"evidence": f"Evidence for items not ticked: {sorted(unknown)}"})
        if len(set(attrs.get("ticked", []))) != len(attrs.get("ticked", [])):
            raise serializers.ValidationError({"ticked": "An item is ticked twice"})
        return super().validate(attrs)

    def language_texts(self, attrs):
        texts = {f"evidence.{k}": v or "" for k, v in attrs.get("evidence", {}).items()}
        texts["not_referring_reason"] = attrs.get("not_referring_reason", "") or ""
        return texts


class ScreeningListCreate(generics.ListCreateAPIView):
    """A child's screenings, newest first; POST submits a new Form A (the rules decide the band)."""

    permission_classes = [WorksWithChildren]
    serializer_class = ScreeningSerializer

    def _access(self, *, change: bool = False):
        return child_for_user(self.request.user, self.kwargs["child_id"], request=self.request, change=change,
                              record_view=not change)

    def get_queryset(self):
        return Screening.objects.filter(child=self._access().child).order_by("-submitted_at", "-id")

    def create(self, request, *args, **kwargs):
        self._child_access = self._access(change=True)
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        access = self._child_access
        child = access.child
        if child.merged_into_id:
            raise ApiValidationError({"detail": f"This record was merged into record {child.merged_into_id}"})
        d = serializer.validated_data
        header = services.FormAHeader(
            referrer_name=d["referrer_name"], organisation=d["organisation"], contact_details=d["contact_details"],
            child_name=d["child_name"], previous_cp_referral=d["previous_cp_referral"],
            child_age=d.get("child_age"), local_authority=d.get("local_authority", ""),
            ethnicity=d.get("ethnicity", ""), gender=d.get("gender", ""), languages=d.get("languages", ""),
            disabilities=d.get("disabilities", ""), previous_cp_referral_when=d.get("previous_cp_referral_when", ""),
            level1_assessment_date=d.get("level1_assessment_date"),
        )
        answers = services.FormAAnswers(
            ticked=d["ticked"], evidence=d.get("evidence", {}), not_referring_reason=d.get("not_referring_reason", ""),
            language_flags_kept=d["language_flags_kept"],
        )
        try:
            serializer.instance = services.screening_submit(access=access, header=header, answers=answers)
        except PermissionDenied:
            raise Http404("No such record") from None


class ScreeningDetail(generics.RetrieveAPIView):
    permission_classes = [WorksWithChildren]
    serializer_class = ScreeningSerializer
    lookup_url_kwarg = "screening_id"

    def get_queryset(self):
        child = child_for_user(self.request.user, self.kwargs["child_id"], request=self.request, record_view=True).child
        return Screening.objects.filter(child=child)
