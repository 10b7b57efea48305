"""Every write about missing episodes: permission proof (a ``ChildAccess``), change, the record on
the child's file, tasks and alerts, in one transaction (handbook §6, §10.5, §14, §14.1; missing.md).

The rules package decides whether a return interview is required or offered, its priority reasons
and when it is due; ``selectors.cse_risk_known`` supplies ``cse_risk`` from the child's record.
"""

from ._common import DUE_SOON_HOURS, TASK_KIND
from .episodes import (
    CO_MISSING_CANDIDATES,
    RETURN_TEXT_FIELDS,
    EpisodeReport,
    ReturnDetails,
    VisitorDetails,
    _co_missing_find,
    co_missing_find,
    episode_classify,
    episode_report,
    episode_return_record,
    visitor_record,
)
from .interviews import (
    InterviewOutcome,
    interview_arrange,
    interview_outcome_record,
)
from .police import (
    interview_send_to_police,
    interview_snapshot,
    police_agency_default,
    police_submission_receive,
)
from .profiles import (
    NO_PROFILE,
    PROFILE_FIELDS,
    ProfileData,
    photo_problem,
    photo_type,
    profile_send_to_police,
    profile_snapshot,
    profile_update,
)

__all__ = [
    "CO_MISSING_CANDIDATES",
    "DUE_SOON_HOURS",
    "NO_PROFILE",
    "PROFILE_FIELDS",
    "RETURN_TEXT_FIELDS",
    "TASK_KIND",
    "EpisodeReport",
    "InterviewOutcome",
    "ProfileData",
    "ReturnDetails",
    "VisitorDetails",
    "_co_missing_find",
    "co_missing_find",
    "episode_classify",
    "episode_report",
    "episode_return_record",
    "interview_arrange",
    "interview_outcome_record",
    "interview_send_to_police",
    "interview_snapshot",
    "photo_problem",
    "photo_type",
    "police_agency_default",
    "police_submission_receive",
    "profile_send_to_police",
    "profile_snapshot",
    "profile_update",
    "visitor_record",
]
