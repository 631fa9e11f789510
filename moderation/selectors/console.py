"""What the moderation console needs besides the REST lists: the rooms a viewer looks
after (slow mode) and the names of the rooms and initiatives that scopes refer to."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from accounts.selectors import is_moderator
from initiatives.models import Initiative
from moderation.permissions import led_initiatives
from rooms.models import Room

AnyUser = User | AnonymousUser


def overseen_rooms(*, viewer: AnyUser) -> QuerySet[Room]:
    """Moderators: every room; leads: the rooms of their initiatives."""
    rooms = Room.objects.select_related("initiative").order_by("initiative__title", "title")
    if is_moderator(viewer):
        return rooms
    return rooms.filter(initiative__in=led_initiatives(viewer))


def scope_names(*, viewer: AnyUser) -> dict[str, dict[int, str]]:
    """{"rooms": {id: "Initiative · Raum"}, "initiatives": {id: title}} for the viewer's part."""
    rooms: dict[int, str] = {}
    for room in overseen_rooms(viewer=viewer):
        rooms[room.pk] = (
            f"{room.initiative.title} · {room.title}" if room.initiative else room.title
        )
    initiatives: QuerySet[Initiative] = (
        Initiative.objects.all() if is_moderator(viewer) else led_initiatives(viewer)
    )
    names: dict[str, Any] = {
        "rooms": rooms,
        "initiatives": dict(initiatives.values_list("pk", "title")),
    }
    return names
