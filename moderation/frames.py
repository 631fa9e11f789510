"""The `moderation` frame (PROTOCOL.md) and the consoles' `queue` frame: built here
only, so their shape stays exact."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, TypedDict

from accounts.selectors import PublicUser
from common.times import iso
from moderation.scopes import ScopeJSON

ModerationVerb = Literal["muted", "unmuted", "banned", "unbanned"]


class ModerationFrame(TypedDict):
    type: Literal["moderation"]
    action: ModerationVerb
    scope: ScopeJSON
    until: str | None
    reason: str


def moderation_frame(
    *, action: ModerationVerb, scope: ScopeJSON, until: datetime | None, reason: str
) -> ModerationFrame:
    return {
        "type": "moderation",
        "action": action,
        "scope": scope,
        "until": iso(until),
        "reason": reason,
    }


QueueChange = Literal["reported", "acted"]


class QueueFrame(TypedDict):
    """Tells open moderation consoles that the queue or the log changed (docs/protocol.md)."""

    type: Literal["queue"]
    change: QueueChange
    kind: str
    message: int | None
    room: int | None
    initiative: int | None
    actor: PublicUser | None


def queue_frame(
    *,
    change: QueueChange,
    kind: str,
    message: int | None,
    room: int | None,
    initiative: int | None,
    actor: PublicUser | None,
) -> QueueFrame:
    return {
        "type": "queue",
        "change": change,
        "kind": kind,
        "message": message,
        "room": room,
        "initiative": initiative,
        "actor": actor,
    }
