"""Who may see a room's presence: exactly who may read the room (one rule, from rooms)."""

from rooms.permissions import can_read_room as can_see_presence

__all__ = ["can_see_presence"]
