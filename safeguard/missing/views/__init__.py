"""Pages for missing episodes, return interviews, the review list, the profile and the police inbox.
Each view gets the child's access from safeguard.access.policy and makes one domain call."""

from .episodes import (
    child_missing,
    classify,
    episode,
    interview,
    interview_arrange,
    interview_outcome,
    interview_pdf,
    interview_send,
    report,
    return_correct,
    return_record,
)
from .lists import police_inbox, police_submission, police_submission_pdf, police_submission_receive, review
from .profiles import profile, profile_edit, profile_pdf, profile_photo, profile_send, visitor, visitor_add

__all__ = [
    "child_missing",
    "classify",
    "episode",
    "interview",
    "interview_arrange",
    "interview_outcome",
    "interview_pdf",
    "interview_send",
    "police_inbox",
    "police_submission",
    "police_submission_pdf",
    "police_submission_receive",
    "profile",
    "profile_edit",
    "profile_pdf",
    "profile_photo",
    "profile_send",
    "report",
    "return_correct",
    "return_record",
    "review",
    "visitor",
    "visitor_add",
]
