"""Shapes of moderators' input that every moderation service checks the same way."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from common.errors import DomainError
from common.validation import clean_int
from moderation.models import Report

REASON_MAX = 300
DURATION_MAX = 366 * 24 * 3600  # a year and a day; longer is "until lifted" (null)
APPEAL_TEXT_MAX = 2000
REPORT_TEXT_MAX = 1000


def clean_reason(value: Any, *, required: bool = True) -> str:
    """The reason shown to the person concerned and kept in the log (1..300 characters)."""
    if value is None and not required:
        return ""
    if not isinstance(value, str) or len(value.strip()) > REASON_MAX:
        raise DomainError(
            "invalid",
            _("`reason` muss ein Text mit höchstens %(n)d Zeichen sein.") % {"n": REASON_MAX},
        )
    if required and not value.strip():
        raise DomainError("invalid", _("Bitte gib einen Grund an."))
    return value.strip()


def clean_duration(value: Any) -> int | None:
    """Seconds (1 .. a year), or None: until lifted."""
    if value is None:
        return None
    return clean_int(value, field="duration", minimum=1, maximum=DURATION_MAX)


def clean_report_reason(value: Any) -> str:
    """One of a report's reasons (message and content reports alike)."""
    if value not in Report.Reason.values:
        raise DomainError(
            "invalid",
            _("`reason` muss einer dieser Werte sein: %(values)s")
            % {"values": ", ".join(Report.Reason.values)},
        )
    return str(value)
