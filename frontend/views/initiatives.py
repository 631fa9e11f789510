"""The directory of initiatives and an initiative's own page, with joining and leaving."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community import selectors as community_selectors
from events import selectors as event_selectors
from frontend.forms import SLOW_MODE_CHOICES
from frontend.pages import initiative_or_404
from frontend.views.events import shift_views
from frontend.web import attempt, signed_in
from initiatives import permissions, selectors, services
from initiatives.filters import InitiativeFilter
from initiatives.models import Initiative, Membership
from rooms import selectors as room_selectors

PAGE_SIZE = 12


def directory(request: HttpRequest) -> HttpResponse:
    """Filters as a plain GET form (works without JavaScript); an empty choice means all."""
    data = {key: str(value) for key, value in request.GET.items() if str(value).strip()}
    data.pop("page", None)
    archived = data.get("status") == Initiative.Status.ARCHIVED
    filterset = InitiativeFilter(
        data, queryset=selectors.initiative_list(include_archived=archived)
    )
    results = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "frontend/initiative_list.html",
        {
            "page": page,
            "filters": data,
            "errors": filterset.errors,
            "filtered": bool(data),
            "query": query.urlencode(),
            "categories": selectors.category_list(),
            "districts": selectors.district_list(),
            "statuses": Initiative.Status.choices,
        },
    )


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = initiative_or_404(slug)
    user = request.user
    role = permissions.role_in(user, initiative)
    memberships = list(selectors.membership_list(initiative=initiative))
    context: dict[str, Any] = {
        "initiative": initiative,
        "role": role,
        "leads": [m for m in memberships if m.role == Membership.Role.LEAD],
        "can_edit": permissions.can_edit_initiative(user, initiative),
        "can_join": permissions.can_join(user, initiative),
        "following": selectors.is_following(user=user, initiative=initiative),
        "events": event_selectors.upcoming_events().filter(initiative=initiative)[:5],
        "shifts": shift_views(request, event_selectors.open_shifts(initiative=initiative)[:10]),
        "needs": community_selectors.needs_open().filter(initiative=initiative)[:5],
    }
    if user.is_authenticated:
        context["rooms"] = room_selectors.room_list(user=signed_in(request)).filter(
            initiative=initiative
        )
    else:
        context["rooms"] = room_selectors.public_rooms(initiative=initiative)
    if context["can_edit"]:
        context["memberships"] = memberships
        context["slow_mode_choices"] = SLOW_MODE_CHOICES
    return render(request, "frontend/initiative_detail.html", context)


@login_required
@require_POST
def join(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = initiative_or_404(slug)
    attempt(
        request,
        lambda: services.initiative_join(user=signed_in(request), initiative=initiative),
        done=_("Willkommen! Du bist jetzt dabei."),
    )
    return redirect("initiative-detail", slug=slug)


@login_required
@require_POST
def follow(request: HttpRequest, slug: str) -> HttpResponse:
    """Follow (or stop: `following=false`) an initiative's new events, news and needs."""
    initiative = initiative_or_404(slug)
    following = request.POST.get("following") != "false"
    attempt(
        request,
        lambda: services.initiative_follow(
            user=signed_in(request), initiative=initiative, following=following
        ),
        done=_(
            "Du folgst jetzt: neue Termine, Neuigkeiten und Gesuche kommen als Benachrichtigung."
        )
        if following
        else _("Du folgst nicht mehr."),
    )
    return redirect("initiative-detail", slug=slug)


@login_required
@require_POST
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = initiative_or_404(slug)
    attempt(
        request,
        lambda: services.initiative_leave(user=signed_in(request), initiative=initiative),
        done=_("Du bist nicht mehr dabei."),
    )
    return redirect("initiative-detail", slug=slug)
