"""What other apps do when an initiative begins, ends or loses a member, through one slot.

`rooms` sits above `initiatives` (a room belongs to an initiative, and who may read
it depends on membership), yet every new initiative gets its room "Allgemein", an
archived initiative's rooms take no more posts, and a member who leaves loses the
members-only rooms at once, live. The services here tell `listener` (a
common.slots.Slot); rooms plugs in what it does (rooms/providers.py) when its app
is ready. The calls run inside the service's transaction.
"""

from __future__ import annotations

from typing import Protocol

from common.slots import Slot
from initiatives.models import Initiative


class InitiativeListener(Protocol):
    def initiative_created(self, initiative: Initiative) -> None:
        """The initiative and its first lead were just created."""

    def initiative_archived(self, initiative: Initiative) -> None:
        """The initiative was archived: nothing new is posted in it."""

    def membership_ended(self, initiative: Initiative, user_id: int) -> None:
        """The user left the initiative or was removed from it."""


listener: Slot[InitiativeListener] = Slot("initiatives.lifecycle.listener")
