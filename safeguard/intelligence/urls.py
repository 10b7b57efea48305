from django.urls import path

from . import views

app_name = "intelligence"

urlpatterns = [
    path("", views.search, name="search"),
    path("picker/", views.picker, name="picker"),
    path("entities/new/", views.entity_create, name="entity_create"),
    path("entities/<int:entity_id>/", views.entity, name="entity"),
    path("entities/<int:entity_id>/edit/", views.entity_edit, name="entity_edit"),
    path("entities/<int:entity_id>/link/", views.entity_link, name="entity_link"),
    path("entities/<int:entity_id>/disruption/", views.disruption_add, name="disruption_add"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:alert_id>/", views.alert, name="alert"),
    path("alerts/<int:alert_id>/action/", views.alert_action, name="alert_action"),
    path("networks/<int:network_id>/", views.network, name="network"),
    path("review/", views.review, name="review"),
    path("review/<int:item_id>/done/", views.review_done, name="review_done"),
    path("children/<int:child_id>/", views.child, name="child"),
    path("children/<int:child_id>/links/new/", views.link_add, name="link_add"),
    path("children/<int:child_id>/movements/new/", views.movement_add, name="movement_add"),
    path("children/<int:child_id>/nrm/new/", views.nrm_add, name="nrm_add"),
    path("children/<int:child_id>/nrm/<int:nrm_id>/", views.nrm, name="nrm"),
]
