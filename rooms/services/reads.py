"""Read state: how far a user has read in a room, synced to their other connections."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from common.validation import clean_int
from realtime import publish
from rooms import selectors
from rooms.models import ReadState


def read_mark(*, user: User, room_id: Any, seq: Any, connection_id: str | None = None) -> int:
    """Everything up to `seq` is read. Only moves forward, never past the room's latest.

    The user's other connections get a `read` frame (not `connection_id`, which sent it).
    """
    room = selectors.access_room(user=user, room_id=room_id)
    seq = min(clean_int(seq, field="seq", minimum=0), room.last_seq)
    with transaction.atomic():
        state, _created = ReadState.objects.select_for_update().get_or_create(user=user, room=room)
        if seq <= state.last_read_seq:
            return state.last_read_seq
        state.last_read_seq = seq
        state.save(update_fields=["last_read_seq"])
        publish.user_frame_on_commit(
            user_id=user.pk,
            frame={"type": "read", "room": room.pk, "seq": seq},
            except_connection=connection_id,
        )
    return seq
