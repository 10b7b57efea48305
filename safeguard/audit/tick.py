"""The audit trail's scheduled check, run by ``safeguard tick`` (see ``safeguard.platform.tick``)."""

from __future__ import annotations

from datetime import datetime

from safeguard.platform.tick import tick_check

from .services import audit_tick


@tick_check
def audit_seal_and_anchor(*, now: datetime) -> int:
    """Seal the events recorded since the last run into the chain; anchor its head once a day (ADR 13).
    Returns 1 when it wrote an anchor."""
    return audit_tick(now=now)
