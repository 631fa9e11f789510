"""Who may do what with events and shifts: the one place these rules live."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.utils import timezone

from accounts.selectors import is_moderator
from events.models import Event, Shift
from initiatives.models import Initiative
from initiatives.permissions import can_moderate_in

AnyUser = User | AnonymousUser


def can_manage_events(user: AnyUser, initiative: Initiative | None) -> bool:
    """An initiative's events and shifts: its leads and the site moderators; city-wide
    events (no initiative): the site moderators."""
    if initiative is None:
        return is_moderator(user)
    return can_moderate_in(user, initiative)


def is_open(item: Event | Shift) -> bool:
    """Seats can be taken or given up until the end, unless it was cancelled or hidden."""
    event = item if isinstance(item, Event) else item.event
    hidden = event is not None and event.hidden_at is not None
    return item.cancelled_at is None and not hidden and item.end > timezone.now()


def can_take_seat(user: AnyUser, item: Event | Shift) -> bool:
    return user.is_authenticated and user.is_active and is_open(item)


def can_see_attendees(user: AnyUser, shift: Shift) -> bool:
    """Who comes (display names) is for the leads; each person sees their own seat."""
    return can_manage_events(user, shift.initiative)
