"""The start page: what the community is, a call to join in, the newest initiatives."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from initiatives import selectors

NEWEST = 6


def home(request: HttpRequest) -> HttpResponse:
    initiatives = selectors.initiative_list()[:NEWEST]
    return render(request, "frontend/home.html", {"initiatives": initiatives})
