"""Creating and changing rooms."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from common.errors import DomainError, forbidden
from initiatives.models import Initiative
from realtime import publish
from realtime.messages import Recheck
from rooms import permissions
from rooms.models import Room
from rooms.restrictions import restrictions
from rooms.services import events

TITLE_MAX = 80


def room_create(*, initiative: Initiative | None, title: str, members_only: bool = False) -> Room:
    """A room of `initiative`, or city-wide. No permission check: for the system itself
    (the room "Allgemein" of a new initiative, seed data); people go through
    `room_create_by_lead`."""
    return Room.objects.create(
        initiative=initiative, title=title.strip(), members_only=members_only
    )


def _clean_title(title: Any) -> str:
    if not isinstance(title, str) or not 1 <= len(title.strip()) <= TITLE_MAX:
        raise DomainError(
            "invalid", _("Der Titel muss 1 bis %(n)d Zeichen lang sein.") % {"n": TITLE_MAX}
        )
    return title.strip()


def room_create_by_lead(
    *, user: User, initiative: Initiative, title: Any, members_only: bool = False
) -> Room:
    """Leads (and moderators) add rooms to their initiative, open or members-only."""
    if not permissions.can_create_room(user, initiative):
        raise forbidden(_("Nur die Leitung der Initiative kann Räume anlegen."))
    return room_create(initiative=initiative, title=_clean_title(title), members_only=members_only)


def room_update(*, user: User, room: Room, **changes: Any) -> Room:
    """Leads and moderators change title, members-only, slow mode or archive state;
    subscribers see it live as `room.updated`."""
    if not permissions.can_moderate_room(user, room):
        raise forbidden(_("Nur die Leitung der Initiative kann diesen Raum ändern."))
    allowed = {"title", "members_only", "slow_mode_seconds", "archived"}
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError("invalid", _("Unbekannte Felder: %s") % ", ".join(sorted(unknown)))
    if "title" in changes:
        changes["title"] = _clean_title(changes["title"])
    with transaction.atomic():
        # `of=("self",)`: PostgreSQL cannot lock the nullable side of an outer join.
        room = (
            Room.objects.select_for_update(of=("self",))
            .select_related("initiative")
            .get(pk=room.pk)
        )
        changed = [name for name, value in changes.items() if getattr(room, name) != value]
        if not changed:
            return room
        for name in changed:
            setattr(room, name, changes[name])
        room.save(update_fields=changed)
        events.room_event(room=room)
        if "slow_mode_seconds" in changed:
            restrictions.get().slow_mode_set(actor=user, room=room)
        if "members_only" in changed and room.members_only:
            # Subscribers who are not members lose the room now, not at their next reconnect.
            publish.room_control_on_commit(room_id=room.pk, control=Recheck(room=room.pk))
    return room
