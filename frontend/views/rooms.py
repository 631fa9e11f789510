"""The room page: the server renders the room's last 50 messages into the page as data
(the same replay a `subscribe` without `since` gets), js/room.js shows them and then
follows the room live over the websocket from that `seq`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.selectors import public_user
from events import selectors as event_selectors
from events.rendering import page_of, shift_data
from frontend.pages import room_or_error
from frontend.web import signed_in
from moderation.models import Report
from rooms import permissions
from rooms import selectors as room_selectors
from rooms.rendering import room_data

ROOM_SHIFTS = 4  # the soonest; the initiative's page has them all


@login_required
def room(request: HttpRequest, room_id: int) -> HttpResponse:
    user = signed_in(request)
    current = room_or_error(user, room_id)
    snapshot = room_selectors.subscription_snapshot(user=user, room_id=current.pk, since=None)
    state: dict[str, Any] = {
        "room": room_data(current),
        "seq": snapshot.replay.seq,
        "messages": [{**item["data"], "seq": item["seq"]} for item in snapshot.replay.events],
        "read_seq": room_selectors.last_read_seq(user=user, room=current),
        "you": snapshot.you,
        "me": public_user(user),
        "sees_hidden": permissions.sees_hidden_content(user),
        "can_moderate": permissions.can_moderate_room(user, current),
        "edit_window": settings.KLIMA["EDIT_WINDOW_SECONDS"],
        "max_length": settings.KLIMA["MESSAGE_MAX_LENGTH"],
        "report_reasons": [{"value": v, "label": str(label)} for v, label in Report.Reason.choices],
    }
    siblings = room_selectors.room_list(user=user).filter(initiative=current.initiative)
    shifts: list[dict[str, Any]] = []
    if current.initiative is not None:  # the initiative's coming shifts, counting live
        coming = event_selectors.open_shifts(initiative=current.initiative)[:ROOM_SHIFTS]
        shifts = [{**shift_data(s), "shift": s, "url": page_of(s)} for s in coming]
    return render(
        request,
        "frontend/room.html",
        {
            "room": current,
            "rooms": siblings,
            "shifts": shifts,
            "state": state,
            "can_moderate": state["can_moderate"],
        },
    )
