"""The children API, mounted by safeguard/api/urls.py under /api/ (namespace "api")."""

from django.urls import path

from . import api

urlpatterns = [
    path("children/", api.ChildListCreate.as_view(), name="children-list"),
    path("children/search/", api.ChildSearch.as_view(), name="children-search"),
    path("children/<int:child_id>/", api.ChildDetail.as_view(), name="children-detail"),
    path(
        "children/<int:child_id>/observations/",
        api.ObservationListCreate.as_view(),
        name="children-observations",
    ),
    path("children/<int:child_id>/chronology/", api.ChronologyList.as_view(), name="children-chronology"),
]
