"""The one domain error type.

Services raise `DomainError` with a code from PROTOCOL.md and a readable,
translated message. It becomes an answer in exactly two places: the REST API's
exception handler (common/api_errors.py) and the websocket consumer's `error`
frame (rooms/frames.py). This module imports nothing of DRF's views, so that
what DRF loads with its views (throttles, parsers) may use it.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import status

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
