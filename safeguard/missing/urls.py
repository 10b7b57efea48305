from django.urls import path

from . import views

app_name = "missing"

_episode = "children/<int:child_id>/episodes/<int:episode_id>/"

urlpatterns = [
    path("", views.review, name="review"),
    path("police/", views.police_inbox, name="police_inbox"),
    path("police/<int:submission_id>/", views.police_submission, name="police_submission"),
    path("police/<int:submission_id>/pdf/", views.police_submission_pdf, name="police_submission_pdf"),
    path("police/<int:submission_id>/received/", views.police_submission_receive, name="police_submission_receive"),
    path("children/<int:child_id>/", views.child_missing, name="child"),
    path("children/<int:child_id>/report/", views.report, name="report"),
    path(_episode, views.episode, name="episode"),
    path(_episode + "classification/", views.classify, name="classify"),
    path(_episode + "return/", views.return_record, name="return"),
    path(_episode + "return/correct/", views.return_correct, name="return_correct"),
    path(_episode + "interview/", views.interview, name="interview"),
    path(_episode + "interview/interviewer/", views.interview_arrange, name="interview_arrange"),
    path(_episode + "interview/outcome/", views.interview_outcome, name="interview_outcome"),
    path(_episode + "interview/send/", views.interview_send, name="interview_send"),
    path(_episode + "interview/pdf/", views.interview_pdf, name="interview_pdf"),
    path("children/<int:child_id>/profile/", views.profile, name="profile"),
    path("children/<int:child_id>/profile/edit/", views.profile_edit, name="profile_edit"),
    path("children/<int:child_id>/profile/send/", views.profile_send, name="profile_send"),
    path("children/<int:child_id>/profile/pdf/", views.profile_pdf, name="profile_pdf"),
    path("children/<int:child_id>/profile/photos/<int:photo_id>/", views.profile_photo, name="profile_photo"),
    path("children/<int:child_id>/visitors/new/", views.visitor_add, name="visitor_add"),
    path("children/<int:child_id>/visitors/<int:visitor_id>/", views.visitor, name="visitor"),
]
