"""REST throttling (DRF): 200 requests a minute per signed-in user, 100 per anonymous IP.

The rates are REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] in collab/settings.py.
Both are lifted while KLIMA["RATE_LIMITS"] is off, like the posting limit.

DRF imports these classes while `rest_framework.views` is still loading, so this
module imports nothing that imports DRF's views (common.ratelimit does not).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from rest_framework import throttling

from common import ratelimit

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


class _Lifted:
    """Mixin: no throttling while rate limits are off; keys under the rate-limit prefix."""

    def allow_request(self, request: Request, view: APIView) -> bool:
        if not settings.KLIMA["RATE_LIMITS"]:
            return True
        return super().allow_request(request, view)  # type: ignore[misc]

    def get_cache_key(self, request: Request, view: APIView) -> Any:
        key = super().get_cache_key(request, view)  # type: ignore[misc]
        return None if key is None else f"{ratelimit.KEY_PREFIX}:{key}"


class UserThrottle(_Lifted, throttling.UserRateThrottle):
    """Signed-in users, per user: the "user" rate."""


class AnonThrottle(_Lifted, throttling.AnonRateThrottle):
    """Anonymous requests, per IP: the "anon" rate."""
