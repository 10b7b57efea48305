"""The meetings API, mounted by safeguard/api/urls.py under /api/ (namespace "api")."""

from django.urls import path

from . import api

urlpatterns = [
    path("meetings/", api.MeetingList.as_view(), name="meetings"),
    path("meetings/<int:meeting_id>/", api.MeetingDetail.as_view(), name="meeting"),
    path("meetings/<int:meeting_id>/reports/<int:report_id>/", api.MeetingReportDetail.as_view(), name="meeting-report"),
    path("actions/", api.ActionList.as_view(), name="meeting-actions"),
    path("actions/<int:action_id>/", api.ActionDetail.as_view(), name="meeting-action"),
    path("actions/<int:action_id>/close/", api.ActionClose.as_view(), name="meeting-action-close"),
]
