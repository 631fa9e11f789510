"""The room's event log: allocating the next `seq` and recording an event.

`seq` is gap-free and unique per room under concurrent writers: it comes from an
atomic `UPDATE room SET last_seq = last_seq + 1 ... RETURNING`, which holds the
room's row lock (PostgreSQL) or the database write lock (SQLite, IMMEDIATE
transactions) until commit. A rolled-back transaction rolls its seq back too, so
committed seqs are 1..n. Different rooms lock different rows and never wait for
each other on PostgreSQL. The unique constraint (room, seq) backs all of this.
"""

from __future__ import annotations

import contextlib
from typing import Any, cast

from django.db import connection, transaction
from django.db.models import F, Model
from django.db.models.expressions import DatabaseDefault

from common.errors import not_found
from realtime import publish
from rooms import selectors
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


def message_lock(*, room: Room, message_id: Any) -> Message:
    """The message of `room` (`not_found` if it has none such), row-locked after the
    room's row (`room_lock`), with its room's initiative, its author and who hid it:
    the one way every writer of a message (rooms and moderation) locks it.

    Precondition: inside `transaction.atomic()`; `room` may be read by the caller.
    """
    message = selectors.access_message(room=room, message_id=message_id)
    room_lock(room_id=room.pk)
    # `of=("self",)`: PostgreSQL cannot lock the nullable side of an outer join.
    return (
        Message.objects.select_for_update(of=("self",))
        .select_related("room__initiative", "author__profile", "hidden_by")
        .get(pk=message.pk)
    )


def message_event(*, message: Message, kind: str) -> int:
    """Log `kind` for `message` (as it is now) and announce it after commit (a new
    message: `log_new_message`).

    Precondition: inside `transaction.atomic()`, after every change to the message.
    """
    seq = seq_next(room_id=message.room_id)
    RoomEvent.objects.create(room_id=message.room_id, seq=seq, kind=kind, message=message)
    public, moderator = message_variants(message, new=kind == RoomEvent.Kind.MESSAGE_CREATED)
    publish.room_event_on_commit(
        room_id=message.room_id, seq=seq, kind=kind, data=public, moderator_data=moderator
    )
    return seq


def log_new_message(*, message: Message) -> int:
    """Store `message` (new, not saved yet) with the room's next seq, add one to its
    thread root's `reply_count`, log `message.created`, announce it after commit.
    Returns the seq.

    Posting is the server's hottest write, and a worker's posts wait for its few
    database threads (realtime/db.py). On PostgreSQL the four steps are one statement
    (data-modifying CTEs): one round trip where the ORM made five with `BEGIN` and
    `COMMIT`, and the room's row lock, taken by the seq `UPDATE`, is held for that
    statement instead of across them (bench/, docs/performance.md). The room's row is
    locked before the root's, the order of every writer of the log (`room_lock`).
    SQLite runs in the process, where a round trip costs nothing: there the same
    inserts run one after another. Both insert every column of the models with the
    value the ORM would give it (`_insert_values`), so a new field with a default
    needs no change here.

    Atomic by itself, and no transaction is needed around it. Outside one, the
    PostgreSQL statement is its own transaction: no `BEGIN` and `COMMIT` round trips,
    each of which cost the database thread a wait (and the GIL back) under load.
    Inside one it runs in a savepoint, so that a refused insert (a retried
    `client_id`) leaves the caller's transaction usable; SQLite's steps always do.
    """
    event = RoomEvent(room_id=message.room_id, kind=RoomEvent.Kind.MESSAGE_CREATED)
    one_statement = connection.vendor == "postgresql"
    in_transaction = connection.in_atomic_block or not one_statement
    with transaction.atomic() if in_transaction else contextlib.nullcontext():
        if one_statement:
            row = _log_new_message_in_one_statement(message, event)
        else:
            row = _log_new_message_step_by_step(message, event)
    if row is None:  # the room was deleted since the post was checked
        raise not_found()
    message.pk, message.seq = row
    message._state.adding = False
    message._state.db = connection.alias
    public, moderator = message_variants(message, new=True)
    # Committed, unless a caller's transaction holds it: then after that one commits.
    publish.room_event_on_commit(
        room_id=message.room_id,
        seq=message.seq,
        kind=event.kind,
        data=public,
        moderator_data=moderator,
    )
    return message.seq


