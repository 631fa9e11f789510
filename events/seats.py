"""The one seat rule of RSVPs and shift sign-ups.

Going while there is room (capacity 0: unlimited), else on the waiting list in the
order people came; when a going seat frees, the first on the list moves up. Every
change happens with the event's or shift's row locked (`select_for_update`; on SQLite
the IMMEDIATE transaction takes the write lock), so parallel requests never overbook
and the list keeps its order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Count, Model, Q, QuerySet

from events.models import Event, Rsvp, SeatStatus, Shift, Signup


@dataclass(frozen=True)
class Seats:
    """Where one kind of seat lives: its model and the field naming its parent."""

    parent_model: type[Event] | type[Shift]
    seat_model: type[Rsvp] | type[Signup]
    parent_field: str

    def of(self, parent: Model) -> QuerySet[Any]:
        return self.seat_model.objects.filter(**{self.parent_field: parent})


RSVPS = Seats(Event, Rsvp, "event")
SIGNUPS = Seats(Shift, Signup, "shift")


@dataclass(frozen=True)
class Counts:
    going: int
    waitlist: int
    capacity: int

    @property
    def free(self) -> int | None:
        """Places left; None when unlimited."""
        return None if self.capacity == 0 else max(0, self.capacity - self.going)


def counts(kind: Seats, parent: Event | Shift) -> Counts:
    totals = kind.of(parent).aggregate(
        going=Count("pk", filter=Q(status=SeatStatus.GOING)),
        waitlist=Count("pk", filter=Q(status=SeatStatus.WAITLIST)),
    )
    return Counts(going=totals["going"], waitlist=totals["waitlist"], capacity=parent.capacity)


def take(kind: Seats, *, parent: Event | Shift, user: User) -> tuple[Any, bool]:
    """The user's seat, and whether it was made now (False: they had one already).
    Precondition: `parent` is locked."""
    existing = kind.of(parent).filter(user=user).first()
    if existing is not None:
        return existing, False
    going = kind.of(parent).filter(status=SeatStatus.GOING).count()
    status = (
        SeatStatus.GOING if parent.capacity == 0 or going < parent.capacity else SeatStatus.WAITLIST
    )
    seat = kind.seat_model.objects.create(user=user, status=status, **{kind.parent_field: parent})
    return seat, True


def release(kind: Seats, *, parent: Event | Shift, user: User) -> list[Any] | None:
    """Give the user's seat up; returns the seats of whoever moved up (one, or none),
    or None when the user had no seat. Precondition: `parent` is locked."""
    seat = kind.of(parent).filter(user=user).first()
    if seat is None:
        return None
    was_going = seat.status == SeatStatus.GOING
    seat.delete()
    return fill_free_places(kind, parent=parent) if was_going else []


def fill_free_places(kind: Seats, *, parent: Event | Shift) -> list[Any]:
    """Move the first on the waiting list up while places are free (a seat freed, or the
    capacity raised), in order. Precondition: `parent` is locked."""
    moved: list[Any] = []
    while True:
        going = kind.of(parent).filter(status=SeatStatus.GOING).count()
        if parent.capacity != 0 and going >= parent.capacity:
            return moved
        first = (
            kind.of(parent).filter(status=SeatStatus.WAITLIST).order_by("created_at", "pk").first()
        )
        if first is None:
            return moved
        first.status = SeatStatus.GOING
        first.save(update_fields=["status"])
        moved.append(first)
