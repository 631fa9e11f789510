"""The one domain error type, and its translation into an HTTP response.

Services raise `DomainError` with a code from PROTOCOL.md and a readable,
translated message. It becomes a response in exactly two places: the DRF
exception handler below and the websocket consumer's `error` frame.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

logger = logging.getLogger(__name__)

# HTTP status for each protocol error code.
HTTP_STATUS = {
    "invalid": status.HTTP_400_BAD_REQUEST,
    "too_long": status.HTTP_400_BAD_REQUEST,
    "not_found": status.HTTP_404_NOT_FOUND,
    "forbidden": status.HTTP_403_FORBIDDEN,
    "muted": status.HTTP_403_FORBIDDEN,
    "banned": status.HTTP_403_FORBIDDEN,
    "slow_mode": status.HTTP_429_TOO_MANY_REQUESTS,
    "rate_limited": status.HTTP_429_TOO_MANY_REQUESTS,
    "conflict": status.HTTP_409_CONFLICT,
    "unavailable": status.HTTP_503_SERVICE_UNAVAILABLE,
}


class DomainError(Exception):
    """A rule of the domain refused an action; `code` is one of PROTOCOL.md's error codes."""

    def __init__(self, code: str, detail: str, *, retry_after: int | None = None) -> None:
        if code not in HTTP_STATUS:
            raise ValueError(f"unknown error code {code!r}")
        super().__init__(detail)
        self.code = code
        self.detail = str(detail)
        self.retry_after = retry_after

    def as_dict(self) -> dict[str, Any]:
        payload: dict[str, Any] = {"code": self.code, "detail": self.detail}
        if self.retry_after is not None:
            payload["retry_after"] = self.retry_after
        return payload


def not_found() -> DomainError:
    return DomainError("not_found", _("Das gibt es nicht, oder du darfst es nicht sehen."))


def forbidden(detail: str | None = None) -> DomainError:
    return DomainError("forbidden", detail or _("Das darfst du nicht."))


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
        # DRF's parser message is English-only and names the parser's internals.
        response.data = {"code": "parse_error", "detail": _("Das ist kein gültiges JSON.")}
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
