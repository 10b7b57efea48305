from django.urls import path

from . import views

app_name = "access"

urlpatterns = [
    path("break-glass/", views.break_glass_log, name="break_glass_log"),
]
