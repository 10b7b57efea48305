from __future__ import annotations

import ipaddress
import re
import uuid

from django.conf import settings
from django.utils.cache import add_never_cache_headers

from .request_context import RequestMeta, reset_request_meta, set_request_meta

_REQUEST_ID = re.compile(r"^[A-Za-z0-9\-]{8,64}$")


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address, trusting only the configured number of proxies in front of us.

    With SAFEGUARD_TRUSTED_PROXY_COUNT = 0 (the default) the address is the socket's peer
    (REMOTE_ADDR) and X-Forwarded-For is ignored. With N trusted proxies, each appended the address
    it saw, so the client is the N-th entry from the right; anything to its left was written by the
    client and is not believed. A malformed address is recorded as unknown (None), never a 500.
    """
    proxies = settings.SAFEGUARD_TRUSTED_PROXY_COUNT
    if proxies:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= proxies:
            return _valid_ip(hops[-proxies])
        return None
    return _valid_ip(request.META.get("REMOTE_ADDR") or "")


def request_id_for(request) -> str:
    """A fresh id, unless a trusted proxy in front of us sent a well-formed one."""
    incoming = request.META.get("HTTP_X_REQUEST_ID", "")
    if settings.SAFEGUARD_TRUSTED_PROXY_COUNT and _REQUEST_ID.match(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Gives each request an id (kept from X-Request-ID only from a trusted proxy) for logs and audit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_for(request)
        token = set_request_meta(RequestMeta(request_id=request.request_id, ip=client_ip(request)))
        try:
            response = self.get_response(request)
        finally:
            reset_request_meta(token)
        response["X-Request-ID"] = request.request_id
        return response


class NoStoreMiddleware:
    """Pages shown to a signed-in user are never kept by the browser or a proxy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response


class PermissionsPolicyMiddleware:
    """Every response says which browser features the product never uses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.SAFEGUARD_PERMISSIONS_POLICY)
        return response
