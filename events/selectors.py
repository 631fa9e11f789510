"""Reads about events and shifts: lists, a person's seat, counters, volunteer hours."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone

from events import seats
from events.models import Event, SeatStatus, Shift, Signup
from initiatives.models import Initiative


def upcoming_events() -> QuerySet[Event]:
    """Events not cancelled that have not ended, soonest first."""
    return (
        Event.objects.filter(cancelled_at__isnull=True, end__gt=timezone.now())
        .select_related("initiative", "district")
        .order_by("start", "pk")
    )


def open_shifts(*, initiative: Initiative | None = None) -> QuerySet[Shift]:
    shifts = Shift.objects.filter(cancelled_at__isnull=True, end__gt=timezone.now())
    if initiative is not None:
        shifts = shifts.filter(initiative=initiative)
    return shifts.select_related("initiative", "event").order_by("start", "pk")


def rsvp_status(*, user: User, event: Event) -> str | None:
    return seats.RSVPS.of(event).filter(user=user).values_list("status", flat=True).first()


def signup_status(*, user: User, shift: Shift) -> str | None:
    return seats.SIGNUPS.of(shift).filter(user=user).values_list("status", flat=True).first()


def waitlist(kind: seats.Seats, item: Event | Shift) -> list[int]:
    """User ids on the waiting list, first first."""
    return list(
        kind.of(item)
        .filter(status=SeatStatus.WAITLIST)
        .order_by("created_at", "pk")
        .values_list("user_id", flat=True)
    )


def _hours(signups: QuerySet[Signup]) -> float:
    total = sum(
        ((s.shift.end - s.shift.start) for s in signups.select_related("shift")), timedelta()
    )
    return round(total.total_seconds() / 3600, 2)


def hours_of_person(*, user: User) -> float:
    """Volunteer hours of the shifts the person came to (shown to them on their profile)."""
    return _hours(Signup.objects.filter(user=user, attended=True))


def hours_of_initiative(*, initiative: Initiative) -> float:
    """Volunteer hours given to the initiative's shifts (for the impact view to come)."""
    return _hours(Signup.objects.filter(shift__initiative=initiative, attended=True))
