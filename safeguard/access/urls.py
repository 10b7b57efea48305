from django.urls import path

from . import views

app_name = "access"

urlpatterns = [
    path("access/break-glass/", views.break_glass_log, name="break_glass_log"),
    path("audit/record-access/", views.record_access, name="record_access"),
    path("access/children/<int:child_id>/ask-to-be-added/", views.involvement_request, name="involvement_request"),
    path("access/involvement-requests/", views.involvement_requests, name="involvement_requests"),
]
