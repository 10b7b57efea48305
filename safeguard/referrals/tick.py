"""The referrals app's scheduled checks, run by ``safeguard tick`` (see ``safeguard.platform.tick``)."""

from __future__ import annotations

from datetime import datetime

from safeguard.platform.tick import tick_check

from . import services


@tick_check
def approvals_escalate_overdue(*, now: datetime) -> int:
    """Approvals not given in time are escalated to the agency's named leads, once (§9.7)."""
    return services.approvals_escalate_overdue(now)
