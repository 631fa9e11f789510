"""What rooms plugs into the slots of the packages beneath it (common/slots.py), so that
they can call up into rooms without importing it. Plugged in by rooms/apps.py."""

from __future__ import annotations

from initiatives.models import Initiative
from realtime import publish
from realtime.messages import Recheck, RoomEventMessage
from rooms import selectors
from rooms.models import Room
from rooms.services import room_create

GENERAL_ROOM_TITLE = "Allgemein"


class RoomLogReader:
    """The rooms' log as the fan-out reads it to fill a gap (realtime.streams.RoomLog)."""

    def events_after(self, *, room_id: int, after: int, upto: int) -> list[RoomEventMessage]:
        return selectors.logged_event_messages(room_id=room_id, after=after, upto=upto)

    def latest_seqs(self, *, room_ids: list[int]) -> dict[int, int]:
        return selectors.latest_seqs(room_ids=room_ids)


class InitiativeRooms:
    """What happens to an initiative's rooms as it begins, ends and loses members
    (initiatives.lifecycle.InitiativeListener)."""

    def initiative_created(self, initiative: Initiative) -> None:
        """Every initiative gets its open room "Allgemein" (DESIGN.md)."""
        room_create(initiative=initiative, title=GENERAL_ROOM_TITLE, members_only=False)

    def initiative_archived(self, initiative: Initiative) -> None:
        """Its rooms stay readable and take nothing new (rooms.permissions.is_read_only)."""
        Room.objects.filter(initiative=initiative).update(archived=True)

    def membership_ended(self, initiative: Initiative, user_id: int) -> None:
        """Their open sockets drop the initiative's members-only rooms, live."""
        private = Room.objects.filter(initiative=initiative, members_only=True)
        for room_id in private.values_list("pk", flat=True):
            publish.user_control_on_commit(user_id=user_id, control=Recheck(room=room_id))
