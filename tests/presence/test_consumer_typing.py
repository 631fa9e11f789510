"""Typing over the websocket: to the room's other subscribers, never back to the sender,
at most one per throttle window per user and room, with `thread` when in a thread."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from django.contrib.auth.models import User

from rooms import services as room_services
from rooms.models import Room
from tests.presence.conftest import public
from tests.ws import Connect, committing, orm

pytestmark = committing


def typing_frame(room: Room, user: User, thread: int | None = None) -> dict[str, Any]:
    return {"type": "typing", "room": room.pk, "thread": thread, "user": public(user)}


async def two_in_the_room(connect: Connect, room: Room, lena: User, jonas: User):
    a = await connect(lena)
    await a.subscribe(room.pk)
    b = await connect(jonas)
    await b.subscribe(room.pk)
    assert (await a.presence())["status"] == "online"
    return a, b


async def test_typing_reaches_the_others_not_the_sender(
    connect: Connect, city_room: Room, lena: User, jonas: User
) -> None:
    a, b = await two_in_the_room(connect, city_room, lena, jonas)
    await b.send({"type": "typing", "room": city_room.pk})
    assert await a.recv() == typing_frame(city_room, jonas)
    await b.nothing()
    await a.nothing()


async def test_typing_does_not_reach_the_senders_other_tabs(
    connect: Connect, city_room: Room, lena: User, jonas: User
) -> None:
    a, tab1 = await two_in_the_room(connect, city_room, lena, jonas)
    tab2 = await connect(jonas)
    await tab2.subscribe(city_room.pk)
    await tab1.send({"type": "typing", "room": city_room.pk})
    assert await a.recv() == typing_frame(city_room, jonas)
    await tab1.nothing()
    await tab2.nothing()


async def test_a_second_typing_within_the_window_is_dropped(
    connect: Connect, city_room: Room, lena: User, jonas: User
) -> None:
    a, b = await two_in_the_room(connect, city_room, lena, jonas)
    await b.send({"type": "typing", "room": city_room.pk})
    assert await a.recv() == typing_frame(city_room, jonas)
    await b.send({"type": "typing", "room": city_room.pk})
    await b.send({"type": "typing", "room": city_room.pk})
    await a.nothing()
    await b.nothing()  # dropped silently, not refused


async def test_the_throttle_is_per_user_not_per_tab(
    connect: Connect, city_room: Room, lena: User, jonas: User
) -> None:
    a, tab1 = await two_in_the_room(connect, city_room, lena, jonas)
    tab2 = await connect(jonas)
    await tab2.subscribe(city_room.pk)
    await tab1.send({"type": "typing", "room": city_room.pk})
    assert await a.recv() == typing_frame(city_room, jonas)
    await tab2.send({"type": "typing", "room": city_room.pk})
    await a.nothing()


async def test_the_throttle_is_per_room_and_user(
    connect: Connect, city_room: Room, lena: User, jonas: User
) -> None:
    second = await orm(room_services.room_create, initiative=None, title="Zweiter Raum")
    a, b = await two_in_the_room(connect, city_room, lena, jonas)
    await a.subscribe(second.pk)
    await b.subscribe(second.pk)
    assert (await a.presence())["room"] == second.pk
    await b.send({"type": "typing", "room": city_room.pk})
    assert await a.recv() == typing_frame(city_room, jonas)
    await b.send({"type": "typing", "room": second.pk})
    assert await a.recv() == typing_frame(second, jonas)
    await a.send({"type": "typing", "room": city_room.pk})
    assert await b.recv() == typing_frame(city_room, lena)


async def test_typing_passes_again_after_the_window(
    connect: Connect, city_room: Room, lena: User, jonas: User, settings: Any
) -> None:
    settings.KLIMA = {**settings.KLIMA, "TYPING_THROTTLE_SECONDS": 0.3}
    a, b = await two_in_the_room(connect, city_room, lena, jonas)
    await b.send({"type": "typing", "room": city_room.pk})
    assert await a.recv() == typing_frame(city_room, jonas)
    await asyncio.sleep(0.35)  # the window elapses
    await b.send({"type": "typing", "room": city_room.pk})
    assert await a.recv() == typing_frame(city_room, jonas)


async def test_typing_in_a_thread_names_the_thread(
    connect: Connect, city_room: Room, lena: User, jonas: User
) -> None:
    root = await orm(
        room_services.message_post,
        user=lena,
        room_id=city_room.pk,
        body="Wer hilft am Samstag?",
        client_id=str(uuid.uuid4()),
    )
    a, b = await two_in_the_room(connect, city_room, lena, jonas)
    await b.send({"type": "typing", "room": city_room.pk, "thread": root.message.pk})
    assert await a.recv() == typing_frame(city_room, jonas, thread=root.message.pk)


MISSING = object()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("room", MISSING),
        ("room", "1"),
        ("room", True),
        ("room", None),
        ("thread", "7"),
        ("thread", 1.5),
        ("thread", False),
    ],
    ids=[
        "no-room",
        "room-str",
        "room-bool",
        "room-null",
        "thread-str",
        "thread-float",
        "thread-bool",
    ],
)
async def test_a_malformed_typing_is_invalid(
    connect: Connect, city_room: Room, lena: User, jonas: User, name: str, value: Any
) -> None:
    a, b = await two_in_the_room(connect, city_room, lena, jonas)
    frame: dict[str, Any] = {"type": "typing", "room": city_room.pk, "ref": "t"}
    if value is MISSING:
        del frame[name]
    else:
        frame[name] = value
    error = await b.request(frame)
    assert error["type"] == "error" and error["code"] == "invalid" and error["ref"] == "t", error
    await a.nothing()


async def test_typing_in_a_room_not_subscribed_is_invalid(
    connect: Connect, city_room: Room, lena: User, jonas: User
) -> None:
    other = await orm(room_services.room_create, initiative=None, title="Anderer Raum")
    a = await connect(lena)
    await a.subscribe(city_room.pk)
    await a.subscribe(other.pk)
    b = await connect(jonas)
    await b.subscribe(city_room.pk)
    assert (await a.presence())["room"] == city_room.pk
    for room_id in (other.pk, 999_999):
        error = await b.request({"type": "typing", "room": room_id, "ref": 1})
        assert error["type"] == "error" and error["code"] == "invalid" and error["ref"] == 1
    await a.nothing()


async def test_typing_after_unsubscribing_is_invalid(
    connect: Connect, city_room: Room, lena: User, jonas: User
) -> None:
    a, b = await two_in_the_room(connect, city_room, lena, jonas)
    assert (await b.request({"type": "unsubscribe", "room": city_room.pk}))[
        "type"
    ] == "unsubscribed"
    error = await b.request({"type": "typing", "room": city_room.pk})
    assert error["type"] == "error" and error["code"] == "invalid"
    # Lena gets no typing, only (after the grace) his offline.
    assert await a.presence() == {
        "type": "presence",
        "room": city_room.pk,
        "user": public(jonas),
        "status": "offline",
    }
    await a.nothing()
