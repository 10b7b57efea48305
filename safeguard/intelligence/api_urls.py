"""The intelligence API, mounted by safeguard/api/urls.py under /api/ (namespace "api")."""

from django.urls import path

from . import api

urlpatterns = [
    path("intelligence/entities/", api.EntityListCreate.as_view(), name="intelligence-entities"),
    path("intelligence/entities/<int:entity_id>/", api.EntityDetail.as_view(), name="intelligence-entity"),
    path("intelligence/entities/<int:entity_id>/disruptions/", api.DisruptionListCreate.as_view(),
         name="intelligence-disruptions"),
    path("intelligence/links/", api.LinkListCreate.as_view(), name="intelligence-links"),
    path("intelligence/alerts/", api.AlertList.as_view(), name="intelligence-alerts"),
    path("intelligence/alerts/<int:alert_id>/", api.AlertDetail.as_view(), name="intelligence-alert"),
    path("intelligence/alerts/<int:alert_id>/actions/", api.AlertActionCreate.as_view(),
         name="intelligence-alert-actions"),
    path("children/<int:child_id>/nrm/", api.NrmListCreate.as_view(), name="intelligence-nrm"),
    path("intelligence/nrm/<int:nrm_id>/decision/", api.NrmDecision.as_view(), name="intelligence-nrm-decision"),
]
