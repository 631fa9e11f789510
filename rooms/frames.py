"""Server-to-client frames (PROTOCOL.md), built in one place so their shape stays exact."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from accounts.selectors import PublicUser
from collab.errors import DomainError


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.isoformat().replace("+00:00", "Z")


def hello(*, user: PublicUser, server_time: datetime, protocol: int) -> dict[str, Any]:
    return {"type": "hello", "user": user, "server_time": iso(server_time), "protocol": protocol}


def error(error: DomainError, *, ref: Any = None) -> dict[str, Any]:
    frame: dict[str, Any] = {"type": "error", **error.as_dict()}
    if ref is not None:
        frame["ref"] = ref
    return frame


def pong(*, ref: Any = None) -> dict[str, Any]:
    return {"type": "pong", "ref": ref}
