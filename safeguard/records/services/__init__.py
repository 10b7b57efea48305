"""Every write of the records app: retention schedules, legal holds, disposal, subject access."""

from .disposal import (
    DisposalRefused,
    disposal_sign,
    legal_hold_lift,
    legal_hold_place,
    record_dispose,
    retention_schedule_refresh,
    retention_schedules_fill,
    retention_schedules_write,
)
from .subject_access import (
    subject_access_open,
    subject_access_redact,
    subject_access_release,
    subject_access_unredact,
)

__all__ = [
    "DisposalRefused",
    "disposal_sign",
    "legal_hold_lift",
    "legal_hold_place",
    "record_dispose",
    "retention_schedule_refresh",
    "retention_schedules_fill",
    "retention_schedules_write",
    "subject_access_open",
    "subject_access_redact",
    "subject_access_release",
    "subject_access_unredact",
]
