"""Live seat counters (docs/protocol.md, "Live counters").

After every change of an event's or a shift's seats (a seat taken or given up, someone
moved up), the connections watching its initiative (or the city-wide events) get a
`seats` frame with the counter as it is now, on every worker, after the commit. The
counter carries `version`, which the change raised with the row locked: a client keeps
the highest version it has seen, so frames that cross on the way (two workers) or a
`watching` snapshot that overlaps them never set a counter back. A client that
reconnects watches again and starts from the snapshot: nothing to replay.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from common.errors import not_found
from events import seats, selectors
from events.models import Event, Shift
from events.rendering import counter_data
from initiatives.models import Initiative
from realtime import publish

SNAPSHOT_LIMIT = 100  # of each kind, soonest first


def topic_of(initiative_id: int | None) -> str:
    return "seats.city" if initiative_id is None else f"seats.{int(initiative_id)}"


def seats_changed(kind: seats.Seats, item: Event | Shift) -> None:
    """Count the change and tell the watchers after commit. Precondition: `item` is
    locked (events.services), so versions follow the order of the changes."""
    item.seats_version += 1
    item.save(update_fields=["seats_version"])
    counts = seats.counts(kind, item)
    frame = {
        "type": "seats",
        "initiative": item.initiative_id,
        "counter": counter_data(item, going=counts.going, waitlist=counts.waitlist),
    }
    publish.topic_frame_on_commit(topic=topic_of(item.initiative_id), frame=frame)


def _counter(item: Any) -> dict[str, Any]:
    """From a row of events.selectors (with `going` and `waiting` annotated)."""
    return counter_data(item, going=item.going, waitlist=item.waiting)


class SeatCounters:
    """The provider of rooms.watching.counters (plugged in by events/apps.py)."""

    def topic_of(self, initiative_id: int | None) -> str:
        return topic_of(initiative_id)

    def snapshot(self, *, user: User, initiative_id: int | None) -> list[dict[str, Any]]:
        """The initiative's coming events and open shifts (None: the city-wide events)."""
        if initiative_id is None:
            events = selectors.upcoming_events().filter(initiative__isnull=True)
            return [_counter(e) for e in events[:SNAPSHOT_LIMIT]]
        initiative = Initiative.objects.filter(pk=initiative_id).first()
        if initiative is None:
            raise not_found()
        events = selectors.upcoming_events().filter(initiative=initiative)
        shifts = selectors.open_shifts(initiative=initiative)
        return [_counter(e) for e in events[:SNAPSHOT_LIMIT]] + [
            _counter(s) for s in shifts[:SNAPSHOT_LIMIT]
        ]
