"""Moments as the protocol and the REST API write them: ISO-8601 in UTC with `Z`."""

from __future__ import annotations

from datetime import datetime


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.isoformat().replace("+00:00", "Z")
