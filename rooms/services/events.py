"""The room's event log: allocating the next `seq` and recording an event.

`seq` is gap-free and unique per room under concurrent writers: it comes from an
atomic `UPDATE room SET last_seq = last_seq + 1 ... RETURNING`, which holds the
room's row lock (PostgreSQL) or the database write lock (SQLite, IMMEDIATE
transactions) until commit. A rolled-back transaction rolls its seq back too, so
committed seqs are 1..n. Different rooms lock different rows and never wait for
each other on PostgreSQL. The unique constraint (room, seq) backs all of this.
"""

from __future__ import annotations

from django.db import connection

from rooms import broadcast
from rooms.models import Message, Room, RoomEvent
from rooms.rendering import message_variants, room_data


def seq_next(*, room_id: int) -> int:
    """Precondition: inside `transaction.atomic()`; the room stays locked until commit."""
    table = connection.ops.quote_name(Room._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_seq = last_seq + 1 WHERE id = %s RETURNING last_seq",  # noqa: S608
            [room_id],
        )
        row = cursor.fetchone()
    if row is None:
        raise Room.DoesNotExist(room_id)
    return int(row[0])


def room_lock(*, room_id: int) -> None:
    """Take the room's row lock, first thing in a transaction that changes a message and
    logs its event. Posting takes the room (for the seq) before the thread root (for its
    `reply_count`); a writer that locked the message first and the room second could wait
    in a circle with it (a deadlock on PostgreSQL). So every writer locks room, then
    message. (SQLite's IMMEDIATE transactions serialise writers anyway.)

    Precondition: inside `transaction.atomic()`.
    """
    list(Room.objects.select_for_update().filter(pk=room_id).values_list("pk", flat=True))


def message_event(*, message: Message, kind: str, seq: int | None = None) -> int:
    """Log `kind` for `message` (as it is now) and announce it after commit.

    Precondition: inside `transaction.atomic()`, after every change to the message.
    """
    if seq is None:
        seq = seq_next(room_id=message.room_id)
    RoomEvent.objects.create(room_id=message.room_id, seq=seq, kind=kind, message=message)
    public, moderator = message_variants(message, new=kind == RoomEvent.Kind.MESSAGE_CREATED)
    broadcast.room_event_on_commit(
        room_id=message.room_id, seq=seq, kind=kind, data=public, moderator_data=moderator
    )
    return seq


def room_event(*, room: Room) -> int:
    """Log `room.updated` (title, slow mode, archived ...). Precondition: in a transaction."""
    seq = seq_next(room_id=room.pk)
    room.last_seq = seq
    RoomEvent.objects.create(room=room, seq=seq, kind=RoomEvent.Kind.ROOM_UPDATED)
    broadcast.room_event_on_commit(
        room_id=room.pk, seq=seq, kind=RoomEvent.Kind.ROOM_UPDATED, data=room_data(room)
    )
    return seq
