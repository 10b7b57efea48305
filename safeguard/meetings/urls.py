from django.urls import path

from . import views

app_name = "meetings"

_meeting = "<int:meeting_id>/"
_child = "children/<int:child_id>/"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/<str:kind>/", views.convene_group, name="convene_group"),
    path("actions/", views.my_actions, name="my_actions"),
    path("actions/<int:action_id>/", views.action, name="action"),
    path("actions/<int:action_id>/edit/", views.action_edit, name="action_edit"),
    path("panel/", views.panel, name="panel"),
    path("panel/referrals/<int:referral_id>/accept/", views.panel_accept, name="panel_accept"),
    path("panel/referrals/<int:referral_id>/decline/", views.panel_decline, name="panel_decline"),
    path(_child, views.child_meetings, name="child"),
    path(_child + "new/", views.convene, name="convene"),
    path(_child + "actions/new/", views.child_action_add, name="child_action_add"),
    path(_child + "panel/", views.panel_case, name="panel_case"),
    path(_child + "panel/refer/", views.panel_refer, name="panel_refer"),
    path(_child + "panel/close/", views.panel_close, name="panel_close"),
    path(_meeting, views.detail, name="detail"),
    path(_meeting + "change/", views.change, name="change"),
    path(_meeting + "cancel/", views.cancel, name="cancel"),
    path(_meeting + "invite/", views.invite, name="invite"),
    path(_meeting + "attendance/<int:invitation_id>/", views.attendance, name="attendance"),
    path(_meeting + "minutes/", views.minutes, name="minutes"),
    path(_meeting + "decisions/new/", views.decision_add, name="decision_add"),
    path(_meeting + "actions/new/", views.meeting_action_add, name="action_add"),
    path(_meeting + "agenda/", views.agenda_build, name="agenda_build"),
    path(_meeting + "agenda.pdf", views.agenda_download, name="agenda_pdf"),
    path(_meeting + "minutes.pdf", views.minutes_download, name="minutes_pdf"),
    path(_meeting + "children/<int:child_id>/overview/", views.overview, name="overview"),
    path(_meeting + "reports/<int:report_id>/", views.report, name="report"),
    path(_meeting + "reports/<int:report_id>/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
]
