"""Shapes of client text that every room service checks the same way (integers are
checked by common.validation)."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from common.errors import DomainError

CLIENT_ID_MAX = 64
EMOJI_MAX = 32


def clean_body(body: Any) -> str:
    """1..MESSAGE_MAX_LENGTH characters after trimming; `too_long` otherwise."""
    if not isinstance(body, str) or "\x00" in body:
        raise DomainError("invalid", _("`body` muss ein Text sein (ohne Nullzeichen)."))
    body = body.strip()
    limit = settings.KLIMA["MESSAGE_MAX_LENGTH"]
    if not body:
        raise DomainError("too_long", _("Die Nachricht ist leer."))
    if len(body) > limit:
        raise DomainError(
            "too_long",
            _("Die Nachricht ist zu lang (höchstens %(limit)d Zeichen).") % {"limit": limit},
        )
    return body


def clean_client_id(client_id: Any) -> str:
    if (
        not isinstance(client_id, str)
        or not 1 <= len(client_id) <= CLIENT_ID_MAX
        or "\x00" in client_id
    ):
        raise DomainError(
            "invalid",
            _("`client_id` muss ein Text mit 1 bis %(n)d Zeichen sein (eine UUID).")
            % {"n": CLIENT_ID_MAX},
        )
    return client_id


def clean_emoji(emoji: Any) -> str:
    """A short symbol without spaces or control characters (one emoji, or a short name)."""
    if (
        not isinstance(emoji, str)
        or not 1 <= len(emoji) <= EMOJI_MAX
        or any(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in emoji)
    ):
        raise DomainError("invalid", _("`emoji` muss ein einzelnes Emoji sein."))
    return emoji