def _log_new_message_in_one_statement(message: Message, event: RoomEvent) -> Any:
    quote = connection.ops.quote_name
    room, msg, log = (quote(m._meta.db_table) for m in (Room, Message, RoomEvent))
    m_columns, m_values, m_params = _insert_values(message, seq="room_seq.last_seq")
    e_columns, e_values, e_params = _insert_values(
        event, seq="new_message.seq", message_id="new_message.id"
    )
    root = ""
    root_params: list[Any] = []
    if message.thread_id is not None:
        # Runs after `new_message` (it reads it): the room's lock is taken first.
        root = (
            f", root AS (UPDATE {msg} SET reply_count = reply_count + 1"  # noqa: S608
            " WHERE id = %s AND EXISTS (SELECT 1 FROM new_message))"
        )
        root_params = [message.thread_id]
    # No gaps in the room's seqs: `room_seq` always counts, so every part after it must
    # write unconditionally, or fail and take the whole statement (and the seq) back.
    sql = (
        f"WITH room_seq AS (UPDATE {room} SET last_seq = last_seq + 1"  # noqa: S608
        " WHERE id = %s RETURNING last_seq),"
        f" new_message AS (INSERT INTO {msg} ({m_columns}) SELECT {m_values} FROM room_seq"
        " RETURNING id, seq)"
        f"{root}"
        f" INSERT INTO {log} ({e_columns}) SELECT {e_values} FROM new_message"
        " RETURNING message_id, seq"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [message.room_id, *m_params, *root_params, *e_params])
        return cursor.fetchone()


def _log_new_message_step_by_step(message: Message, event: RoomEvent) -> Any:
    try:
        message.seq = seq_next(room_id=message.room_id)
    except Room.DoesNotExist:
        return None
    quote = connection.ops.quote_name
    msg, log = (quote(m._meta.db_table) for m in (Message, RoomEvent))
    m_columns, m_values, m_params = _insert_values(message)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {msg} ({m_columns}) VALUES ({m_values}) RETURNING id",  # noqa: S608
            m_params,
        )
        (message_id,) = cursor.fetchone()
        event.seq, event.message_id = message.seq, message_id
        e_columns, e_values, e_params = _insert_values(event)
        cursor.execute(f"INSERT INTO {log} ({e_columns}) VALUES ({e_values})", e_params)  # noqa: S608
    if message.thread_id is not None:
        Message.objects.filter(pk=message.thread_id).update(reply_count=F("reply_count") + 1)
    return message_id, message.seq


def _insert_values(obj: Model, **computed: str) -> tuple[str, str, list[Any]]:
    """The columns, value expressions and parameters that insert `obj` as the ORM would
    (every concrete field but the automatic key and generated columns; `auto_now_add`
    and defaults applied by the fields themselves; a `db_default` left to the database),
    with SQL expressions in place of the `computed` fields."""
    quote = connection.ops.quote_name
    columns, values, params = [], [], []
    for field in obj._meta.local_concrete_fields:
        if field is obj._meta.auto_field or getattr(field, "generated", False):
            continue
        if field.attname in computed:
            value = computed[field.attname]
        else:
            prepared = field.pre_save(obj, True)
            if isinstance(prepared, DatabaseDefault):
                continue
            value = "%s"
            params.append(field.get_db_prep_save(prepared, connection))
        columns.append(quote(cast(str, field.column)))  # concrete: it has a column
        values.append(value)
    return ", ".join(columns), ", ".join(values), params


def room_event(*, room: Room) -> int:
    """Log `room.updated` (title, slow mode, archived ...). Precondition: in a transaction."""
    seq = seq_next(room_id=room.pk)
    room.last_seq = seq
    RoomEvent.objects.create(room=room, seq=seq, kind=RoomEvent.Kind.ROOM_UPDATED)
    publish.room_event_on_commit(
        room_id=room.pk, seq=seq, kind=RoomEvent.Kind.ROOM_UPDATED, data=room_data(room)
    )
    return seq
