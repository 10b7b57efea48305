"""Answers the access policy may reuse within one request, and only within it.

A page often builds the children a user may see several times (the home page's lists each do), and
each build asks a few small questions: has the user a meeting invitation, a break-glass opening in
this session, children at the panel? Within one request those answers are kept (``remembered``);
a save of anything that changes them forgets them all (``forget``, on the models' signals), and
outside a request (the scheduled checks, a shell, a test calling a selector) nothing is kept.

Only whether a part of the visible set holds any record is kept, never the records: a part kept as
"holds some" is still read live, so a stale answer can only leave a part out (deny), never let a
record in.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from contextvars import ContextVar
from typing import Any, TypeVar, cast

from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse

T = TypeVar("T")

_memo: ContextVar[dict[Hashable, Any] | None] = ContextVar("access_request_memo", default=None)


def remembered(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, once per request for this ``key`` (every time outside a request)."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return cast(T, memo[key])


def forget(*_args: Any, **_kwargs: Any) -> None:
    """Drop every kept answer of this request (a signal receiver: takes any arguments)."""
    memo = _memo.get()
    if memo:
        memo.clear()


def forget_on_change(models: Iterable[type]) -> None:
    """Forget the request's answers whenever a row of one of these models is saved or deleted."""
    for model in models:
        label = f"{model.__module__}.{model.__qualname__}"
        post_save.connect(forget, sender=model, dispatch_uid=f"access-memo-save-{label}")
        post_delete.connect(forget, sender=model, dispatch_uid=f"access-memo-delete-{label}")


class RequestMemoMiddleware:
    """Opens the request's memo and closes it when the response is made."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)
