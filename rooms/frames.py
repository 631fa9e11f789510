"""Server-to-client frames (PROTOCOL.md), built in one place so their shape stays exact."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from accounts.selectors import PublicUser
from common.errors import DomainError


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.isoformat().replace("+00:00", "Z")


def _with_ref(frame: dict[str, Any], ref: Any) -> dict[str, Any]:
    if ref is not None:
        frame["ref"] = ref
    return frame


def hello(*, user: PublicUser, server_time: datetime, protocol: int) -> dict[str, Any]:
    return {"type": "hello", "user": user, "server_time": iso(server_time), "protocol": protocol}


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


def ack(*, client_id: str, message: int, seq: int, ref: Any = None) -> dict[str, Any]:
    return _with_ref({"type": "ack", "client_id": client_id, "message": message, "seq": seq}, ref)


def error(error: DomainError, *, ref: Any = None) -> dict[str, Any]:
    return _with_ref({"type": "error", **error.as_dict()}, ref)


def pong(*, ref: Any = None) -> dict[str, Any]:
    return {"type": "pong", "ref": ref}
