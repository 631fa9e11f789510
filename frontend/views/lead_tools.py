"""The leads' tools on their initiative's page: rooms (create, archive, slow mode) and
members (promote, demote). Each posts a form and comes back to the page with a message."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frontend.forms import RoleForm, RoomCreateForm, RoomSettingsForm
from frontend.pages import initiative_or_404, room_or_error
from frontend.web import attempt, form_problem, signed_in
from initiatives import services as initiative_services
from rooms.services import rooms as room_services


@login_required
@require_POST
def room_create(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = initiative_or_404(slug)
    form = RoomCreateForm(request.POST)
    if not form.is_valid():
        form_problem(request, form)
    else:
        attempt(
            request,
            lambda: room_services.room_create_by_lead(
                user=signed_in(request), initiative=initiative, **form.cleaned_data
            ),
            done=_("Der Raum ist angelegt."),
        )
    return redirect("initiative-detail", slug=slug)


@login_required
@require_POST
def room_settings(request: HttpRequest, room_id: int) -> HttpResponse:
    user = signed_in(request)
    room = room_or_error(user, room_id)
    form = RoomSettingsForm(request.POST)
    if not form.is_valid():
        form_problem(request, form)
    else:
        changes = {name: value for name, value in form.cleaned_data.items() if name in request.POST}
        attempt(
            request,
            lambda: room_services.room_update(user=user, room=room, **changes),
            done=_("Der Raum ist geändert."),
        )
    if request.POST.get("next") == "moderation":
        return redirect(reverse("moderation-console") + "#langsam")
    if request.POST.get("next") == "room" or room.initiative is None:
        return redirect("room", room_id=room.pk)
    return redirect("initiative-detail", slug=room.initiative.slug)


@login_required
@require_POST
def member_role(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    initiative = initiative_or_404(slug)
    form = RoleForm(request.POST)
    if not form.is_valid():
        form_problem(request, form)
    else:
        attempt(
            request,
            lambda: initiative_services.member_set_role(
                actor=signed_in(request),
                initiative=initiative,
                user_id=user_id,
                role=form.cleaned_data["role"],
            ),
            done=_("Die Rolle ist geändert."),
        )
    return redirect("initiative-detail", slug=slug)
