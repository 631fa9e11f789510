"""Shapes of moderators' input that every moderation service checks the same way."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from common.errors import DomainError, not_found

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
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= DURATION_MAX:
        raise DomainError(
            "invalid",
            _("`duration` muss eine Zahl von Sekunden (1 bis %(n)d) oder null sein.")
            % {"n": DURATION_MAX},
        )
    return value


def clean_text(value: Any, *, field: str, maximum: int, required: bool) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or len(value.strip()) > maximum:
        raise DomainError(
            "invalid",
            _("`%(field)s` muss ein Text mit höchstens %(n)d Zeichen sein.")
            % {"field": field, "n": maximum},
        )
    if required and not value.strip():
        raise DomainError("invalid", _("`%(field)s` darf nicht leer sein.") % {"field": field})
    return value.strip()


def clean_id(value: Any, field: str) -> int:
    """An id; one beyond what the database can hold names nothing (`not_found`)."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise DomainError("invalid", _("`%(field)s` muss eine Zahl sein.") % {"field": field})
    if not 0 < value < 2**63:
        raise not_found()
    return value
