"""Every write about events, shifts and their seats: the only place that changes them.

Seats (RSVPs, shift sign-ups) follow events/seats.py with the event's or shift's row
locked; whoever moves up from the waiting list is told (notification kind
`waitlist`). Attendance is ticked by the leads; the hours of those who came count
for them and for the initiative (events/selectors.py).
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Notification
from accounts.notifications import notify
from common.errors import DomainError, forbidden, not_found
from common.markup import render_markdown
from common.validation import clean_id
from events import live, permissions, seats
from events.models import CalendarFeed, Event, SeatStatus, Shift, Signup
from events.rendering import page_of
from initiatives.following import tell_followers
from initiatives.models import District, Initiative

TITLE_MAX = 120
PLACE_MAX = 200
CAPACITY_MAX = 100_000


def _clean_text(value: Any, *, field: str, maximum: int) -> str:
    if not isinstance(value, str) or not 1 <= len(value.strip()) <= maximum:
        raise DomainError(
            "invalid",
            _("`%(field)s` muss 1 bis %(n)d Zeichen lang sein.") % {"field": field, "n": maximum},
        )
    return value.strip()


def _clean_times(start: Any, end: Any) -> tuple[datetime, datetime]:
    if not isinstance(start, datetime) or not isinstance(end, datetime):
        raise DomainError("invalid", _("Beginn und Ende brauchen Datum und Uhrzeit."))
    if end <= start:
        raise DomainError("invalid", _("Das Ende muss nach dem Beginn liegen."))
    return start, end


def _clean_capacity(capacity: Any) -> int:
    if (
        isinstance(capacity, bool)
        or not isinstance(capacity, int)
        or not 0 <= capacity <= CAPACITY_MAX
    ):
        raise DomainError(
            "invalid", _("Die Plätze sind eine Zahl von 0 (unbegrenzt) bis %d.") % CAPACITY_MAX
        )
    return capacity


@transaction.atomic
def event_create(
    *,
    user: User,
    title: Any,
    start: Any,
    end: Any,
    place: Any,
    description: Any = "",
    capacity: Any = 0,
    initiative: Initiative | None = None,
    district: District | None = None,
    action_day: bool = False,
) -> Event:
    """An event of an initiative (its leads) or city-wide (site moderators)."""
    if not permissions.can_manage_events(user, initiative):
        raise forbidden(
            _("Veranstaltungen legt die Leitung der Initiative an; stadtweite die Moderation.")
        )
    start, end = _clean_times(start, end)
    text = description if isinstance(description, str) else ""
    event = Event.objects.create(
        initiative=initiative,
        title=_clean_text(title, field="title", maximum=TITLE_MAX),
        description=text,
        description_html=render_markdown(text),
        start=start,
        end=end,
        place=_clean_text(place, field="place", maximum=PLACE_MAX),
        district=district or (initiative.district if initiative else None),
        capacity=_clean_capacity(capacity),
        action_day=bool(action_day),
        created_by=user,
    )
    if initiative is not None:
        tell_followers(
            initiative=initiative,
            author=user,
            what=gettext_lazy("Veranstaltung"),
            title=event.title,
            url=page_of(event),
            subject=("event", event.pk),
        )
    return event


@transaction.atomic
def event_cancel(*, user: User, event_id: Any) -> Event:
    """Cancelled events leave the lists and feeds; their seats stay as a record."""
    event = _locked(Event, event_id)
    if not permissions.can_manage_events(user, event.initiative):
        raise forbidden()
    if event.cancelled_at is None:
        event.cancelled_at = timezone.now()
        event.save(update_fields=["cancelled_at"])
    return event


@transaction.atomic
def shift_create(
    *,
    user: User,
    initiative: Initiative,
    title: Any,
    start: Any,
    end: Any,
    capacity: Any = 0,
    event: Event | None = None,
) -> Shift:
    """A volunteer slot of the initiative, optionally part of one of its events."""
    if not permissions.can_manage_events(user, initiative):
        raise forbidden(_("Schichten legt die Leitung der Initiative an."))
    if event is not None and event.initiative_id != initiative.pk:
        raise DomainError("invalid", _("Die Veranstaltung gehört nicht zu dieser Initiative."))
    start, end = _clean_times(start, end)
    return Shift.objects.create(
        initiative=initiative,
        event=event,
        title=_clean_text(title, field="title", maximum=TITLE_MAX),
        start=start,
        end=end,
        capacity=_clean_capacity(capacity),
    )


def _locked(model: type[Event] | type[Shift], item_id: Any) -> Any:
    """The event or shift, row-locked; one that moderation hid is `not_found`."""
    try:
        item = (
            model.objects.select_for_update(of=("self",))
            .select_related("initiative")
            .get(pk=clean_id(item_id, field="id"))
        )
    except model.DoesNotExist:
        raise not_found() from None
    event = item if isinstance(item, Event) else item.event
    if event is not None and event.hidden_at is not None:
        raise not_found()
    return item


def _tell_moved_up(moved: list[Any], title: str) -> None:
    for seat in moved:
        notify(
            user=seat.user,
            kind=Notification.Kind.WAITLIST,
            text=lambda: (
                _("Ein Platz ist frei geworden: du bist jetzt bei „%(title)s“ dabei.")
                % {"title": title}
            ),
        )


def _take(kind: seats.Seats, *, user: User, item_id: Any) -> str:
    with transaction.atomic():
        item = _locked(kind.parent_model, item_id)
        if not permissions.can_take_seat(user, item):
            raise DomainError("conflict", _("Dafür kann man sich nicht mehr anmelden."))
        seat, made = seats.take(kind, parent=item, user=user)
        if made:
            live.seats_changed(kind, item)
        return str(seat.status)


def _release(kind: seats.Seats, *, user: User, item_id: Any) -> None:
    with transaction.atomic():
        item = _locked(kind.parent_model, item_id)
        if not permissions.is_open(item):
            raise DomainError("conflict", _("Das ist vorbei oder abgesagt."))
        moved = seats.release(kind, parent=item, user=user)
        if moved is not None:
            _tell_moved_up(moved, item.title)
            live.seats_changed(kind, item)


def rsvp_take(*, user: User, event_id: Any) -> str:
    """Going, or on the waiting list when full; again: the same answer."""
    return _take(seats.RSVPS, user=user, item_id=event_id)


def rsvp_release(*, user: User, event_id: Any) -> None:
    """Not going after all; the first on the waiting list moves up and is told."""
    _release(seats.RSVPS, user=user, item_id=event_id)


def signup_take(*, user: User, shift_id: Any) -> str:
    return _take(seats.SIGNUPS, user=user, item_id=shift_id)


def signup_release(*, user: User, shift_id: Any) -> None:
    _release(seats.SIGNUPS, user=user, item_id=shift_id)


@transaction.atomic
def attendance_set(*, actor: User, shift_id: Any, user_id: Any, attended: Any) -> Signup:
    """A lead ticks who came (true), who did not (false), or clears it (null)."""
    shift = _locked(Shift, shift_id)
    if not permissions.can_see_attendees(actor, shift):
        raise forbidden(_("Wer da war, trägt die Leitung der Initiative ein."))
    if attended is not None and not isinstance(attended, bool):
        raise DomainError("invalid", _("`attended` muss true, false oder null sein."))
    seat = (
        seats.SIGNUPS.of(shift)
        .filter(user_id=clean_id(user_id, field="user"), status=SeatStatus.GOING)
        .first()
    )
    if seat is None:
        raise not_found()
    seat.attended = attended
    seat.save(update_fields=["attended"])
    return seat


def calendar_feed_renew(*, user: User) -> CalendarFeed:
    """A new secret address for the person's own calendar feed (the old one stops)."""
    feed, _created = CalendarFeed.objects.update_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    return feed


def calendar_feed_of(*, user: User) -> CalendarFeed:
    """The person's feed, made on first use."""
    feed = CalendarFeed.objects.filter(user=user).first()
    return feed or calendar_feed_renew(user=user)
