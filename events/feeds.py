"""Calendar feeds (iCalendar, built with `icalendar`): the city's events (filters as the
event list's: district, category, ...), one initiative's, and a person's own events and
shifts at a secret address. Each entry links back to its page. Cancelled events leave
the feeds (a subscribed calendar drops them at its next refresh)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

import icalendar
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from common.errors import DomainError
from events import selectors
from events.filters import EventFilter
from events.models import Event, Shift
from events.rendering import page_of
from initiatives.city import city_name
from initiatives.selectors import access_initiative

FEED_DAYS_BACK = 30  # a calendar keeps last month's entries


def _calendar(name: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Klima-Community//Veranstaltungen//DE")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Berlin")
    return calendar


def _event_entry(request: HttpRequest, event: Event) -> icalendar.Event:
    entry = icalendar.Event()
    entry.add("uid", f"event-{event.pk}@{request.get_host()}")
    entry.add("dtstamp", timezone.now())
    entry.add("dtstart", event.start)
    entry.add("dtend", event.end)
    entry.add("summary", event.title)
    entry.add("location", event.place)
    page = request.build_absolute_uri(page_of(event))
    entry.add("url", page)
    entry.add("description", f"{event.description}\n\n{page}".strip())
    return entry


def _shift_entry(request: HttpRequest, shift: Shift) -> icalendar.Event:
    entry = icalendar.Event()
    entry.add("uid", f"shift-{shift.pk}@{request.get_host()}")
    entry.add("dtstamp", timezone.now())
    entry.add("dtstart", shift.start)
    entry.add("dtend", shift.end)
    entry.add(
        "summary",
        _("Schicht: %(title)s (%(initiative)s)")
        % {"title": shift.title, "initiative": shift.initiative.title},
    )
    page = request.build_absolute_uri(page_of(shift))
    entry.add("url", page)
    entry.add("description", page)
    return entry


def _answer(calendar: icalendar.Calendar) -> HttpResponse:
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "max-age=300"
    return response


def _recent(events: Iterable[Event]) -> list[Event]:
    since = timezone.now() - timedelta(days=FEED_DAYS_BACK)
    return [e for e in events if e.end > since]


@require_safe
def city_feed(request: HttpRequest) -> HttpResponse:
    filterset = EventFilter(request.GET, queryset=selectors.events_listed())
    if not filterset.is_valid():
        return HttpResponse(
            _("Unbekannter Filter: %s") % ", ".join(filterset.errors),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    calendar = _calendar(_("Klima-Community %s: Veranstaltungen") % city_name())
    for event in _recent(filterset.qs):
        calendar.add_component(_event_entry(request, event))
    return _answer(calendar)


@require_safe
def initiative_feed(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        initiative = access_initiative(slug=slug)
    except DomainError:
        raise Http404 from None
    calendar = _calendar(initiative.title)
    for event in _recent(selectors.events_listed().filter(initiative=initiative)):
        calendar.add_component(_event_entry(request, event))
    return _answer(calendar)


@require_safe
def personal_feed(request: HttpRequest, token: str) -> HttpResponse:
    user = selectors.feed_owner(token=token)
    if user is None:
        raise Http404
    calendar = _calendar(_("Meine Termine in der Klima-Community"))
    rsvps, signups = selectors.my_seats(user=user)
    for rsvp in rsvps:
        calendar.add_component(_event_entry(request, rsvp.event))
    for signup in signups:
        calendar.add_component(_shift_entry(request, signup.shift))
    return _answer(calendar)
