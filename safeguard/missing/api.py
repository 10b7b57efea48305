"""REST endpoints for missing episodes, return interviews and profiles (issue 6 item 7).

The same access rules as the pages: lists start from ``children_visible_to``; one record is found,
then its child is loaded through ``child_for_user``, so a record the user may not see is 404 like
one that does not exist. Writes go through the same services as the pages.
"""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from safeguard.access.policy import ChildAccess, child_for_user, children_visible_to, session_key
from safeguard.api.pagination import keyset
from safeguard.api.permissions import WorksWithChildren
from safeguard.platform.ids import parse_id
from safeguard.platform.versioning import etag, expected_version

from . import selectors, services
from .models import Episode, Profile, ReturnInterview
from .serializers import (
    MissingClassifySerializer,
    MissingEpisodeCreateSerializer,
    MissingEpisodeSerializer,
    MissingInterviewSerializer,
    MissingOutcomeSerializer,
    MissingProfileSerializer,
    MissingReturnCorrectionSerializer,
    MissingReturnSerializer,
    ReturnCorrectionSerializer,
)

# -- views -----------------------------------------------------------------------------------------


def _visible(request):
    return children_visible_to(request.user, session_key=session_key(request))


def _episodes(base=None):
    return (Episode.objects.all() if base is None else base).select_related("agency", "reported_by", "interview").prefetch_related(
        "classification_changes__changed_by", "return_corrections__corrected_by", "return_corrections__agency"
    )


def _episode_for(request, episode_id, *, change: bool = False) -> tuple[Episode, ChildAccess]:
    """The episode, then its child's access from the policy: 404 if either is not there for this user."""
    episode = _episodes().filter(pk=episode_id).first()
    if episode is None:
        raise Http404("No such episode")
    access = child_for_user(request.user, episode.child_id, request=request, change=change, record_view=not change)
    episode.child = access.child
    return episode, access


def _interview_for(request, interview_id, *, change: bool = False) -> tuple[ReturnInterview, ChildAccess]:
    interview = (
        ReturnInterview.objects.select_related("episode", "interviewer", "interviewer_agency")
        .prefetch_related("police_submissions__sent_by")
        .filter(pk=interview_id)
        .first()
    )
    if interview is None:
        raise Http404("No such interview")
    access = child_for_user(request.user, interview.child_id, request=request, change=change, record_view=not change)
    interview.child = access.child
    return interview, access


@extend_schema(parameters=[OpenApiParameter("child", int, description="Only this child's episodes")])
class EpisodeListCreate(generics.ListCreateAPIView):
    """Episodes of children the user may see, newest first, a page at a time (follow ``next``); report
    a new episode."""

    permission_classes = [WorksWithChildren]
    pagination_class = keyset("-last_seen_at", "-id")  # index episode_recent_child
    serializer_class = MissingEpisodeSerializer

    def get_queryset(self):
        episodes = _episodes(selectors.episodes_among(_visible(self.request)))
        child = self.request.query_params.get("child")
        if child:
            number = parse_id(child)
            if number is None:
                raise ApiValidationError({"child": ["A record number is a whole number"]})
            episodes = episodes.filter(child_id=number)
        return episodes.order_by("-last_seen_at", "-id")

    @extend_schema(request=MissingEpisodeCreateSerializer, responses={201: MissingEpisodeSerializer})
    def post(self, request, *args, **kwargs):
        data = MissingEpisodeCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        access = child_for_user(request.user, d["child"], request=request, change=True)
        episode = services.episode_report(
            access=access,
            report=services.EpisodeReport(
                missing_from=d["missing_from"], last_seen_at=d["last_seen_at"], classification=d["classification"],
                placement=d["placement"], last_seen_where=d["last_seen_where"], circumstances=d["circumstances"],
                reported_to_police=d["reported_to_police"], police_reported_at=d["police_reported_at"],
                police_reference=d["police_reference"],
            ),
            send_profile=d["send_profile"],
            language_flags_kept=d["language_flags_kept"] if d["keep_wording"] else None,
        )
        return Response(MissingEpisodeSerializer(_episodes().get(pk=episode.pk)).data, status=status.HTTP_201_CREATED)


class EpisodeDetail(generics.RetrieveAPIView):
    permission_classes = [WorksWithChildren]
    serializer_class = MissingEpisodeSerializer

    def get_object(self):
        return _episode_for(self.request, self.kwargs["episode_id"])[0]


class EpisodeClassify(APIView):
    """Change the classification (absent / missing) with the reason (§14)."""

    permission_classes = [WorksWithChildren]

    @extend_schema(request=MissingClassifySerializer, responses={200: MissingEpisodeSerializer})
    def post(self, request, episode_id: int):
        episode, access = _episode_for(request, episode_id, change=True)
        data = MissingClassifySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        services.episode_classify(access=access, episode=episode, classification=d["classification"],
                                  reason=d["reason"], version=expected_version(request, d))
        return Response(MissingEpisodeSerializer(_episodes().get(pk=episode.pk)).data)


class EpisodeReturn(APIView):
    """Record the return; the answer is the return interview the rules asked for (§14.1)."""

    permission_classes = [WorksWithChildren]

    @extend_schema(request=MissingReturnSerializer, responses={201: MissingInterviewSerializer})
    def post(self, request, episode_id: int):
        episode, access = _episode_for(request, episode_id, change=True)
        data = MissingReturnSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        kept = d.pop("language_flags_kept")
        keep = d.pop("keep_wording")
        interview = services.episode_return_record(
            access=access, episode=episode, details=services.ReturnDetails(**d),
            language_flags_kept=kept if keep else None,
        )
        return Response(MissingInterviewSerializer(interview).data, status=status.HTTP_201_CREATED)


