"""Every write about meetings, reports, decisions, actions and the panel: who may act, the change
under a row lock, the record on each child's file, in one transaction (§10, §13, §14)."""

from safeguard.platform.versioning import StaleEdit

from ._common import AlreadyDone
from .actions import ActionDetails, action_close, action_create, action_update
from .decisions import content_hash, decision_sign
from .meetings import (
    MeetingDetails,
    agenda_build,
    attendance_record,
    meeting_cancel,
    meeting_change,
    meeting_convene,
    meeting_invite,
    minutes_record,
)
from .panel import panel_case_close, panel_case_open, panel_refer, panel_referral_decline
from .reports import attachment_problem, report_request, report_save

__all__ = [
    "ActionDetails",
    "AlreadyDone",
    "MeetingDetails",
    "StaleEdit",
    "action_close",
    "action_create",
    "action_update",
    "agenda_build",
    "attachment_problem",
    "attendance_record",
    "content_hash",
    "decision_sign",
    "meeting_cancel",
    "meeting_change",
    "meeting_convene",
    "meeting_invite",
    "minutes_record",
    "panel_case_close",
    "panel_case_open",
    "panel_refer",
    "panel_referral_decline",
    "report_request",
    "report_save",
]
