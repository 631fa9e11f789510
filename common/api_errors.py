"""The REST API's answers to errors: `DomainError` and DRF's own exceptions as JSON with
a readable, translated `detail` (the exception handler of REST_FRAMEWORK), and 404
pages for unknown URLs."""

from __future__ import annotations

import math
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

from common.errors import HTTP_STATUS, DomainError
from common.parsers import BodyRefused


def not_found_view(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 for unknown URLs: JSON under /api/ (clients parse `detail`), the page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "not_found", "detail": _("Nicht gefunden.")}, status=404)
    return page_not_found(request, exception or Http404())


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus `DomainError`; every error body has a readable `detail`."""
    if isinstance(exc, DomainError):
        headers = {}
        if exc.retry_after is not None:
            headers["Retry-After"] = str(exc.retry_after)
        return Response(exc.as_dict(), status=HTTP_STATUS[exc.code], headers=headers)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Nicht gefunden."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.Throttled):
        # DRF's throttles (common/throttles.py) answer like the posting limit does.
        response.data = {
            "code": "rate_limited",
            "detail": _("Zu viele Anfragen. Bitte warte einen Moment."),
        }
        wait = getattr(exc, "wait", None)
        if wait is not None:
            response.data["retry_after"] = max(1, math.ceil(wait))
    elif isinstance(exc, exceptions.ValidationError):
        # Field errors stay as DRF shapes them, with one sentence on top for people.
        data = response.data
        response.data = {
            "code": "invalid",
            "detail": _("Die Eingabe ist ungültig: %(fields)s")
            % {"fields": _summarise_validation(data)},
            "errors": data,
        }
    elif isinstance(exc, exceptions.ParseError):
        # DRF's own parsers' messages are English-only and name their internals; ours
        # (common/parsers.py) say what is wrong in the user's language.
        detail = (
            str(exc.detail) if isinstance(exc, BodyRefused) else _("Das ist kein gültiges JSON.")
        )
        response.data = {"code": "parse_error", "detail": detail}
    elif isinstance(exc, exceptions.APIException):
        response.data = {
            "code": exc.get_codes() if isinstance(exc.get_codes(), str) else "error",
            "detail": str(exc.detail),
        }
    return response


def _summarise_validation(data: Any) -> str:
    """One readable line out of DRF's nested validation errors."""
    if isinstance(data, dict):
        parts = []
        for field, errors in data.items():
            text = _summarise_validation(errors)
            parts.append(text if field == "non_field_errors" else f"{field}: {text}")
        return "; ".join(parts)
    if isinstance(data, list):
        return " ".join(_summarise_validation(item) for item in data)
    return str(data)
