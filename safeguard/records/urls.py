from django.urls import path

from . import views

app_name = "records"

_child = "children/<int:child_id>/"
_sar = _child + "subject-access/<int:request_id>/"

urlpatterns = [
    path("", views.review, name="review"),
    path("disposed/", views.disposals, name="disposals"),
    path(_child, views.child_records, name="child"),
    path(_child + "holds/", views.hold_place, name="hold_place"),
    path(_child + "holds/<int:hold_id>/lift/", views.hold_lift, name="hold_lift"),
    path(_child + "disposal/", views.disposal_sign, name="disposal_sign"),
    path(_child + "disposal/<int:decision_id>/", views.dispose, name="dispose"),
    path(_child + "subject-access/", views.sar_open, name="sar_open"),
    path(_sar, views.sar, name="sar"),
    path(_sar + "redact/", views.sar_redact, name="sar_redact"),
    path(_sar + "unredact/", views.sar_unredact, name="sar_unredact"),
    path(_sar + "release/", views.sar_release, name="sar_release"),
    path(_sar + "pdf/", views.sar_pdf, name="sar_pdf"),
    path(_sar + "json/", views.sar_json, name="sar_json"),
]
