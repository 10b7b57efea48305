from django.urls import path

from . import views

app_name = "guidance"

urlpatterns = [
    path("", views.index, name="index"),
    path("resources/", views.resources, name="resources"),
    path("resources/new/", views.resource_add, name="resource_add"),
    path("resources/<int:resource_id>/", views.resource_edit, name="resource_edit"),
    path("who-to-call/", views.who_to_call, name="who_to_call"),
    path("my-contact-details/", views.my_contact_details, name="my_contact_details"),
    path("<slug:slug>/", views.page, name="page"),
]
