from __future__ import annotations

import time

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token

from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record

from .forms import EnrolmentCodeForm, SignInForm, TokenForm
from .middleware import SESSION_SEEN, SESSION_STARTED
from .services import (
    enrolment_code_valid,
    has_confirmed_device,
    password_changed,
    totp_confirm,
    totp_device_for_enrolment,
)
from .step_up import code_given, step_up_needed


def _safe_next(request, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Only the demo (SAFEGUARD_DEV=1 without two-factor) skips the authenticator code; say so.
        context["demo_skips_code"] = settings.DEV_MODE and not settings.SAFEGUARD_REQUIRE_2FA
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        now = int(time.time())
        self.request.session[SESSION_STARTED] = now
        self.request.session[SESSION_SEEN] = now
        audit_record(verb=Verb.SIGN_IN, actor=form.get_user(), target=form.get_user())
        if settings.SAFEGUARD_REQUIRE_2FA:
            return redirect(f"/accounts/two-factor/?next={self.get_success_url()}")
        return response

    def form_invalid(self, form):
        username = (form.data.get("username") or "")[:150]
        if username:
            audit_record(verb=Verb.SIGN_IN_FAILED, payload={"username": username})
        return super().form_invalid(form)


def locked_out(request, credentials=None, *args, **kwargs):
    username = ""
    if isinstance(credentials, dict):
        username = str(credentials.get("username", ""))[:150]
    audit_record(verb=Verb.LOCKED_OUT, payload={"username": username})
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


@require_POST
def sign_out(request):
    if request.user.is_authenticated:
        audit_record(verb=Verb.SIGN_OUT, actor=request.user, target=request.user)
    logout(request)
    messages.info(request, "You have signed out.")
    return redirect("accounts:login")


@login_required
def two_factor(request):
    """Enrol an authenticator app at first sign-in, or check a code at every sign-in after that."""
    user = request.user
    next_url = _safe_next(request)
    if user.is_verified():
        return redirect(next_url)
    enrolled = has_confirmed_device(user)
    form = TokenForm(request.POST or None)
    if enrolled:
        if request.method == "POST" and form.is_valid():
            device = match_token(user, form.cleaned_data["token"])
            if device is not None:
                otp_login(request, device)
                code_given(request)
                audit_record(verb=Verb.TWO_FACTOR_VERIFIED, actor=user, target=user)
                return redirect(next_url)
            audit_record(verb=Verb.TWO_FACTOR_FAILED, actor=user, target=user)
            form.add_error("token", "The security code is not right. Check your app and try again.")
        return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url})

    enrolment_code_id = request.session.get(ENROLMENT_CODE_SESSION)
    if settings.SAFEGUARD_ENROLMENT_CODE_REQUIRED and enrolment_code_id is None:
        return _enrolment_code_step(request, next_url)
    device = totp_device_for_enrolment(user)
    if request.method == "POST" and form.is_valid():
        codes = totp_confirm(user=user, device=device, token=form.cleaned_data["token"],
                             enrolment_code_id=enrolment_code_id)
        if codes is not None:
            otp_login(request, device)
            code_given(request)
            return render(request, "accounts/backup_codes.html", {"codes": codes, "next": next_url})
        form.add_error("token", "The security code is not right. Check the time on your phone and try again.")
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "next": next_url,
        "qr_data_uri": qr.svg_data_uri(scale=5, dark="#0b0c0c"),
        "secret": _group(device.bin_key),
    }
    return render(request, "accounts/two_factor_enrol.html", context)


@login_required
def step_up(request):
    """Give the authenticator code again before a sensitive action (breaking glass, a bulk export,
    an administrator change), when it was last given too long ago."""
    user = request.user
    next_url = _safe_next(request)
    if not step_up_needed(request):
        return redirect(next_url)
    if not user.is_verified():
        return redirect(f"/accounts/two-factor/?{urlencode({'next': next_url})}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if match_token(user, form.cleaned_data["token"]) is not None:
            code_given(request)
            audit_record(verb=Verb.STEP_UP_VERIFIED, actor=user, target=user)
            return redirect(next_url)
        audit_record(verb=Verb.TWO_FACTOR_FAILED, actor=user, target=user, payload={"step": "step_up"})
        form.add_error("token", "The security code is not right. Check your app and try again.")
    minutes = settings.SAFEGUARD_STEP_UP_MINUTES
    return render(request, "accounts/step_up.html", {"form": form, "next": next_url, "minutes": minutes})


class PasswordChange(auth_views.PasswordChangeView):
    """Choose a new password (required at first sign-in for a training site's published logins)."""

    template_name = "accounts/password_change.html"

    def get_success_url(self):
        return _safe_next(self.request)

    def form_valid(self, form):
        response = super().form_valid(form)
        password_changed(user=self.request.user)
        messages.success(self.request, "Your password has been changed.")
        return response


ENROLMENT_CODE_SESSION = "_sg_enrolment_code"


def _enrolment_code_step(request, next_url: str):
    """Before the secret is shown: the one-time code the administrator gave this person."""
    form = EnrolmentCodeForm(request.POST if "enrolment_code" in request.POST else None)
    if form.is_bound and form.is_valid():
        found = enrolment_code_valid(user=request.user, code=form.cleaned_data["enrolment_code"])
        if found is not None:
            request.session[ENROLMENT_CODE_SESSION] = found.pk
            return redirect(f"{request.path}?{urlencode({'next': next_url})}")
        audit_record(verb=Verb.TWO_FACTOR_FAILED, actor=request.user, target=request.user,
                     payload={"step": "enrolment_code"})
        form.add_error("enrolment_code", "That enrolment code is not right or has expired. Ask your administrator "
                                         "for a new one.")
    return render(request, "accounts/two_factor_enrolment_code.html", {"form": form, "next": next_url})


def _group(key: bytes) -> str:
    from base64 import b32encode

    text = b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))
