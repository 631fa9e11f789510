"""Property: whatever mix of posts, edits and reactions runs, partly at the same time from
several threads, each room's log is seq 1..n without gap or repeat, `room.last_seq` is n,
and n is the number of changes that happened there."""

from __future__ import annotations

import itertools
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rooms import services
from rooms.models import Message, Room, RoomEvent
from rooms.services import events
from tests.factories import MakePerson
from tests.ws import cid, committing

pytestmark = committing

WORKERS = 4

# An operation: ("post", author 0/1, room 0/1), ("edit", k) or ("react", user 0/1, k, emoji):
# k picks one of the messages posted in an earlier batch (modulo their number).
post_op = st.tuples(st.just("post"), st.integers(0, 1), st.integers(0, 1))
edit_op = st.tuples(st.just("edit"), st.integers(0, 50))
react_op = st.tuples(
    st.just("react"), st.integers(0, 1), st.integers(0, 50), st.sampled_from("👍🌱")
)
batches = st.lists(
    st.lists(st.one_of(post_op, post_op, edit_op, react_op), min_size=1, max_size=8),
    min_size=1,
    max_size=5,
)


@dataclass
class World:
    users: list[User]
    rooms: list[Room]
    messages: list[Message]
    bodies: itertools.count  # type: ignore[type-arg]


def _run(world: World, op: tuple[Any, ...]) -> tuple[int, Message | None]:
    """Do one operation; (room index whose log it grew, or -1 for a no-op; new message)."""
    try:
        kind = op[0]
        if kind == "post":
            _kind, author, room = op
            posted = services.message_post(
                user=world.users[author],
                room_id=world.rooms[room].pk,
                body=f"Nachricht {next(world.bodies)}",
                client_id=cid(),
            )
            return room, posted.message
        message = world.messages[op[-2 if kind == "react" else 1] % len(world.messages)]
        room = next(i for i, r in enumerate(world.rooms) if r.pk == message.room_id)
        if kind == "edit":
            services.message_edit(
                user=message.author,
                room_id=message.room_id,
                message_id=message.pk,
                body=f"Bearbeitet {next(world.bodies)}",
            )
            return room, None
        _kind, user, _k, emoji = op
        added = services.reaction_add(
            user=world.users[user], room_id=message.room_id, message_id=message.pk, emoji=emoji
        )
        return (room if added else -1), None
    finally:
        connection.close()  # this thread's connection, not the test's


def _runnable(world: World, batch: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Edits and reactions need a message from an earlier batch; without one, they post."""
    return [op if op[0] == "post" or world.messages else ("post", 0, 0) for op in batch]


@pytest.fixture
def people(make_person: MakePerson) -> list[User]:
    return [make_person(), make_person()]


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=batches)
def test_every_rooms_seq_is_1_to_n_whatever_runs_concurrently(
    people: list[User], plan: list[list[tuple[Any, ...]]]
) -> None:
    # The database is not reset between examples: each example gets rooms of its own.
    rooms = [services.room_create(initiative=None, title=f"Raum {i}") for i in range(2)]
    world = World(users=people, rooms=rooms, messages=[], bodies=itertools.count())
    # PostgreSQL takes concurrent writers (row locks). pytest-django's SQLite test database
    # is in memory with a shared cache, where a second writer fails at once with "table is
    # locked" instead of waiting (the busy timeout does not apply): there the same batches
    # run one after another. The file database of a real deployment waits (WAL, IMMEDIATE).
    workers = WORKERS if connection.vendor == "postgresql" else 1
    grown: Counter[int] = Counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for batch in plan:
            ops = _runnable(world, batch)
            for room, message in pool.map(lambda op: _run(world, op), ops):
                grown[room] += 1
                if message is not None:
                    world.messages.append(message)

    for index, room in enumerate(rooms):
        seqs = list(
            RoomEvent.objects.filter(room=room).order_by("seq").values_list("seq", flat=True)
        )
        room.refresh_from_db()
        assert seqs == list(range(1, grown[index] + 1))
        assert room.last_seq == grown[index]
        # Every message's `seq` is that of its own `message.created` entry.
        created = dict(
            RoomEvent.objects.filter(room=room, kind="message.created").values_list(
                "message_id", "seq"
            )
        )
        assert created == dict(Message.objects.filter(room=room).values_list("pk", "seq"))


# --- lock order: deterministic interleavings of two writers on one message ---------------


def _edit_job(room: Room, message: Message) -> Callable[[], Any]:
    return lambda: services.message_edit(
        user=message.author, room_id=room.pk, message_id=message.pk, body="Bearbeitet"
    )


def _in_thread(name: str, job: Callable[[], Any]) -> Callable[[], BaseException | None]:
    """Start `job` on a thread of its own (own connection); returns a join -> its error."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            job()
        except BaseException as exc:  # reported by join()
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run, name=name)
    thread.start()

    def join() -> BaseException | None:
        thread.join(timeout=30)
        assert not thread.is_alive()
        return errors[0] if errors else None

    return join


