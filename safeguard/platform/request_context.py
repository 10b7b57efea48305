"""Who is asking, from where: set per request by RequestIdMiddleware, read by the audit writer."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestMeta:
    request_id: str = ""
    ip: str | None = None


_NO_REQUEST = RequestMeta()
_current: contextvars.ContextVar[RequestMeta | None] = contextvars.ContextVar("safeguard_request", default=None)


def current_request_meta() -> RequestMeta:
    return _current.get() or _NO_REQUEST


def set_request_meta(meta: RequestMeta) -> contextvars.Token:
    return _current.set(meta)


def reset_request_meta(token: contextvars.Token) -> None:
    _current.reset(token)
