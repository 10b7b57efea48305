from django.urls import path

from . import views

app_name = "children"

urlpatterns = [
    path("", views.search, name="search"),
    path("<int:child_id>/", views.detail, name="detail"),
    path("<int:child_id>/break-glass/", views.break_glass, name="break_glass"),
]
