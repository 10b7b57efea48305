from django.urls import path

from . import views

app_name = "access"

urlpatterns = [
    path("access/break-glass/", views.break_glass_log, name="break_glass_log"),
    path("audit/record-access/", views.record_access, name="record_access"),
]
