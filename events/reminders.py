"""The day-before reminder: everyone going to an event, or signed up for a shift, that
starts tomorrow (Europe/Berlin) gets one `reminder` notification, once per seat.
`python manage.py send_reminders` runs it (cron: hourly; docs/deployment.md). Who
waits on a waiting list gets none: they hear when they move up.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import Notification
from accounts.notifications import notify
from events.models import Event, Rsvp, SeatStatus, Shift, Signup
from events.rendering import page_of


def remind(*, now: datetime) -> int:
    """Remind the seats of tomorrow's events and shifts not reminded yet; how many."""
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    zone = timezone.get_current_timezone()
    start = datetime.combine(tomorrow, time.min, tzinfo=zone)
    window = {"gte": start, "lt": start + timedelta(days=1)}
    rsvps = Rsvp.objects.filter(
        status=SeatStatus.GOING,
        reminded_at__isnull=True,
        event__cancelled_at__isnull=True,
        event__hidden_at__isnull=True,
        **{f"event__start__{op}": value for op, value in window.items()},
    ).select_related("event", "user__profile")
    signups = (
        Signup.objects.filter(
            status=SeatStatus.GOING,
            reminded_at__isnull=True,
            shift__cancelled_at__isnull=True,
            **{f"shift__start__{op}": value for op, value in window.items()},
        )
        .exclude(shift__event__hidden_at__isnull=False)
        .select_related("shift__event", "shift__initiative", "user__profile")
    )
    count = 0
    for rsvp in rsvps:
        count += _remind(
            rsvp, rsvp.event.title, rsvp.event.start, rsvp.event.place, rsvp.event, now
        )
    for signup in signups:
        shift = signup.shift
        place = shift.event.place if shift.event else shift.initiative.title
        count += _remind(signup, shift.title, shift.start, place, shift, now)
    return count


@transaction.atomic
def _remind(
    seat: Rsvp | Signup, title: str, start: datetime, place: str, item: Event | Shift, now: datetime
) -> int:
    # Locked and checked again: two runs at once remind once.
    fresh = type(seat).objects.select_for_update().filter(pk=seat.pk, reminded_at__isnull=True)
    if not fresh.update(reminded_at=now):
        return 0
    at = formats.time_format(timezone.localtime(start), "H:i")
    notify(
        user=seat.user,
        kind=Notification.Kind.REMINDER,
        text=lambda: (
            _("Morgen um %(time)s Uhr: „%(title)s“, %(place)s")
            % {"time": at, "title": title, "place": place}
        ),
        url=page_of(item),
    )
    return 1
