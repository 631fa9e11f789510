"""Events and shifts as the REST API (and the pages' data) show them."""

from __future__ import annotations

from typing import Any

from common.times import iso
from events.models import Event, Shift


def _free(capacity: int, going: int) -> int | None:
    return None if capacity == 0 else max(0, capacity - going)


def event_data(event: Event) -> dict[str, Any]:
    """`event` comes from events.selectors (with its `going` and `waiting` counts)."""
    going = getattr(event, "going", 0)
    initiative = event.initiative
    return {
        "id": event.pk,
        "title": event.title,
        "description": event.description,
        "description_html": event.description_html,
        "start": iso(event.start),
        "end": iso(event.end),
        "place": event.place,
        "district": event.district.slug if event.district else None,
        "district_name": event.district.localized_name if event.district else None,
        "initiative": (
            {"slug": initiative.slug, "title": initiative.title} if initiative else None
        ),
        "capacity": event.capacity,
        "action_day": event.action_day,
        "going": going,
        "waitlist": getattr(event, "waiting", 0),
        "free": _free(event.capacity, going),
    }


def shift_data(shift: Shift) -> dict[str, Any]:
    going = getattr(shift, "going", 0)
    return {
        "id": shift.pk,
        "initiative": shift.initiative.slug,
        "event": shift.event_id,
        "title": shift.title,
        "start": iso(shift.start),
        "end": iso(shift.end),
        "capacity": shift.capacity,
        "going": going,
        "waitlist": getattr(shift, "waiting", 0),
        "free": _free(shift.capacity, going),
    }
