"""Events and shifts in the browser: the calendar /veranstaltungen/ (by day, with
filters), an event's page with RSVP and its shifts, and "Meine Termine" with the
person's own calendar feed. Seats are taken and given up by plain form posts."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.errors import DomainError
from events import permissions, selectors, services
from events.filters import EventFilter
from events.rendering import event_data, shift_data
from frontend.web import attempt, is_local_path, signed_in
from initiatives import selectors as initiative_selectors


def event_list(request: HttpRequest) -> HttpResponse:
    data = {key: str(value) for key, value in request.GET.items() if str(value).strip()}
    filterset = EventFilter(data, queryset=selectors.upcoming_events())
    events = list(filterset.qs) if filterset.is_valid() else []
    days = [
        (day, list(items))
        for day, items in groupby(events, key=lambda e: timezone.localtime(e.start).date())
    ]
    return render(
        request,
        "frontend/events/list.html",
        {
            "days": days,
            "filters": data,
            "errors": filterset.errors,
            "categories": initiative_selectors.category_list(),
            "districts": initiative_selectors.district_list(),
            "feed_query": request.GET.urlencode(),
        },
    )


def event_page(request: HttpRequest, event_id: int) -> HttpResponse:
    try:
        event = selectors.access_event(event_id=event_id)
    except DomainError:
        raise Http404 from None
    user = request.user
    shifts = selectors.open_shifts().filter(event=event)
    context: dict[str, Any] = {
        "event": event,
        "counts": event_data(event),
        "open": permissions.is_open(event),
        "shifts": [_shift_view(request, s) for s in shifts],
        "manages": permissions.can_manage_events(user, event.initiative),
    }
    if user.is_authenticated:
        context["my_status"] = selectors.rsvp_status(user=signed_in(request), event=event)
    return render(request, "frontend/events/detail.html", context)


def _shift_view(request: HttpRequest, shift: Any) -> dict[str, Any]:
    view = {"shift": shift, **shift_data(shift)}
    if request.user.is_authenticated:
        view["my_status"] = selectors.signup_status(user=signed_in(request), shift=shift)
    return view


def shift_views(request: HttpRequest, shifts: Any) -> list[dict[str, Any]]:
    """Shifts with their counters and the viewer's own sign-up (initiative page, home)."""
    return [_shift_view(request, s) for s in shifts]


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if is_local_path(target):
        return redirect(target)
    return redirect(fallback)


SEAT_DONE = {
    "going": gettext_lazy("Du bist dabei."),
    "waitlist": gettext_lazy(
        "Es ist voll: du stehst auf der Warteliste und rückst nach, sobald ein Platz frei wird."
    ),
}


@login_required
@require_POST
def event_rsvp(request: HttpRequest, event_id: int) -> HttpResponse:
    user = signed_in(request)
    if request.POST.get("action") == "release":
        attempt(
            request,
            lambda: services.rsvp_release(user=user, event_id=event_id),
            done=_("Abgesagt. Danke, dass du Bescheid gibst."),
        )
    else:
        answer = attempt(request, lambda: services.rsvp_take(user=user, event_id=event_id))
        if answer:
            messages.success(request, SEAT_DONE[answer])
    return _back(request, reverse("event-page", args=[event_id]))


@login_required
@require_POST
def shift_signup(request: HttpRequest, shift_id: int) -> HttpResponse:
    user = signed_in(request)
    if request.POST.get("action") == "release":
        attempt(
            request,
            lambda: services.signup_release(user=user, shift_id=shift_id),
            done=_("Abgemeldet. Danke, dass du Bescheid gibst."),
        )
    else:
        answer = attempt(request, lambda: services.signup_take(user=user, shift_id=shift_id))
        if answer:
            messages.success(request, SEAT_DONE[answer])
    return _back(request, reverse("my-events"))


@login_required
def my_events(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    rsvps, signups = selectors.my_seats(user=user)
    feed = services.calendar_feed_of(user=user)
    return render(
        request,
        "frontend/events/mine.html",
        {
            "rsvps": rsvps,
            "signups": signups,
            "hours": selectors.hours_of_person(user=user),
            "feed_url": request.build_absolute_uri(reverse("feed-personal", args=[feed.token])),
        },
    )


@login_required
@require_POST
def feed_renew(request: HttpRequest) -> HttpResponse:
    services.calendar_feed_renew(user=signed_in(request))
    messages.success(request, _("Neue Adresse: die alte funktioniert nicht mehr."))
    return redirect("my-events")
