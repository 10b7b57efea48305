"""What the intelligence services share."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from safeguard.api.errors import ServiceConflict


class Conflict(ServiceConflict):
    """The record moved on under the request: a stale edit, or a step already taken (409 on the
    API; the pages show it as an error at the top of the form)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
        self.messages = [message]


def stale(updated_at: datetime) -> Conflict:
    when = timezone.localtime(updated_at)
    return Conflict(f"Someone else changed this record at {when:%H:%M}. Reload the page to see their change.")
