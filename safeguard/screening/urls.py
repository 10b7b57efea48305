from django.urls import path

from safeguard.screening import views

app_name = "screening"

urlpatterns = [
    path("<int:child_id>/screenings/", views.child_screenings, name="list"),
    path("<int:child_id>/screenings/new/", views.screening_new, name="new"),
    path("<int:child_id>/screenings/<int:screening_id>/", views.screening_detail, name="detail"),
    path("<int:child_id>/form-b/<int:form_b_id>/", views.form_b_detail, name="form_b"),
    path("<int:child_id>/form-b/<int:form_b_id>/panel-referral/", views.form_b_panel_referral,
         name="form_b_panel_referral"),
]
