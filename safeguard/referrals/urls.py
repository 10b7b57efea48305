from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("children/<int:child_id>/new/", views.referral_add, name="create"),
    path("<int:referral_id>/", views.detail, name="detail"),
    path("<int:referral_id>/receive/", views.receive, name="receive"),
    path("<int:referral_id>/accept/", views.accept, name="accept"),
    path("<int:referral_id>/decline/", views.decline, name="decline"),
    path("<int:referral_id>/outcome/", views.outcome, name="outcome"),
    path("<int:referral_id>/pack.pdf", views.pack, name="pack"),
    path("children/<int:child_id>/assessments/new/", views.assessment_add, name="assessment_add"),
    path("assessments/<int:assessment_id>/", views.assessment, name="assessment"),
    path(
        "assessments/<int:assessment_id>/actions/<str:code>/done/",
        views.assessment_action_done,
        name="assessment_action_done",
    ),
    path("consultations/", views.consultations, name="consultations"),
    path("consultations/new/", views.consultation_add, name="consultation_add"),
    path("consultations/<int:consultation_id>/", views.consultation, name="consultation"),
    path("children/<int:child_id>/decisions/", views.child_decisions, name="child_decisions"),
    path("children/<int:child_id>/decisions/new/", views.decision_add, name="decision_add"),
    path("decisions/<int:decision_id>/", views.decision, name="decision"),
    path("decisions/<int:decision_id>/edit/", views.decision_edit, name="decision_edit"),
    path("decisions/<int:decision_id>/request-approval/", views.decision_request_approval, name="decision_request_approval"),
    path("decisions/<int:decision_id>/sign/", views.decision_sign, name="decision_sign"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<int:approval_id>/", views.approval, name="approval"),
]
