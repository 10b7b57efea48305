"""Session time limits and the two-factor gate."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record

SESSION_STARTED = "_sg_started"
SESSION_SEEN = "_sg_seen"

# Paths a signed-in but not yet verified user may still reach.
_OPEN_PREFIXES = ("/accounts/", "/static/", "/accessibility-statement/", "/privacy-notice/", "/favicon")


class SessionPolicyMiddleware:
    """Signs a user out after an idle period and after an absolute period, whichever comes first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            now = int(time.time())
            started = request.session.get(SESSION_STARTED, now)
            seen = request.session.get(SESSION_SEEN, now)
            idle = settings.SAFEGUARD_IDLE_TIMEOUT_MINUTES * 60
            absolute = settings.SAFEGUARD_ABSOLUTE_TIMEOUT_MINUTES * 60
            if now - seen > idle or now - started > absolute:
                audit_record(
                    verb=Verb.SESSION_EXPIRED,
                    actor=user,
                    target=user,
                    payload={"kind": "idle" if now - seen > idle else "absolute"},
                )
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": "Your session has ended. Sign in again."}, status=401)
                messages.info(request, "You were signed out because your session timed out.")
                return redirect(f"{reverse('accounts:login')}?next={request.path}")
            request.session[SESSION_STARTED] = started
            request.session[SESSION_SEEN] = now
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """Outside development mode, a signed-in user must pass two-factor before anything else; an
    account marked to change its password (a training site's published logins) must do that next."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.SAFEGUARD_REQUIRE_2FA
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "Two-factor authentication is required."}, status=403)
            return redirect(f"{reverse('accounts:two_factor')}?next={request.path}")
        if (
            user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "Choose a new password before using Safeguard."}, status=403)
            return redirect(f"{reverse('accounts:password_change')}?next={request.path}")
        return self.get_response(request)
