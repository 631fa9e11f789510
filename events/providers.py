"""What events plugs into the slots of the packages beneath it (common/slots.py).
Plugged in by events/apps.py."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from common.errors import not_found
from events import live, selectors
from events.rendering import counter_data
from initiatives.models import Initiative

SNAPSHOT_LIMIT = 100  # of each kind, soonest first


def _counter(item: Any) -> dict[str, Any]:
    """From a row of events.selectors (with `going` and `waiting` annotated)."""
    return counter_data(item, going=item.going, waitlist=item.waiting)


class SeatCounters:
    """The provider of rooms.watching.counters (plugged in by events/apps.py)."""

    def topic_of(self, initiative_id: int | None) -> str:
        return live.topic_of(initiative_id)

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
