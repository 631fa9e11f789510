"""Presence and typing frames (PROTOCOL.md), built in one place."""

from __future__ import annotations

from typing import Any

from accounts.selectors import PublicUser


def presence(*, room: int, user: PublicUser, status: str) -> dict[str, Any]:
    return {"type": "presence", "room": room, "user": user, "status": status}


def presence_counts(*, room: int, online: int, idle: int) -> dict[str, Any]:
    """Large rooms: how many are here, instead of who (an addition to protocol v1)."""
    return {"type": "presence", "room": room, "counts": {"online": online, "idle": idle}}


def typing(*, room: int, thread: int | None, user: PublicUser) -> dict[str, Any]:
    return {"type": "typing", "room": room, "thread": thread, "user": user}
