"""Large rooms: above PRESENCE_LARGE_ROOM people present, counts instead of who, and no
typing (an addition to protocol v1: `subscribed.presence_counts`, `presence.counts`)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from rooms.models import Room
from tests.presence.conftest import AFTER_GRACE, public
from tests.ws import Connect, committing

pytestmark = committing

LARGE = 2  # more than two people present make a room large


@pytest.fixture(autouse=True)
def _small_large_room(settings: Any) -> None:
    settings.KLIMA = {**settings.KLIMA, "PRESENCE_LARGE_ROOM": LARGE}


def counts_frame(room: Room, online: int, idle: int) -> dict[str, Any]:
    return {"type": "presence", "room": room.pk, "counts": {"online": online, "idle": idle}}


async def three_in_the_room(connect: Connect, room: Room, lena: User, jonas: User, otto: User):
    a = await connect(lena)
    b = await connect(jonas)
    c = await connect(otto)
    small = await a.subscribe(room.pk)
    assert small["presence"] == [{"user": public(lena), "status": "online"}]
    await b.subscribe(room.pk)
    assert (await a.presence())["user"] == public(jonas)  # two: still per user
    large = await c.subscribe(room.pk)
    assert large["presence"] == []
    assert large["presence_counts"] == {"online": 3, "idle": 0}
    assert await a.presence() == counts_frame(room, 3, 0)
    assert await b.presence() == counts_frame(room, 3, 0)
    return a, b, c


async def test_a_small_room_lists_people(connect: Connect, city_room: Room, lena: User) -> None:
    a = await connect(lena)
    subscribed = await a.subscribe(city_room.pk)
    assert "presence_counts" not in subscribed
    assert subscribed["presence"] == [{"user": public(lena), "status": "online"}]


async def test_above_the_size_the_room_gets_counts(
    connect: Connect, city_room: Room, lena: User, jonas: User, otto: User
) -> None:
    a, b, _c = await three_in_the_room(connect, city_room, lena, jonas, otto)
    await a.nothing()
    await b.nothing()


async def test_changes_in_a_large_room_are_counts(
    connect: Connect, city_room: Room, lena: User, jonas: User, otto: User
) -> None:
    a, b, c = await three_in_the_room(connect, city_room, lena, jonas, otto)
    await b.send({"type": "presence", "status": "idle"})
    for client in (a, b, c):
        assert await client.presence() == counts_frame(city_room, 2, 1)
    await b.send({"type": "presence", "status": "idle"})  # no change: no frame
    await c.send({"type": "presence", "status": "idle"})
    for client in (a, b, c):
        assert await client.presence() == counts_frame(city_room, 1, 2)
    await b.send({"type": "presence", "status": "active"})
    for client in (a, b, c):
        assert await client.presence() == counts_frame(city_room, 2, 1)
    await a.nothing()


async def test_a_second_tab_in_a_large_room_changes_no_count(
    connect: Connect, city_room: Room, lena: User, jonas: User, otto: User
) -> None:
    a, _b, _c = await three_in_the_room(connect, city_room, lena, jonas, otto)
    tab2 = await connect(jonas)
    subscribed = await tab2.subscribe(city_room.pk)
    assert subscribed["presence_counts"] == {"online": 3, "idle": 0}
    await a.nothing()


async def test_typing_is_not_broadcast_in_a_large_room(
    connect: Connect, city_room: Room, lena: User, jonas: User, otto: User
) -> None:
    a, b, c = await three_in_the_room(connect, city_room, lena, jonas, otto)
    await b.send({"type": "typing", "room": city_room.pk})
    await a.nothing()
    await b.nothing()
    await c.nothing()


async def test_someone_leaving_a_large_room_changes_the_counts(
    connect: Connect, city_room: Room, lena: User, jonas: User, otto: User, settings: Any
) -> None:
    settings.KLIMA = {**settings.KLIMA, "PRESENCE_LARGE_ROOM": 1}
    a = await connect(lena)
    b = await connect(jonas)
    c = await connect(otto)
    await a.subscribe(city_room.pk)
    assert (await b.subscribe(city_room.pk))["presence_counts"] == {"online": 2, "idle": 0}
    assert await a.presence() == counts_frame(city_room, 2, 0)
    assert (await c.subscribe(city_room.pk))["presence_counts"] == {"online": 3, "idle": 0}
    assert await a.presence() == counts_frame(city_room, 3, 0)
    assert await b.presence() == counts_frame(city_room, 3, 0)
    await c.close()
    assert await a.presence() == counts_frame(city_room, 2, 0)
    assert await b.presence() == counts_frame(city_room, 2, 0)
    await a.nothing(AFTER_GRACE)
