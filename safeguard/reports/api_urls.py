"""The reports API, mounted by safeguard/api/urls.py under /api/ (namespace "api")."""

from django.urls import path

from . import api

urlpatterns = [
    path("reports/board/", api.BoardReportView.as_view(), name="reports-board"),
    path("reports/dashboard/", api.DashboardView.as_view(), name="reports-dashboard"),
]
