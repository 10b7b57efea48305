"""REST endpoints for children, observations and the merged chronology (issue 4 item 8).

The same access rules as the pages: lists come from ``children_visible_to``, one child from
``child_for_user`` (a child the user may not see is 404, like one that does not exist), and
every read of a child's data is audited.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from safeguard.access.policy import child_for_user, children_visible_for
from safeguard.api.pagination import keyset
from safeguard.api.permissions import WorksWithChildren
from safeguard.language.serializers import LanguageCheckedSerializerMixin, keep_wording_field
from safeguard.platform.ids import IdField
from safeguard.platform.validators import DETAILS_MAX_LENGTH, RealDateField, RealDateTimeField

from . import selectors, services
from .identifiers import nhs_number_normalise, nhs_number_problem, upn_normalise, upn_problem
from .indicators import INDICATOR_CODES
from .models import Child, ChildName, ChronologyItem, Gender, Involvement, Observation, Source

# -- serializers -----------------------------------------------------------------------------


class NameSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChildName
        fields = ["first_name", "last_name", "kind"]


class ChildSerializer(serializers.ModelSerializer):
    age = serializers.SerializerMethodField()
    names = NameSerializer(many=True, read_only=True)
    involved_agencies = serializers.SerializerMethodField()
    lead_agency: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(read_only=True)
    lead_professional: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Child
        fields = [
            "id",
            "first_name",
            "last_name",
            "preferred_name",
            "names",
            "date_of_birth",
            "age",
            "gender",
            "ethnicity",
            "languages",
            "disabilities",
            "local_authority",
            "looked_after",
            "placement",
            "school",
            "nhs_number",
            "unique_pupil_number",
            "police_reference",
            "lead_agency",
            "lead_professional",
            "involved_agencies",
            "version",
        ]

    def get_age(self, child: Child) -> int | None:
        return child.age_on(timezone.localdate())

    def get_involved_agencies(self, child: Child) -> list[dict]:
        return [
            {"id": i.agency_id, "name": i.agency.name, "reason": i.reason} for i in child.involvements.all()
        ]


class AliasInSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=100, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=100, allow_blank=True, default="")


class ChildCreateSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    preferred_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    date_of_birth = RealDateField(required=False, allow_null=True, default=None)
    gender = serializers.ChoiceField(choices=Gender.choices, default=Gender.NOT_KNOWN)
    ethnicity = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    languages = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    disabilities = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    local_authority = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    looked_after = serializers.BooleanField(default=False)
    placement = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    school = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    nhs_number = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    unique_pupil_number = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    police_reference = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    aliases = AliasInSerializer(many=True, required=False, default=list)
    not_a_duplicate = serializers.BooleanField(
        default=False,
        help_text="Set to true after checking the possible matches a first attempt returned (409).",
    )
    confirm_duplicate_reason = serializers.CharField(
        max_length=1000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Needed when a record with the same name and date of birth exists (409 with same_child): "
        "why this is a different child. Recorded in the audit trail.",
    )

    def validate_date_of_birth(self, value):
        if value and value > timezone.localdate():
            raise serializers.ValidationError("Date of birth must be today or in the past")
        return value

    def validate_nhs_number(self, value: str) -> str:
        if value.strip() and (problem := nhs_number_problem(value)):
            raise serializers.ValidationError(problem)
        return nhs_number_normalise(value)

    def validate_unique_pupil_number(self, value: str) -> str:
        if value.strip() and (problem := upn_problem(value)):
            raise serializers.ValidationError(problem)
        return upn_normalise(value)

    def to_data(self) -> services.ChildData:
        d = dict(self.validated_data)
        aliases = [
            (a["first_name"], a["last_name"]) for a in d.pop("aliases") if a["first_name"] or a["last_name"]
        ]
        first, last = d.pop("first_name"), d.pop("last_name")
        d.pop("not_a_duplicate")
        d.pop("confirm_duplicate_reason")
        return services.ChildData(first, last, values=d, aliases=aliases)


class SearchInSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, help_text="First and last name in any order, or one name")
    date_of_birth = RealDateField(required=False, allow_null=True, default=None)

    def validate_name(self, value):
        if not " ".join(value.split()):
            raise serializers.ValidationError("Enter the child's name")
        return " ".join(value.split())

    def validate_date_of_birth(self, value):
        if value and value > timezone.localdate():
            raise serializers.ValidationError("The date of birth must be today or in the past")
        return value


class SearchMatchSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="child.pk")
    name = serializers.CharField(source="child.full_name")
    date_of_birth = serializers.DateField(source="child.date_of_birth", allow_null=True)
    name_matched = serializers.CharField(source="matched_name")
    matched_alias = serializers.BooleanField()
    score = serializers.FloatField()
    same_child = serializers.BooleanField(help_text="Same name and date of birth: this looks like the same child")


class SearchOutSerializer(serializers.Serializer):
    matches = SearchMatchSerializer(many=True, source="visible_matches")
    possible_match_in_another_agency = serializers.BooleanField(source="hidden_match_exists")


class ObservationSerializer(LanguageCheckedSerializerMixin, serializers.ModelSerializer):
    language_checked_fields = ("details", "people", "places", "vehicles")
    indicators = serializers.ListField(
        child=serializers.ChoiceField(choices=INDICATOR_CODES), allow_empty=False
    )
    recorded_by = serializers.SerializerMethodField()
    agency: serializers.StringRelatedField[Any] = serializers.StringRelatedField()
    keep_wording = keep_wording_field()
    occurred_at = RealDateTimeField()
    details = serializers.CharField(max_length=DETAILS_MAX_LENGTH)

    class Meta:
        model = Observation
        fields = [
            "id",
            "indicators",
            "occurred_at",
            "occurred_time_known",
            "recorded_at",
            "recorded_by",
            "agency",
            "source",
            "source_detail",
            "details",
            "people",
            "places",
            "vehicles",
            "language_flags_kept",
            "keep_wording",
        ]
        read_only_fields = ["recorded_at", "language_flags_kept"]

    def get_recorded_by(self, observation: Observation) -> str:
        user = observation.recorded_by
        return user.get_full_name() or user.username

    def validate_occurred_at(self, value):
        if value > timezone.now():
            raise serializers.ValidationError("The time it happened must be in the past")
        return value

    def validate(self, attrs):
        if attrs.get("source") == Source.TOLD_BY_OTHER and not attrs.get("source_detail", "").strip():
            raise serializers.ValidationError(
                {"source_detail": "Say who told you: their role or relationship"}
            )
        return super().validate(attrs)


class ChronologyItemSerializer(serializers.ModelSerializer):
    agency = serializers.SerializerMethodField()
    author = serializers.SerializerMethodField()

    class Meta:
        model = ChronologyItem
        fields = ["id", "occurred_at", "recorded_at", "kind", "summary", "tags", "agency", "author", "url"]

    def get_agency(self, item) -> dict | None:
        return {"id": item.agency_id, "name": item.agency.name} if item.agency_id else None

    def get_author(self, item) -> str:
        return (item.author.get_full_name() or item.author.username) if item.author_id else ""


class ChronologyFilterSerializer(serializers.Serializer):
    agency = IdField(required=False)
    kind = serializers.ChoiceField(choices=ChronologyItem.Kind.choices, required=False)
    date_from = RealDateField(required=False, future_ok=True)
    date_to = RealDateField(required=False, future_ok=True)


# -- views -----------------------------------------------------------------------------------


def _with_details(queryset):
    return queryset.select_related("lead_agency").prefetch_related(
        "names",
        Prefetch("involvements", queryset=Involvement.objects.select_related("agency").order_by("since")),
    )


class ChildListCreate(generics.ListCreateAPIView):
    """Children the user may see, newest record first, a page at a time (follow ``next``); create a
    child (after a search for possible duplicates)."""

    permission_classes = [WorksWithChildren]
    pagination_class = keyset("-id")  # the primary key: no sort, no count, whatever the number of records

    def get_serializer_class(self):
        return ChildCreateSerializer if self.request.method == "POST" else ChildSerializer

    def get_queryset(self):
        return _with_details(children_visible_for(self.request)).order_by("-id")

    @extend_schema(request=ChildCreateSerializer, responses={201: ChildSerializer})
    def post(self, request, *args, **kwargs):
        serializer = ChildCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        found = selectors.child_search(
            request.user,
            name=f"{data['first_name']} {data['last_name']}",
            date_of_birth=data["date_of_birth"],
            visible=children_visible_for(request),
        )
        reason = data["confirm_duplicate_reason"].strip()
        same = found.same_child
        if (same or found.hidden_same_child) and not reason:
            return Response(
                {
                    "detail": "This looks like the same child: a record with the same name and date of birth "
                    "exists. Use it, or send the request again with confirm_duplicate_reason saying why "
                    "this is a different child.",
                    "same_child": same.child.pk if same else None,
                    "possible_matches": [m.child.pk for m in found.visible_matches],
                    "possible_match_in_another_agency": found.hidden_match_exists,
                },
                status=status.HTTP_409_CONFLICT,
            )
        if not (data["not_a_duplicate"] or reason) and (found.visible_matches or found.hidden_match_exists):
            return Response(
                {
                    "detail": "Possible matches exist. Check them; if none is this child, send the request "
                    "again with not_a_duplicate: true.",
                    "possible_matches": [m.child.pk for m in found.visible_matches],
                    "possible_match_in_another_agency": found.hidden_match_exists,
                },
                status=status.HTTP_409_CONFLICT,
            )
        child = services.child_create(
            actor=request.user,
            data=serializer.to_data(),
            duplicate_of=tuple(m.child.pk for m in found.visible_matches if m.same_child),
            duplicate_reason=reason if (same or found.hidden_same_child) else "",
        )
        child = _with_details(Child.objects.filter(pk=child.pk)).get()
        return Response(ChildSerializer(child).data, status=status.HTTP_201_CREATED)


class ChildSearch(generics.GenericAPIView):
    """Search before create: the same search as the page, audited the same way (no name in the trail).

    Answers the matches the user may see (id, name matched, score) and whether a likely match exists
    in another agency (never which). The name goes in the body, never the URL.
    """

    permission_classes = [WorksWithChildren]
    serializer_class = SearchInSerializer

    @extend_schema(request=SearchInSerializer, responses={200: SearchOutSerializer})
    def post(self, request, *args, **kwargs):
        serializer = SearchInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        found = selectors.child_search(
            request.user,
            name=serializer.validated_data["name"],
            date_of_birth=serializer.validated_data["date_of_birth"],
            visible=children_visible_for(request),
        )
        return Response(SearchOutSerializer(found).data)


class ChildDetail(generics.RetrieveAPIView):
    permission_classes = [WorksWithChildren]
    serializer_class = ChildSerializer

    def get_object(self):
        access = child_for_user(
            self.request.user, self.kwargs["child_id"], request=self.request, record_view=True
        )
        return _with_details(Child.objects.filter(pk=access.child.pk)).get()


class ObservationListCreate(generics.ListCreateAPIView):
    permission_classes = [WorksWithChildren]
    serializer_class = ObservationSerializer

    def _access(self, *, change: bool = False):
        return child_for_user(
            self.request.user,
            self.kwargs["child_id"],
            request=self.request,
            change=change,
            record_view=not change,
        )

    def get_queryset(self):
        child = self._access().child
        return (
            Observation.objects.filter(child=child)
            .select_related("recorded_by", "agency")
            .order_by("-occurred_at", "-id")
        )

    def create(self, request, *args, **kwargs):
        # Access first: a child the user may not see is 404 before anything about the body is said.
        self._child_access = self._access(change=True)
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        access = self._child_access
        if access.child.merged_into_id:
            raise ApiValidationError(
                {"detail": f"This record was merged into record {access.child.merged_into_id}"}
            )
        d = serializer.validated_data
        serializer.instance = services.observation_record(
            access=access,
            indicators=d["indicators"],
            happened=services.WhatHappened(
                occurred_at=d["occurred_at"],
                occurred_time_known=d.get("occurred_time_known", True),
                source=d["source"],
                source_detail=d.get("source_detail", ""),
            ),
            details=d["details"],
            people=d.get("people", ""),
            places=d.get("places", ""),
            vehicles=d.get("vehicles", ""),
            language_flags_kept=d["language_flags_kept"] if d.get("keep_wording") else None,
        )


@extend_schema(
    parameters=[
        OpenApiParameter("agency", int, description="Only this agency's items"),
        OpenApiParameter("kind", str, enum=ChronologyItem.Kind.values),
        OpenApiParameter("date_from", str, description="YYYY-MM-DD, inclusive"),
        OpenApiParameter("date_to", str, description="YYYY-MM-DD, inclusive"),
    ]
)
class ChronologyList(generics.ListAPIView):
    """The child's merged chronology, newest first, filtered like the page."""

    permission_classes = [WorksWithChildren]
    serializer_class = ChronologyItemSerializer

    def get_queryset(self):
        access = child_for_user(
            self.request.user, self.kwargs["child_id"], request=self.request, record_view=True
        )
        filters = ChronologyFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        f = filters.validated_data
        return selectors.chronology_items(
            access.child,
            agency_id=f.get("agency"),
            kind=f.get("kind"),
            date_from=f.get("date_from"),
            date_to=f.get("date_to"),
        )
