"""Step-up: ask for the authenticator code again before a sensitive action.

Breaking glass, bulk exports (CSV downloads, subject access bundles, reports with child-level rows)
and administrator changes need a code given within ``SAFEGUARD_STEP_UP_MINUTES`` (default 15). The
time a code was last given is kept in the session (``STEP_UP_AT``), set at sign-in's two-factor
step and at each step-up. Where two-factor is off (the demo, ``SAFEGUARD_REQUIRE_2FA=0``), step-up
is off too: it follows the same rule.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

STEP_UP_AT = "_sg_code_at"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def code_given(request: HttpRequest) -> None:
    """Record that the authenticator code was given just now, in this session."""
    request.session[STEP_UP_AT] = int(time.time())


def step_up_needed(request: HttpRequest) -> bool:
    if not settings.SAFEGUARD_REQUIRE_2FA or not request.user.is_authenticated:
        return False
    given = request.session.get(STEP_UP_AT)
    return not isinstance(given, int) or time.time() - given > settings.SAFEGUARD_STEP_UP_MINUTES * 60


def step_up_response(request: HttpRequest) -> HttpResponse | None:
    """The answer that asks for the code again, or None when the code was given recently enough.

    A page is sent to the step-up page and back; a form that was posted comes back to its own page
    (what was typed is not replayed). The API answers 403 with ``code: step_up_required``."""
    if not step_up_needed(request):
        return None
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": "Enter your security code again at /accounts/step-up/ before this action.",
             "code": "step_up_required"}, status=403)
    back = request.get_full_path() if request.method in SAFE_METHODS else request.path
    return redirect(f"{reverse('accounts:step_up')}?{urlencode({'next': back})}")


def step_up_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Decorate a view whose every request needs a recent code."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return step_up_response(request) or view(request, *args, **kwargs)

    return wrapped


class AdminStepUpMiddleware:
    """Changes made through the administration pages (anything but reading them) need a recent code."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/admin/") and request.method not in SAFE_METHODS:
            response = step_up_response(request)
            if response is not None:
                return response
        return self.get_response(request)