@pytest.mark.parametrize("other", ["react", "reply"])
def test_an_edit_and_a_reaction_or_reply_to_the_same_message_at_once_both_succeed(
    people: list[User], monkeypatch: pytest.MonkeyPatch, other: str
) -> None:
    # The edit holds the message's row lock when it asks for the room's seq; the other
    # writer takes the room's seq first and then needs the message (a reply updates its
    # root's reply_count; a reaction's foreign keys are checked at COMMIT on PostgreSQL).
    # Locks taken in opposite orders deadlock, and PostgreSQL aborts one of the two.
    room = services.room_create(initiative=None, title="Gleichzeitig")
    author, reactor = people
    message = services.message_post(
        user=author, room_id=room.pk, body="Original", client_id=cid()
    ).message

    def second() -> object:
        if other == "react":
            return services.reaction_add(
                user=reactor, room_id=room.pk, message_id=message.pk, emoji="👍"
            )
        return services.message_post(
            user=reactor, room_id=room.pk, body="Antwort", client_id=cid(), thread_id=message.pk
        )

    if connection.vendor == "postgresql":
        # Force the interleaving: the edit (holding the message) waits until the other
        # writer holds the room's seq. The waits are bounded: with a consistent lock
        # order they simply run out and both writers finish one after the other.
        edit_holds_message, other_holds_room = threading.Event(), threading.Event()
        seq_next = events.seq_next

        def interleaved(*, room_id: int) -> int:
            if threading.current_thread().name == "edit":
                edit_holds_message.set()
                other_holds_room.wait(timeout=1)
                return seq_next(room_id=room_id)
            edit_holds_message.wait(timeout=1)
            seq = seq_next(room_id=room_id)
            other_holds_room.set()
            return seq

        log_new_message = events.log_new_message

        def reply_interleaved(*, message: object) -> int:
            # A reply takes the room's seq and its root's row in one statement there,
            # room first: it waits for the edit's room lock, and neither deadlocks.
            edit_holds_message.wait(timeout=1)
            other_holds_room.set()
            return log_new_message(message=message)

        monkeypatch.setattr(events, "seq_next", interleaved)
        monkeypatch.setattr(events, "log_new_message", reply_interleaved)
        join_edit = _in_thread("edit", _edit_job(room, message))
        join_other = _in_thread("other", second)
        errors = [join_edit(), join_other()]
    else:
        # In-memory SQLite refuses a second writer outright (see above): one after another.
        _edit_job(room, message)()
        second()
        errors = [None, None]

    assert errors == [None, None]
    seqs = list(RoomEvent.objects.filter(room=room).order_by("seq").values_list("seq", flat=True))
    assert seqs == [1, 2, 3]
    message.refresh_from_db()
    assert message.body == "Bearbeitet"
