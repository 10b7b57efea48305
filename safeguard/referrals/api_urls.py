"""The referrals API, mounted by safeguard/api/urls.py under /api/ (namespace "api")."""

from django.urls import path

from . import api

urlpatterns = [
    path("referrals/", api.ReferralListCreate.as_view(), name="referrals-list"),
    path("referrals/<int:referral_id>/", api.ReferralDetail.as_view(), name="referrals-detail"),
    path("referrals/<int:referral_id>/status/", api.ReferralStatusChange.as_view(), name="referrals-status"),
    path("referrals/<int:referral_id>/outcome/", api.ReferralOutcome.as_view(), name="referrals-outcome"),
    path("children/<int:child_id>/assessments/", api.AssessmentListCreate.as_view(), name="assessments-list"),
    path("assessments/<int:assessment_id>/", api.AssessmentDetail.as_view(), name="assessments-detail"),
    path("children/<int:child_id>/decisions/", api.DecisionListCreate.as_view(), name="decisions-list"),
    path("decisions/<int:decision_id>/", api.DecisionDetail.as_view(), name="decisions-detail"),
    path(
        "decisions/<int:decision_id>/request-approval/",
        api.DecisionRequestApproval.as_view(),
        name="decisions-request-approval",
    ),
    path("decisions/<int:decision_id>/sign/", api.DecisionSign.as_view(), name="decisions-sign"),
    path("approvals/", api.ApprovalList.as_view(), name="approvals-list"),
    path("approvals/<int:approval_id>/", api.ApprovalDetail.as_view(), name="approvals-detail"),
]
