"""Pages for meetings, reports, actions and the panel. Each view gets access from
safeguard.access.policy (children) or the meetings selectors (meetings) and makes one domain call."""

from .actions import action, action_edit, child_action_add, meeting_action_add, my_actions
from .meetings import (
    agenda_build,
    attendance,
    cancel,
    change,
    child_meetings,
    convene,
    convene_group,
    decision_add,
    detail,
    index,
    invite,
    minutes,
    overview,
)
from .panel import panel, panel_accept, panel_case, panel_close, panel_decline, panel_refer
from .pdfs import agenda_download, minutes_download
from .reports import attachment, report

__all__ = [
    "action", "action_edit", "agenda_build", "agenda_download", "attachment", "attendance", "cancel", "change",
    "child_action_add", "child_meetings", "convene", "convene_group", "decision_add", "detail", "index", "invite",
    "meeting_action_add", "minutes", "minutes_download", "my_actions", "overview", "panel", "panel_accept",
    "panel_case", "panel_close", "panel_decline", "panel_refer", "report",
]
