"""Rate limits, shared by every worker through Django's cache (Redis when REDIS_URL is set).

- Posting (`ensure_post_rate`): POST_RATE_LIMIT messages per POST_RATE_WINDOW_SECONDS
  per user, socket and REST together. A sliding window made of short buckets:
  each send increments its bucket atomically (`cache.add` + `cache.incr`), then
  sums the buckets of the last window. A whole burst of the limit goes through at
  once (burst-friendly), and no window of that length ever holds more, since the
  buckets summed always cover a little more than the window. A refused send gives
  its slot back, so `retry_after` is exactly when the oldest bucket ages out.
- Sign-in (`ensure_login_allowed`, `login_failed`, `login_succeeded`): after
  LOGIN_FAILURES_MAX failed attempts for one username within
  LOGIN_FAILURES_WINDOW_SECONDS, that username is refused (without checking the
  password) until the window has passed. The token endpoint and the login page
  both use it. It holds even when rate limits are off: it guards accounts, not load.
- REST: DRF's throttles (common/throttles.py), with the rates of
  REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] and their keys under KEY_PREFIX too.

`settings.KLIMA["RATE_LIMITS"] = False` (KLIMA_RATE_LIMITS=off) lifts the posting
limit and the REST throttles, for benchmarks and protocol tests.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import time
from collections.abc import Iterator
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from common.errors import DomainError

# Every key of this module starts with it (tests give each test its own).
KEY_PREFIX = "rl"
BUCKET_SECONDS = 3


def _now() -> float:
    return time.time()


_suspended: ContextVar[bool] = ContextVar("rate_limits_suspended", default=False)


def enabled() -> bool:
    return bool(settings.KLIMA["RATE_LIMITS"]) and not _suspended.get()


@contextlib.contextmanager
def suspended() -> Iterator[None]:
    """No posting limit inside this block: for the system writing as people do (the demo
    data posts its chat through the same service as everyone)."""
    token = _suspended.set(True)
    try:
        yield
    finally:
        _suspended.reset(token)


def _incr(key: str, timeout: int) -> int:
    """Atomic increment of a counter that expires; created at 0 when missing."""
    cache.add(key, 0, timeout)
    try:
        return int(cache.incr(key))
    except ValueError:  # it expired between add and incr
        cache.add(key, 1, timeout)
        return 1


# --- posting -------------------------------------------------------------------


def ensure_post_rate(user_id: int) -> None:
    """Count one post of `user_id`; refuse with `rate_limited` and `retry_after` when it
    would exceed the limit (the refused post is not counted)."""
    if not enabled():
        return
    limit = int(settings.KLIMA["POST_RATE_LIMIT"])
    window = int(settings.KLIMA["POST_RATE_WINDOW_SECONDS"])
    now = _now()
    current = int(now // BUCKET_SECONDS)
    span = math.ceil(window / BUCKET_SECONDS)  # buckets before the current one
    indexes = list(range(current - span, current + 1))
    keys = [f"{KEY_PREFIX}:post:{user_id}:{i}" for i in indexes]
    timeout = (span + 2) * BUCKET_SECONDS
    _incr(keys[-1], timeout)
    found = cache.get_many(keys)
    counts = [int(found.get(key, 0)) for key in keys]
    if sum(counts) <= limit:
        return
    with contextlib.suppress(ValueError):  # expired meanwhile: nothing to give back
        cache.decr(keys[-1])
    counts[-1] = max(0, counts[-1] - 1)
    raise DomainError(
        "rate_limited",
        _("Du schreibst zu schnell: höchstens %(limit)d Nachrichten in %(window)d Sekunden.")
        % {"limit": limit, "window": window},
        retry_after=_post_retry_after(indexes, counts, limit, span, now),
    )


def _post_retry_after(
    indexes: list[int], counts: list[int], limit: int, span: int, now: float
) -> int:
    """Seconds until, with the oldest buckets aged out, one more post fits."""
    remaining = sum(counts)
    for index, count in zip(indexes, counts, strict=True):
        remaining -= count
        if remaining <= limit - 1:
            # Bucket `index` leaves the summed range when bucket index+span+1 begins.
            return max(1, math.ceil((index + span + 1) * BUCKET_SECONDS - now))
    return max(1, math.ceil((indexes[-1] + span + 1) * BUCKET_SECONDS - now))


# --- sign-in -------------------------------------------------------------------


def _login_keys(username: str) -> tuple[str, str]:
    """(failure count, window start) keys. Hashed: usernames may hold characters that
    some cache backends refuse in keys; case-folded: sign-in names are case-insensitive."""
    digest = hashlib.sha256(username.strip().casefold().encode()).hexdigest()[:32]
    return f"{KEY_PREFIX}:login:{digest}:n", f"{KEY_PREFIX}:login:{digest}:t"


def _login_window() -> int:
    return int(settings.KLIMA["LOGIN_FAILURES_WINDOW_SECONDS"])


def ensure_login_allowed(username: str) -> None:
    """Refuse with `rate_limited` once the username has too many recent failures."""
    count_key, start_key = _login_keys(username)
    found = cache.get_many([count_key, start_key])
    if int(found.get(count_key, 0)) < int(settings.KLIMA["LOGIN_FAILURES_MAX"]):
        return
    started = float(found.get(start_key, _now()))
    retry = math.ceil(started + _login_window() - _now())
    if retry <= 0:  # the window is over (the keys expire with it; this is the clock's word)
        return
    raise DomainError(
        "rate_limited",
        _(
            "Zu viele fehlgeschlagene Anmeldungen für diesen Namen. "
            "Bitte versuche es in %(minutes)d Minuten wieder."
        )
        % {"minutes": math.ceil(retry / 60)},
        retry_after=retry,
    )


def login_failed(username: str) -> None:
    """Count a failed sign-in (atomically: guessing in parallel on many workers counts
    every guess). The window starts with the first failure and both keys expire with it."""
    count_key, start_key = _login_keys(username)
    started = cache.get(start_key)
    if started is not None and float(started) + _login_window() <= _now():
        cache.delete_many([count_key, start_key])  # an old window: start a new one
    cache.add(start_key, _now(), _login_window())
    _incr(count_key, _login_window())


def login_succeeded(username: str) -> None:
    cache.delete_many(list(_login_keys(username)))
