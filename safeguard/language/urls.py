from django.urls import path

from safeguard.language import views

app_name = "language"

urlpatterns = [
    path("check/", views.language_check, name="check"),
]
