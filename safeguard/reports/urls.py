from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("board/", views.board, name="board"),
    path("board/csv/", views.board_csv, name="board_csv"),
    path("board/pdf/", views.board_pdf, name="board_pdf"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("local-profile/", views.local_profile, name="local_profile"),
    path("training/", views.training, name="training"),
    path("training/<int:user_id>/", views.training_edit, name="training_edit"),
]
