"""What the intelligence services share."""

from __future__ import annotations

from safeguard.api.errors import ServiceConflict


class Conflict(ServiceConflict):
    """A step already taken (409 on the API; the pages show it as an error at the top of the form).
    A stale edit is ``safeguard.platform.versioning.StaleEdit``."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
        self.messages = [message]
