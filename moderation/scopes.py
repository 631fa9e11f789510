"""Where a mute or ban applies: `"global"`, `{"room": id}` or `{"initiative": id}`.

One parser for the REST body and one renderer for frames and responses, so the
shape is the same everywhere (PROTOCOL.md, the `moderation` frame).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from common.errors import DomainError, not_found
from common.validation import clean_id
from initiatives.models import Initiative
from moderation.models import ModerationAction, Restriction
from rooms.models import Room

ScopeJSON = str | dict[str, int]


@dataclass(frozen=True)
class Scope:
    """Exactly one of `room` and `initiative`, or neither (global)."""

    room: Room | None = None
    initiative: Initiative | None = None

    @property
    def is_global(self) -> bool:
        return self.room is None and self.initiative is None

    @property
    def owning_initiative(self) -> Initiative | None:
        """The initiative whose leads may act in this scope (None: only site moderators)."""
        if self.room is not None:
            return self.room.initiative
        return self.initiative

    def room_ids(self) -> list[int]:
        """The rooms this scope covers (empty for global: every room)."""
        if self.room is not None:
            return [self.room.pk]
        if self.initiative is not None:
            return list(self.initiative.rooms.values_list("pk", flat=True))
        return []


def parse_scope(raw: Any) -> Scope:
    """`"global"`, `{"room": id}` or `{"initiative": id}`; anything else is `invalid`."""
    if raw == "global":
        return Scope()
    if isinstance(raw, dict) and len(raw) == 1:
        ((key, value),) = raw.items()
        if key == "room":
            room = (
                Room.objects.select_related("initiative")
                .filter(pk=clean_id(value, field="scope.room"))
                .first()
            )
            if room is None:
                raise not_found()
            return Scope(room=room)
        if key == "initiative":
            initiative = Initiative.objects.filter(
                pk=clean_id(value, field="scope.initiative")
            ).first()
            if initiative is None:
                raise not_found()
            return Scope(initiative=initiative)
    raise DomainError(
        "invalid",
        _('`scope` muss "global", {"room": id} oder {"initiative": id} sein.'),
    )


def scope_of(item: Restriction | ModerationAction) -> ScopeJSON:
    """The scope of a stored mute, ban or logged action, as JSON."""
    if item.room_id is not None:
        return {"room": item.room_id}
    if item.initiative_id is not None:
        return {"initiative": item.initiative_id}
    return "global"
