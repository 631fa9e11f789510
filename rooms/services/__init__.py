"""Every write about rooms and messages. Socket and REST call the same functions here."""

from rooms.services.rooms import room_create

__all__ = ["room_create"]
