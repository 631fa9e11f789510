"""The `moderation` frame (PROTOCOL.md): built here only, so its shape stays exact."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, TypedDict

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
