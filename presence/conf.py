"""Presence settings (settings.KLIMA keys, each overridable by its environment variable)."""

from __future__ import annotations

from django.conf import settings

DEFAULTS = {
    # A connection's entry lives this long unless its worker refreshes it; a killed
    # worker's users go offline within TTL + SWEEP seconds.
    "PRESENCE_TTL_SECONDS": 45,
    "PRESENCE_SWEEP_SECONDS": 10,
    # A user whose last connection left is announced offline after this grace, unless
    # they came back (a reload, a flaky network) - then nothing is announced at all.
    "PRESENCE_GRACE_SECONDS": 5,
    # Above this many people present, a room gets counts instead of per-user frames,
    # and typing is not broadcast.
    "PRESENCE_LARGE_ROOM": 100,
    "TYPING_THROTTLE_SECONDS": 3,
}


def presence_setting(name: str) -> float:
    return float(settings.KLIMA.get(name, DEFAULTS[name]))
