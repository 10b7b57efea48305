from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("record-access/", views.child_access, name="child_access"),
]
