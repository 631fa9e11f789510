"""Reads about events and shifts: lists, a person's seat, counters, volunteer hours."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from common.errors import not_found
from common.validation import clean_id
from events import seats
from events.models import CalendarFeed, Event, Rsvp, SeatStatus, Shift, Signup
from initiatives.models import Initiative


def _with_counts(qs: QuerySet[Any], related: str) -> QuerySet[Any]:
    """`going` and `waiting` of each row, in the same query (lists show the counters)."""
    return qs.annotate(
        going=Count(related, filter=Q(**{f"{related}__status": SeatStatus.GOING}), distinct=True),
        waiting=Count(
            related, filter=Q(**{f"{related}__status": SeatStatus.WAITLIST}), distinct=True
        ),
    )


def events_listed() -> QuerySet[Event]:
    """Events neither cancelled nor hidden by moderation (lists, feeds, pages and the
    API's detail show only these)."""
    return _with_counts(
        Event.objects.filter(cancelled_at__isnull=True, hidden_at__isnull=True).select_related(
            "initiative", "district"
        ),
        "rsvps",
    ).order_by("start", "pk")


def upcoming_events() -> QuerySet[Event]:
    """Events not cancelled that have not ended, soonest first."""
    return events_listed().filter(end__gt=timezone.now())


def access_event(*, event_id: Any) -> Event:
    try:
        return events_listed().get(pk=clean_id(event_id, field="id"))
    except Event.DoesNotExist:
        raise not_found() from None


def open_shifts(*, initiative: Initiative | None = None) -> QuerySet[Shift]:
    shifts = Shift.objects.filter(cancelled_at__isnull=True, end__gt=timezone.now()).exclude(
        event__hidden_at__isnull=False  # a hidden event takes its shifts along
    )
    if initiative is not None:
        shifts = shifts.filter(initiative=initiative)
    return _with_counts(shifts.select_related("initiative", "event"), "signups").order_by(
        "start", "pk"
    )


def access_shift(*, shift_id: Any) -> Shift:
    try:
        return _with_counts(
            Shift.objects.filter(cancelled_at__isnull=True)
            .exclude(event__hidden_at__isnull=False)
            .select_related("initiative", "event"),
            "signups",
        ).get(pk=clean_id(shift_id, field="id"))
    except Shift.DoesNotExist:
        raise not_found() from None


def shift_people(*, shift: Shift) -> QuerySet[Signup]:
    """Who comes and who waits, in order (for the leads)."""
    return (
        seats.SIGNUPS.of(shift)
        .select_related("user__profile")
        .order_by("status", "created_at", "pk")  # "going" before "waitlist"
    )


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


def my_seats(*, user: User) -> tuple[QuerySet[Rsvp], QuerySet[Signup]]:
    """The person's coming events and shifts (going or waiting), soonest first."""
    now = timezone.now()
    rsvps = (
        Rsvp.objects.filter(
            user=user,
            event__cancelled_at__isnull=True,
            event__hidden_at__isnull=True,
            event__end__gt=now,
        )
        .select_related("event__initiative")
        .order_by("event__start")
    )
    signups = (
        Signup.objects.filter(user=user, shift__cancelled_at__isnull=True, shift__end__gt=now)
        .exclude(shift__event__hidden_at__isnull=False)
        .select_related("shift__initiative", "shift__event")
        .order_by("shift__start")
    )
    return rsvps, signups


def feed_owner(*, token: str) -> User | None:
    feed = CalendarFeed.objects.filter(token=token).select_related("user").first()
    return feed.user if feed is not None and feed.user.is_active else None


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
