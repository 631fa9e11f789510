"""Events and shifts as the REST API (and the pages' data) show them."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

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


def page_of(item: Event | Shift) -> str:
    """The page a person goes to for it: the event's, or the initiative's for a shift
    of no event (feeds, counters)."""
    if isinstance(item, Event):
        return reverse("event-page", args=[item.pk])
    if item.event_id is not None:
        return reverse("event-page", args=[item.event_id])
    return reverse("initiative-detail", args=[item.initiative.slug]) + "#termine"


def counter_data(item: Event | Shift, *, going: int, waitlist: int) -> dict[str, Any]:
    """A live seat counter (docs/protocol.md, "Live counters"): what a page shows of it,
    and `version`, which grows with every change of its seats."""
    is_shift = isinstance(item, Shift)
    return {
        "kind": "shift" if is_shift else "event",
        "id": item.pk,
        "event": item.event_id if isinstance(item, Shift) else None,
        "title": item.title,
        "start": iso(item.start),
        "end": iso(item.end),
        "capacity": item.capacity,
        "going": going,
        "waitlist": waitlist,
        "free": _free(item.capacity, going),
        "version": item.seats_version,
        "url": page_of(item),
    }
