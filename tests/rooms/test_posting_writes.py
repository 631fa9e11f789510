"""What a post writes (rooms.services.events.log_new_message): the same rows as the
ORM would write, one statement on PostgreSQL, and nothing when the room is gone; and
that a replay read while posts commit never holds one above its seq."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from common.errors import DomainError
from rooms import selectors, services
from rooms.models import Message, Room, RoomEvent
from rooms.services import events
from tests.factories import RoomFactory
from tests.ws import cid, committing

pytestmark = pytest.mark.django_db

# Set by the database or by the post itself; everything else must match the ORM.
OWN_VALUES = {"id", "client_id", "created_at", "seq"}


def _columns(message: Message) -> dict[str, object]:
    return {
        f.attname: getattr(message, f.attname)
        for f in Message._meta.concrete_fields
        if f.attname not in OWN_VALUES
    }


@pytest.mark.parametrize("reply", [False, True], ids=["topic", "reply"])
def test_a_post_stores_every_column_as_the_orm_would(member: User, room: Room, reply: bool) -> None:
    root = services.message_post(user=member, room_id=room.pk, body="Wurzel", client_id=cid())
    thread_id = root.message.pk if reply else None

    posted = services.message_post(
        user=member, room_id=room.pk, body="Hallo *Welt*", client_id=cid(), thread_id=thread_id
    )

    stored = Message.objects.get(pk=posted.message.pk)
    by_orm = Message.objects.create(
        room=room,
        author=member,
        thread_id=thread_id,
        body="Hallo *Welt*",
        html=stored.html,
        client_id=cid(),
        seq=stored.seq,
    )
    assert _columns(stored) == _columns(by_orm)
    assert abs((by_orm.created_at - stored.created_at).total_seconds()) < 5
    assert (posted.seq, stored.seq) == (2, 2)
    assert _columns(posted.message) == _columns(stored)
    assert posted.message.created_at == stored.created_at
    event = RoomEvent.objects.get(room=room, seq=2)
    assert (event.kind, event.message_id) == (RoomEvent.Kind.MESSAGE_CREATED, stored.pk)


def test_replies_count_in_their_root_and_log_in_seq_order(member: User, room: Room) -> None:
    root = services.message_post(user=member, room_id=room.pk, body="Frage", client_id=cid())
    replies = [
        services.message_post(
            user=member,
            room_id=room.pk,
            body=f"Antwort {n}",
            client_id=cid(),
            thread_id=root.message.pk,
        )
        for n in range(2)
    ]

    root.message.refresh_from_db()
    assert root.message.reply_count == 2
    logged = list(RoomEvent.objects.filter(room=room).values_list("seq", "message_id"))
    assert logged == [(1, root.message.pk), *[(2 + n, r.message.pk) for n, r in enumerate(replies)]]
    room.refresh_from_db()
    assert room.last_seq == 3


def test_a_post_to_a_room_deleted_since_its_check_is_not_found_and_writes_nothing(
    member: User,
) -> None:
    gone = RoomFactory(title="Gleich weg")
    message = Message(room_id=gone.pk, author=member, body="x", html="<p>x</p>", client_id=cid())
    Room.objects.filter(pk=gone.pk).delete()

    with pytest.raises(DomainError) as refused, transaction.atomic():
        events.log_new_message(message=message)

    assert refused.value.code == "not_found"
    assert not Message.objects.filter(client_id=message.client_id).exists()
    assert not RoomEvent.objects.filter(room_id=gone.pk).exists()


def test_a_granted_post_writes_in_one_statement_on_postgresql(member: User, room: Room) -> None:
    services.message_post(user=member, room_id=room.pk, body="Erster", client_id=cid())

    with CaptureQueriesContext(connection) as queries:
        services.message_post(user=member, room_id=room.pk, body="Zweiter", client_id=cid())

    transaction_control = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT")
    writes = [
        q["sql"] for q in queries.captured_queries if not q["sql"].startswith(transaction_control)
    ]
    # SQLite runs in the process: there the seq, the message and the log entry go one by one.
    assert len(writes) == (1 if connection.vendor == "postgresql" else 3), writes


@committing  # commits for real (and brings back what the migrations loaded)
def test_outside_a_transaction_a_post_is_its_own_and_a_retry_gets_the_first_answer(
    member: User, room: Room
) -> None:
    services.message_post(user=member, room_id=room.pk, body="Erster", client_id=cid())
    client_id = cid()

    with CaptureQueriesContext(connection) as queries:
        first = services.message_post(
            user=member, room_id=room.pk, body="Zweiter", client_id=client_id
        )
    again = services.message_post(user=member, room_id=room.pk, body="Zweiter", client_id=client_id)

    sql = [q["sql"] for q in queries.captured_queries]
    if connection.vendor == "postgresql":  # no BEGIN, no COMMIT: the statement commits itself
        assert len(sql) == 1 and sql[0].startswith("WITH room_seq AS"), sql
    assert (again.created, again.message.pk, again.seq) == (False, first.message.pk, first.seq)
    assert Message.objects.filter(room=room).count() == 2
    assert list(RoomEvent.objects.filter(room=room).values_list("seq", flat=True)) == [1, 2]


def test_a_replay_holds_nothing_above_its_seq(member: User, room: Room) -> None:
    # With posts in threads of their own, one may commit between the replay's read of
    # the room's seq and its read of the messages: the replay must stop at its seq
    # (what is above it comes live), or a subscriber gets that message twice.
    for body in ("Eins", "Zwei"):
        services.message_post(user=member, room_id=room.pk, body=body, client_id=cid())
    Room.objects.filter(pk=room.pk).update(last_seq=1)  # the seq as read before "Zwei"

    replay = selectors.replay(room=room, since=None, for_moderator=False)

    assert (replay.seq, [e["seq"] for e in replay.events]) == (1, [1])
