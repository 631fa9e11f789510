"""Reactions: one per user, emoji and message; repeating one changes nothing."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from common.errors import forbidden, not_found
from rooms import permissions, selectors
from rooms.models import Message, Reaction, Room, RoomEvent
from rooms.restrictions import ensure_not_muted
from rooms.services import events
from rooms.services.validation import clean_emoji


def _reactable(user: User, room: Room, message_id: Any) -> Message:
    message = selectors.access_message(room=room, message_id=message_id)
    if message.deleted_at is not None or (
        message.hidden_at is not None and not permissions.sees_hidden_content(user)
    ):
        raise not_found()
    if not permissions.can_post(user, room):
        raise forbidden()
    return message


def reaction_add(*, user: User, room_id: Any, message_id: Any, emoji: Any) -> bool:
    """Add the reaction; True if it is new (and an event was logged). A mute refuses it
    (PROTOCOL.md); taking one's reaction back stays possible."""
    room = selectors.access_room(user=user, room_id=room_id)
    emoji = clean_emoji(emoji)
    try:
        with transaction.atomic():
            events.room_lock(room_id=room.pk)
            message = _reactable(user, room, message_id)
            ensure_not_muted(user, room)
            _reaction, created = Reaction.objects.get_or_create(
                message=message, user=user, emoji=emoji
            )
            if created:
                events.message_event(message=message, kind=RoomEvent.Kind.REACTION_ADDED)
    except IntegrityError:  # the same reaction, added concurrently: a no-op
        return False
    return created


def reaction_remove(*, user: User, room_id: Any, message_id: Any, emoji: Any) -> bool:
    """Remove the reaction; True if there was one (and an event was logged)."""
    room = selectors.access_room(user=user, room_id=room_id)
    emoji = clean_emoji(emoji)
    with transaction.atomic():
        events.room_lock(room_id=room.pk)
        message = _reactable(user, room, message_id)
        removed, _ = Reaction.objects.filter(message=message, user=user, emoji=emoji).delete()
        if removed:
            events.message_event(message=message, kind=RoomEvent.Kind.REACTION_REMOVED)
    return bool(removed)
