"""The start page: what the community is, a call to join in, the newest initiatives,
the next events and the shifts still short of people, open needs, popular lifehacks
and the latest news."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from community import selectors as community_selectors
from events import selectors as event_selectors
from frontend.views.events import shift_views
from initiatives import selectors

NEWEST = 6
UPCOMING = 3


def home(request: HttpRequest) -> HttpResponse:
    initiatives = selectors.initiative_list()[:NEWEST]
    short = [s for s in shift_views(request, event_selectors.open_shifts()[:30]) if s["free"] != 0]
    return render(
        request,
        "frontend/home.html",
        {
            "initiatives": initiatives,
            "events": event_selectors.upcoming_events()[:UPCOMING],
            "shifts": short[:UPCOMING],
            "needs": community_selectors.needs_open()[:UPCOMING],
            "lifehacks": community_selectors.lifehacks_popular()[:UPCOMING],
            "news": community_selectors.news_listed()[:UPCOMING],
        },
    )
