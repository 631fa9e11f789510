"""The protocol's frames (PROTOCOL.md): client frames are decoded here, and the server's
own frames built here, in one place, so that their shape stays exact. (Room events
are built by realtime.messages.room_event; presence and typing by presence/frames.py.)"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from accounts.selectors import PublicUser
from common import untrusted
from common.errors import DomainError
from common.times import iso
from common.validation import is_int

REF_MAX = 200


def parse(text: str | None) -> dict[str, Any]:
    """One client frame: a JSON text frame holding an object. Read its `ref` next
    (`ref_of`), then `check` it, so that an error about its content echoes the ref."""
    if text is None:
        raise DomainError("invalid", _("Nur JSON-Textframes sind erlaubt."))
    frame = untrusted.parse(text)
    if not isinstance(frame, dict):
        raise DomainError("invalid", _("Ein Frame muss ein JSON-Objekt sein."))
    return frame


def ref_of(frame: dict[str, Any]) -> str | int | float | None:
    """The frame's `ref` (PROTOCOL.md: any string or number), or None; `invalid` for
    anything else, which cannot be echoed."""
    ref = frame.get("ref")
    if ref is None or is_int(ref) or (isinstance(ref, float) and math.isfinite(ref)):
        return ref
    if isinstance(ref, str) and len(ref) <= REF_MAX and not untrusted.has_surrogate(ref):
        return ref
    raise DomainError(
        "invalid",
        _("`ref` muss ein Text (höchstens %(n)d Zeichen) oder eine Zahl sein.") % {"n": REF_MAX},
    )


def check(frame: dict[str, Any], text: str) -> None:
    """The frame nests no deeper than allowed and holds no lone surrogate."""
    untrusted.check(frame, text)


def kind_of(frame: dict[str, Any]) -> str:
    """The frame's `type`, a string (checked after its `ref` is known, so an error echoes it)."""
    kind = frame.get("type")
    if not isinstance(kind, str):
        raise DomainError("invalid", _("Das Feld `type` fehlt."))
    return kind


def unavailable() -> DomainError:
    """What a client is told when the server cannot serve its frame right now."""
    return DomainError(
        "unavailable",
        _("Der Server kann gerade nichts speichern. Bitte versuche es gleich noch einmal."),
    )


def _with_ref(frame: dict[str, Any], ref: Any) -> dict[str, Any]:
    if ref is not None:
        frame["ref"] = ref
    return frame


def hello(
    *, user: PublicUser, server_time: datetime, protocol: int, unread_notifications: int
) -> dict[str, Any]:
    return {
        "type": "hello",
        "user": user,
        "server_time": iso(server_time),
        "protocol": protocol,
        "unread_notifications": unread_notifications,
    }


def subscribed(
    *,
    room: int,
    seq: int,
    messages: list[dict[str, Any]],
    more: bool,
    reset: bool,
    presence: list[dict[str, Any]],
    presence_counts: dict[str, int] | None = None,
    unread: int,
    you: dict[str, Any],
    ref: Any = None,
) -> dict[str, Any]:
    frame: dict[str, Any] = {
        "type": "subscribed",
        "room": room,
        "seq": seq,
        "messages": messages,
        "more": more,
        "reset": reset,
        "presence": presence,
        "unread": unread,
        "you": you,
    }
    if presence_counts is not None:  # large rooms: counts instead of a list
        frame["presence_counts"] = presence_counts
    return _with_ref(frame, ref)


def unsubscribed(*, room: int, reason: str, ref: Any = None) -> dict[str, Any]:
    return _with_ref({"type": "unsubscribed", "room": room, "reason": reason}, ref)


def watching(
    *, initiative: int | None, counters: list[dict[str, Any]], ref: Any = None
) -> dict[str, Any]:
    return _with_ref({"type": "watching", "initiative": initiative, "counters": counters}, ref)


def unwatched(*, initiative: int | None, ref: Any = None) -> dict[str, Any]:
    return _with_ref({"type": "unwatched", "initiative": initiative}, ref)


def ack(
    *,
    client_id: str,
    message: int,
    seq: int,
    mentions: dict[str, Any] | None = None,
    ref: Any = None,
) -> dict[str, Any]:
    """`mentions` only where the message mentions someone (docs/protocol.md, 24)."""
    frame: dict[str, Any] = {"type": "ack", "client_id": client_id, "message": message, "seq": seq}
    if mentions is not None:
        frame["mentions"] = mentions
    return _with_ref(frame, ref)


def error(error: DomainError, *, ref: Any = None) -> dict[str, Any]:
    return _with_ref({"type": "error", **error.as_dict()}, ref)


def pong(*, ref: Any = None) -> dict[str, Any]:
    return {"type": "pong", "ref": ref}