class EpisodeReturnCorrect(APIView):
    """Correct the recorded return (issue 10): what was first recorded, who corrected it, when and why
    are kept; an interview not yet held is worked out again from the corrected facts (§14.1)."""

    permission_classes = [WorksWithChildren]

    @extend_schema(request=MissingReturnCorrectionSerializer, responses={201: ReturnCorrectionSerializer, 409: None})
    def post(self, request, episode_id: int):
        episode, access = _episode_for(request, episode_id, change=True)
        data = MissingReturnCorrectionSerializer(data=request.data, episode=episode)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        kept, keep = d.pop("language_flags_kept"), d.pop("keep_wording")
        reason, seen = d.pop("reason"), d.pop("seen_corrections")
        correction = services.episode_return_correct(
            access=access, episode=episode, details=services.ReturnDetails(**d), reason=reason,
            seen_corrections=seen, language_flags_kept=kept if keep else None,
        )
        return Response(ReturnCorrectionSerializer(correction).data, status=status.HTTP_201_CREATED)


@extend_schema(
    parameters=[
        OpenApiParameter("status", str, enum=ReturnInterview.Status.values),
        OpenApiParameter("overdue", bool, description="Only pending interviews past their due time"),
    ]
)
class InterviewList(generics.ListAPIView):
    """Return interviews of children the user may see, soonest due first, a page at a time."""

    permission_classes = [WorksWithChildren]
    pagination_class = keyset("due_at", "id")  # index interview_due_order
    serializer_class = MissingInterviewSerializer

    def get_queryset(self):
        interviews = (
            selectors.interviews_among(_visible(self.request))
            .select_related("interviewer", "interviewer_agency")
            .prefetch_related("police_submissions__sent_by")
            .order_by("due_at", "id")
        )
        wanted = self.request.query_params.get("status")
        if wanted:
            if wanted not in ReturnInterview.Status.values:
                raise ApiValidationError({"status": [f"Use one of {', '.join(ReturnInterview.Status.values)}"]})
            interviews = interviews.filter(status=wanted)
        if self.request.query_params.get("overdue") in ("true", "1", "yes"):
            interviews = interviews.filter(status=ReturnInterview.Status.PENDING, due_at__lt=timezone.now())
        return interviews


class InterviewDetail(generics.RetrieveAPIView):
    permission_classes = [WorksWithChildren]
    serializer_class = MissingInterviewSerializer

    def get_object(self):
        return _interview_for(self.request, self.kwargs["interview_id"])[0]


class InterviewOutcome(APIView):
    """Completed (by an independent interviewer), declined, or not conducted with the reason (§14.1)."""

    permission_classes = [WorksWithChildren]

    @extend_schema(request=MissingOutcomeSerializer, responses={200: MissingInterviewSerializer})
    def post(self, request, interview_id: int):
        interview, access = _interview_for(request, interview_id, change=True)
        data = MissingOutcomeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        kept, keep = d.pop("language_flags_kept"), d.pop("keep_wording")
        services.interview_outcome_record(
            access=access, interview=interview, result=services.InterviewOutcome(**d),
            language_flags_kept=kept if keep else None,
        )
        return Response(MissingInterviewSerializer(_interview_for(request, interview_id)[0]).data)


class InterviewSendToPolice(APIView):
    """Send the completed form, or the reason none took place, to the police inbox (§14.1)."""

    permission_classes = [WorksWithChildren]

    @extend_schema(request=None, responses={201: MissingInterviewSerializer})
    def post(self, request, interview_id: int):
        interview, access = _interview_for(request, interview_id, change=True)
        services.interview_send_to_police(access=access, interview=interview)
        return Response(
            MissingInterviewSerializer(_interview_for(request, interview_id)[0]).data, status=status.HTTP_201_CREATED
        )


class ProfileDetail(APIView):
    """The child's profile for the police; PUT replaces its text (a photo is uploaded to ``photo/``)."""

    permission_classes = [WorksWithChildren]

    @extend_schema(responses={200: MissingProfileSerializer})
    def get(self, request, child_id: int):
        access = child_for_user(request.user, child_id, request=request, record_view=True)
        profile = Profile.objects.select_related("updated_by").filter(child=access.child).first()
        if profile is None:
            raise Http404("No profile yet")
        return Response(MissingProfileSerializer(profile).data, headers={"ETag": etag(profile)})

    @extend_schema(request=MissingProfileSerializer, responses={200: MissingProfileSerializer})
    def put(self, request, child_id: int):
        access = child_for_user(request.user, child_id, request=request, change=True)
        data = MissingProfileSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        profile = services.profile_update(
            access=access, data=services.ProfileData(**{name: d.get(name, "") for name in services.PROFILE_FIELDS}),
            version=expected_version(request, d),
        )
        return Response(MissingProfileSerializer(profile).data, headers={"ETag": etag(profile)})


class ProfilePhotoUploadSerializer(serializers.Serializer):
    photo = serializers.FileField(help_text="A JPG or PNG; its metadata (EXIF, GPS) is not kept")


class ProfilePhotoUpload(APIView):
    """Upload a new photo for the child's profile (multipart, field ``photo``): the same checks as the
    page (size, JPG or PNG by content, pixels), metadata stripped; the profile's text is unchanged."""

    permission_classes = [WorksWithChildren]
    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": ProfilePhotoUploadSerializer},
                   responses={201: MissingProfileSerializer})
    def post(self, request, child_id: int):
        access = child_for_user(request.user, child_id, request=request, change=True)
        data = ProfilePhotoUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        profile = services.profile_photo_add(access=access, photo=data.validated_data["photo"])
        return Response(MissingProfileSerializer(profile).data, status=status.HTTP_201_CREATED)
