"""The screenings API, mounted by safeguard/api/urls.py under /api/ (namespace "api")."""

from django.urls import path

from safeguard.screening import api

urlpatterns = [
    path("children/<int:child_id>/screenings/", api.ScreeningListCreate.as_view(), name="children-screenings"),
    path("children/<int:child_id>/screenings/<int:screening_id>/", api.ScreeningDetail.as_view(),
         name="children-screening"),
]
