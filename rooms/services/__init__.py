"""Every write about rooms and messages. Socket and REST call the same functions here."""

from rooms.services.messages import Posted, message_delete, message_edit, message_post
from rooms.services.reactions import reaction_add, reaction_remove
from rooms.services.reads import read_mark
from rooms.services.rooms import room_create, room_create_by_lead, room_update

__all__ = [
    "Posted",
    "message_delete",
    "message_edit",
    "message_post",
    "reaction_add",
    "reaction_remove",
    "read_mark",
    "room_create",
    "room_create_by_lead",
    "room_update",
]
