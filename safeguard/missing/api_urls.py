"""The missing-episodes API, mounted by safeguard/api/urls.py under /api/ (namespace "api")."""

from django.urls import path

from . import api

urlpatterns = [
    path("missing/episodes/", api.EpisodeListCreate.as_view(), name="missing-episodes"),
    path("missing/episodes/<int:episode_id>/", api.EpisodeDetail.as_view(), name="missing-episode"),
    path(
        "missing/episodes/<int:episode_id>/classification/",
        api.EpisodeClassify.as_view(),
        name="missing-episode-classification",
    ),
    path("missing/episodes/<int:episode_id>/return/", api.EpisodeReturn.as_view(), name="missing-episode-return"),
    path("missing/episodes/<int:episode_id>/return/corrections/", api.EpisodeReturnCorrect.as_view(),
         name="missing-episode-return-correct"),
    path("missing/interviews/", api.InterviewList.as_view(), name="missing-interviews"),
    path("missing/interviews/<int:interview_id>/", api.InterviewDetail.as_view(), name="missing-interview"),
    path(
        "missing/interviews/<int:interview_id>/outcome/",
        api.InterviewOutcome.as_view(),
        name="missing-interview-outcome",
    ),
    path(
        "missing/interviews/<int:interview_id>/police/",
        api.InterviewSendToPolice.as_view(),
        name="missing-interview-police",
    ),
    path("children/<int:child_id>/missing-profile/", api.ProfileDetail.as_view(), name="missing-profile"),
    path("children/<int:child_id>/missing-profile/photo/", api.ProfilePhotoUpload.as_view(),
         name="missing-profile-photo"),
]
