"""What a connection may watch besides rooms: the live seat counters of an initiative, or
of the city-wide events (docs/protocol.md, "Live counters").

The counters belong to `events`, an app above rooms; it plugs its provider into this
slot (events/apps.py), so that the consumer can serve `watch` without importing it.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.contrib.auth.models import User

from common.slots import Slot

# A page watches one initiative, the room page its own: a few are plenty; the bound
# keeps one connection from joining every topic there is.
WATCH_LIMIT = 20


class Counters(Protocol):
    def topic_of(self, initiative_id: int | None) -> str:
        """The topic (realtime.publish.topic_frame_on_commit) of the initiative's
        counters; None: the city-wide events'. Pure: joined before the snapshot is read,
        so that no change slips between the two."""

    def snapshot(self, *, user: User, initiative_id: int | None) -> list[dict[str, Any]]:
        """The counters as they are now (`not_found`: no such initiative)."""


counters: Slot[Counters] = Slot("rooms.watching.counters")
