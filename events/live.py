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

from events import seats
from events.models import Event, Shift
from events.rendering import counter_data
from realtime import publish


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
