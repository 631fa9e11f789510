"""Creating and changing rooms."""

from __future__ import annotations

from initiatives.models import Initiative
from rooms.models import Room


def room_create(*, initiative: Initiative | None, title: str, members_only: bool = False) -> Room:
    """A room of `initiative` (or city-wide). Permission is the caller's business here:
    initiative_create makes "Allgemein"; leads go through `room_create_by_lead`."""
    return Room.objects.create(
        initiative=initiative, title=title.strip(), members_only=members_only
    )
