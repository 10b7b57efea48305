"""Public information pages and the error handlers.

The lead's URLconf points ``handler403``, ``handler404`` and ``handler500`` at
``permission_denied``, ``page_not_found`` and ``server_error``, and settings point
``CSRF_FAILURE_VIEW`` at ``csrf_failure``.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import (
    HttpResponse,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)


def accessibility(request):
    return render(request, "pages/accessibility.html")


def privacy(request):
    return render(request, "pages/privacy.html")


@requires_csrf_token
def csrf_failure(request, reason=""):
    # The reason is for developers (it can name the missing cookie or header): log it, do not show it.
    logger.warning("CSRF failure on %s: %s", request.path, reason)
    return render(request, "403_csrf.html", status=403)


@requires_csrf_token
def page_not_found(request, exception=None):
    # The same words whatever was asked for: a 404 must not tell anyone whether a record exists.
    return HttpResponseNotFound(loader.render_to_string("404.html", request=request))


@requires_csrf_token
def permission_denied(request, exception=None):
    return HttpResponseForbidden(loader.render_to_string("403.html", request=request))


def _static_url(path: str) -> str:
    """A static file's URL that cannot fail: the 500 page must render even when storage is broken."""
    try:
        from django.templatetags.static import static

        return static(path)
    except Exception:  # a missing manifest entry must not turn a 500 into a crash
        return f"{getattr(settings, 'STATIC_URL', None) or '/static/'}{path}"


def _database_unavailable() -> bool:
    """Is the exception being handled the database being out of reach (a restart, a failover)?

    Django calls handler500 inside its ``except`` block, so the exception is still current."""
    import sys

    from django.db import InterfaceError, OperationalError

    error = sys.exc_info()[1]
    while error is not None:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        error = error.__cause__ or error.__context__
    return False


def service_unavailable(request=None):
    """The database cannot be reached: the product's own 503 (JSON on the API), asking to try again.

    Nothing was saved by the failed request (every write is one transaction); the next request
    opens a fresh connection (CONN_HEALTH_CHECKS), so the service recovers without a restart."""
    path = getattr(request, "path", "") or ""
    if path.startswith("/api/"):
        response = JsonResponse({"detail": "The service is briefly unavailable. Nothing was saved: try again "
                                           "in a minute.", "code": "service_unavailable"}, status=503)
    else:
        template = loader.get_template("503.html")
        body = template.render({"govuk_css": _static_url("govuk/govuk-frontend.min.css"),
                                "app_css": _static_url("safeguard/app.css")})
        response = HttpResponse(body, status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


def server_error(request=None):
    if _database_unavailable():
        return service_unavailable(request)
    # Deliberately no RequestContext: no context processors (they may need the database,
    # which may be why we are here) and nothing from the request.
    template = loader.get_template("500.html")
    body = template.render(
        {
            "govuk_css": _static_url("govuk/govuk-frontend.min.css"),
            "app_css": _static_url("safeguard/app.css"),
        }
    )
    return HttpResponseServerError(body)
