"""The API's one exception handler: a service's refusal becomes a plain JSON answer, never a
traceback; 'not yours' and 'not there' are the same 404 (ADR 4).

Services raise Django's ``ValidationError`` (400, with the field messages), ``PermissionDenied``
(403), ``Http404`` (404) or a :class:`Conflict` (409: the record moved on under the request, e.g.
a state already changed by someone else or a stale version). Views call services directly; no
per-app ``_call`` wrapper is needed.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from safeguard.platform.versioning import StaleEdit


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "This record changed since you opened it."
    default_code = "conflict"


class ServiceConflict(Exception):
    """Raised by a service when the record's state moved on (409 on the API)."""


def _validation_detail(error: DjangoValidationError):
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {"detail": error.messages}


def exception_handler(exc, context):
    if isinstance(exc, StaleEdit):
        # A stale version: 409 with both — the record as saved now and what the client sent.
        sent = getattr(context.get("request"), "data", None)
        return Response({**exc.as_json(), "yours": sent if isinstance(sent, dict) else None}, status=409,
                        headers={"ETag": f'"{exc.current_version}"'})
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("Not found.")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_validation_detail(exc))
    elif isinstance(exc, ServiceConflict):
        exc = Conflict(str(exc) or None)
    return drf_exception_handler(exc, context)
