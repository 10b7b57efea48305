"""API errors: never a traceback; 'not yours' and 'not there' are the same 404."""

from django.http import Http404
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        from rest_framework.exceptions import NotFound

        exc = NotFound("Not found.")
    return drf_exception_handler(exc, context)
