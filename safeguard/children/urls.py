from django.urls import path

from . import views

app_name = "children"

urlpatterns = [
    path("", views.search, name="search"),
    path("new/", views.create, name="create"),
    path("<int:child_id>/", views.detail, name="detail"),
    path("<int:child_id>/edit/", views.edit, name="edit"),
    path("<int:child_id>/other-names/new/", views.alias_add, name="alias_add"),
    path("<int:child_id>/merge/", views.merge, name="merge"),
    path("<int:child_id>/chronology/", views.chronology, name="chronology"),
    path("<int:child_id>/observations/new/", views.observation_add, name="observation_add"),
    path("<int:child_id>/observations/<int:observation_id>/", views.observation, name="observation"),
    path("<int:child_id>/notes/new/", views.entry_add, name="entry_add"),
    path("<int:child_id>/notes/<int:entry_id>/", views.entry, name="entry"),
    path("<int:child_id>/break-glass/", views.break_glass, name="break_glass"),
    path("<int:child_id>/ask-to-be-added/", views.involvement_request, name="involvement_request"),
    path("requests-to-be-added/", views.involvement_requests, name="involvement_requests"),
]
