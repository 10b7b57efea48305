from django.urls import path

from . import views

app_name = "ui"

urlpatterns = [
    path("accessibility-statement/", views.accessibility, name="accessibility"),
    path("privacy-notice/", views.privacy, name="privacy"),
]
