"""Presence over the websocket (PROTOCOL.md `subscribed.presence`, `presence` frames):
online, idle, active, offline, the grace, several tabs, a worker that died."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from django.contrib.auth.models import User

from presence import store as store_module
from presence.services import get_keeper
from rooms.models import Room
from tests.factories import MakePerson, RoomFactory
from tests.presence.conftest import AFTER_GRACE, FAST_SWEEP, FAST_TTL, GRACE, public
from tests.ws import Connect, committing, orm

pytestmark = committing


def presence_frame(room: Room, user: User, status: str) -> dict[str, Any]:
    return {"type": "presence", "room": room.pk, "user": public(user), "status": status}


async def two_in_the_room(connect: Connect, room: Room, lena: User, jonas: User):
    """Lena subscribes, then Jonas; Lena has seen Jonas come online."""
    a = await connect(lena)
    await a.subscribe(room.pk)
    b = await connect(jonas)
    await b.subscribe(room.pk)
    assert await a.presence() == presence_frame(room, jonas, "online")
    return a, b


# --- the snapshot ------------------------------------------------------------------


async def test_subscribed_lists_the_user_themself(
    connect: Connect, city_room: Room, lena: User
) -> None:
    a = await connect(lena)
    subscribed = await a.subscribe(city_room.pk)
    assert subscribed["presence"] == [{"user": public(lena), "status": "online"}]
    assert "presence_counts" not in subscribed


async def test_subscribed_lists_the_others_with_their_status(
    connect: Connect, city_room: Room, lena: User, jonas: User, otto: User
) -> None:
    a = await connect(lena)
    await a.subscribe(city_room.pk)
    await a.request({"type": "presence", "status": "idle"})  # her own idle frame
    b = await connect(jonas)
    await b.subscribe(city_room.pk)
    c = await connect(otto)
    subscribed = await c.subscribe(city_room.pk)
    by_user = {p["user"]["id"]: p for p in subscribed["presence"]}
    assert by_user == {
        lena.pk: {"user": public(lena), "status": "idle"},
        jonas.pk: {"user": public(jonas), "status": "online"},
        otto.pk: {"user": public(otto), "status": "online"},
    }
    for entry in subscribed["presence"]:
        assert set(entry) == {"user", "status"}
        assert set(entry["user"]) == {"id", "username", "display_name"}  # no email


async def test_the_status_reported_before_subscribing_applies(
    connect: Connect, city_room: Room, lena: User, jonas: User
) -> None:
    a = await connect(lena)
    await a.subscribe(city_room.pk)
    b = await connect(jonas)
    await b.send({"type": "presence", "status": "idle"})  # in no room yet
    subscribed = await b.subscribe(city_room.pk)
    assert {"user": public(jonas), "status": "idle"} in subscribed["presence"]
    # The room learns of him once, as idle (not online, then idle).
    assert await a.presence() == presence_frame(city_room, jonas, "idle")
    await a.nothing()


# --- coming, changing, going ----------------------------------------------------------


async def test_someone_subscribing_is_announced_once(
    connect: Connect, city_room: Room, lena: User, jonas: User
) -> None:
    a = await connect(lena)
    await a.subscribe(city_room.pk)
    await a.nothing()  # (her own arrival is in her snapshot; see Client on its echo)
    b = await connect(jonas)
    await b.subscribe(city_room.pk)
    assert await a.presence() == presence_frame(city_room, jonas, "online")
    await a.nothing()


async def test_idle_and_active_are_announced_only_when_real(
    connect: Connect, city_room: Room, lena: User, jonas: User
) -> None:
    a, b = await two_in_the_room(connect, city_room, lena, jonas)

    await b.send({"type": "presence", "status": "idle"})
    assert await a.presence() == presence_frame(city_room, jonas, "idle")
    assert await b.presence() == presence_frame(city_room, jonas, "idle")  # the room's frame
    await b.send({"type": "presence", "status": "idle"})  # no change
    await a.nothing()
    await b.nothing()

    await b.send({"type": "presence", "status": "active"})
    assert await a.presence() == presence_frame(city_room, jonas, "online")
    assert await b.presence() == presence_frame(city_room, jonas, "online")
    await b.send({"type": "presence", "status": "active"})
    await a.nothing()
    await b.nothing()


async def test_a_status_applies_to_every_room_of_the_connection(
    connect: Connect, city_room: Room, lena: User, jonas: User
) -> None:
    second = await orm(RoomFactory, title="Zweiter Raum")
    a, b = await two_in_the_room(connect, city_room, lena, jonas)
    await a.subscribe(second.pk)
    await b.subscribe(second.pk)
    assert await a.presence() == presence_frame(second, jonas, "online")
    await b.send({"type": "presence", "status": "idle"})
    got = [await a.presence(), await a.presence()]
    assert sorted(got, key=lambda f: f["room"]) == sorted(
        [presence_frame(city_room, jonas, "idle"), presence_frame(second, jonas, "idle")],
        key=lambda f: f["room"],
    )
    await a.nothing()


@pytest.mark.parametrize(
    "frame",
    [
        {"type": "presence", "status": "away", "ref": 5},
        {"type": "presence", "status": "offline", "ref": 5},
        {"type": "presence", "status": "online", "ref": 5},
        {"type": "presence", "status": ["idle"], "ref": 5},
        {"type": "presence", "ref": 5},
    ],
)
async def test_an_invalid_status_is_refused(
    connect: Connect, city_room: Room, lena: User, jonas: User, frame: dict[str, Any]
) -> None:
    a, b = await two_in_the_room(connect, city_room, lena, jonas)
    error = await b.request(frame)
    assert error["type"] == "error" and error["code"] == "invalid" and error["ref"] == 5, error
    assert error["detail"]
    await a.nothing()
    # The connection is fine and still counts as active.
    await b.send({"type": "presence", "status": "active"})
    assert await b.request({"type": "ping", "ref": "p"}) == {"type": "pong", "ref": "p"}
    await a.nothing()


async def test_disconnect_is_announced_offline_after_the_grace(
    connect: Connect, city_room: Room, lena: User, jonas: User
) -> None:
    a, b = await two_in_the_room(connect, city_room, lena, jonas)
    loop = asyncio.get_running_loop()
    left = loop.time()
    await b.close()
    assert await a.presence() == presence_frame(city_room, jonas, "offline")
    assert loop.time() - left >= GRACE * 0.9  # not before the grace (no beat here) ...
    await a.nothing(AFTER_GRACE)  # ... and once
    # Whoever subscribes now does not see him.
    again = await connect(jonas)
    subscribed = await again.subscribe(city_room.pk)
    assert {p["user"]["id"]: p["status"] for p in subscribed["presence"]} == {
        lena.pk: "online",
        jonas.pk: "online",
    }
    assert await a.presence() == presence_frame(city_room, jonas, "online")


async def test_unsubscribe_is_announced_offline_after_the_grace(
    connect: Connect, city_room: Room, lena: User, jonas: User, otto: User
) -> None:
    a, b = await two_in_the_room(connect, city_room, lena, jonas)
    reply = await b.request({"type": "unsubscribe", "room": city_room.pk, "ref": "u"})
    assert reply == {
        "type": "unsubscribed",
        "room": city_room.pk,
        "reason": "requested",
        "ref": "u",
    }
    assert await a.presence() == presence_frame(city_room, jonas, "offline")
    await a.nothing(AFTER_GRACE)
    await b.nothing()  # no longer in the room: nothing of it reaches him
    c = await connect(otto)
    subscribed = await c.subscribe(city_room.pk)
    assert {p["user"]["id"] for p in subscribed["presence"]} == {lena.pk, otto.pk}


async def test_resubscribing_within_the_grace_announces_nothing(
    connect: Connect, city_room: Room, lena: User, jonas: User
) -> None:
    a, b = await two_in_the_room(connect, city_room, lena, jonas)
    reply = await b.request({"type": "unsubscribe", "room": city_room.pk})
    assert reply["type"] == "unsubscribed"
    subscribed = await b.subscribe(city_room.pk)
    assert {p["user"]["id"]: p["status"] for p in subscribed["presence"]} == {
        lena.pk: "online",
        jonas.pk: "online",
    }
    await a.nothing(AFTER_GRACE)  # neither offline nor online, not even after the grace


async def test_subscribing_again_while_subscribed_announces_nothing(
    connect: Connect, city_room: Room, lena: User, jonas: User
) -> None:
    """A catch-up subscribe (`since`) of a room the connection is in changes no presence."""
    a, b = await two_in_the_room(connect, city_room, lena, jonas)
    subscribed = await b.subscribe(city_room.pk)
    assert [p["user"]["id"] for p in subscribed["presence"]] == sorted([lena.pk, jonas.pk])
    await a.nothing()
    await b.close()  # one connection, one entry: gone after one grace
    assert await a.presence() == presence_frame(city_room, jonas, "offline")


async def test_reconnecting_within_the_grace_announces_nothing(
    connect: Connect, city_room: Room, lena: User, jonas: User
) -> None:
    a, b = await two_in_the_room(connect, city_room, lena, jonas)
    await b.close()  # a reload
    b2 = await connect(jonas)
    await b2.subscribe(city_room.pk)
    await a.nothing(AFTER_GRACE)
    await b2.close()
    assert await a.presence() == presence_frame(city_room, jonas, "offline")


async def test_disconnect_without_rooms_announces_nothing(
    connect: Connect, city_room: Room, lena: User, jonas: User
) -> None:
    a = await connect(lena)
    await a.subscribe(city_room.pk)
    b = await connect(jonas)
    await b.close()
    await a.nothing(AFTER_GRACE)


# --- several tabs ------------------------------------------------------------------


async def test_two_tabs_are_one_person(
    connect: Connect, city_room: Room, lena: User, jonas: User
) -> None:
    a = await connect(lena)
    await a.subscribe(city_room.pk)
    tab1 = await connect(jonas)
    await tab1.subscribe(city_room.pk)
    assert await a.presence() == presence_frame(city_room, jonas, "online")
    tab2 = await connect(jonas)
    subscribed = await tab2.subscribe(city_room.pk)
    assert [p["user"]["id"] for p in subscribed["presence"]].count(jonas.pk) == 1
    await a.nothing()  # the second tab is not news

    await tab1.close()
    await a.nothing(AFTER_GRACE)  # one tab closing: still online
    await tab2.close()
    assert await a.presence() == presence_frame(city_room, jonas, "offline")
    await a.nothing()


async def test_idle_only_when_every_tab_is_idle(
    connect: Connect, city_room: Room, lena: User, jonas: User
) -> None:
    a, tab1 = await two_in_the_room(connect, city_room, lena, jonas)
    tab2 = await connect(jonas)
    await tab2.subscribe(city_room.pk)

    await tab1.send({"type": "presence", "status": "idle"})
    await a.nothing()  # tab2 is still active
    await tab2.send({"type": "presence", "status": "idle"})
    assert await a.presence() == presence_frame(city_room, jonas, "idle")
    await a.nothing()
    await tab1.send({"type": "presence", "status": "active"})
    assert await a.presence() == presence_frame(city_room, jonas, "online")

    # The active tab closing leaves only the idle one.
    await tab1.close()
    assert await a.presence() == presence_frame(city_room, jonas, "idle")
    await a.nothing(AFTER_GRACE)


# --- a worker that died --------------------------------------------------------------


@pytest.mark.usefixtures("fast_beat")
async def test_entries_of_a_dead_worker_are_swept_offline_once(
    connect: Connect,
    city_room: Room,
    lena: User,
    jonas: User,
    make_person: MakePerson,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another worker's connection (Gustav's) that nobody refreshes any more: the live
    worker's beat announces him offline, and keeps its own connections online."""
    gustav = await orm(make_person, "gustav")
    store = get_keeper().store
    # The other worker put Gustav in the room and announced him (it shares the store).
    await store.update(
        city_room.pk,
        ttl=FAST_TTL,
        puts=(("dead-worker.1", gustav.pk, "active"),),
        users=(gustav.pk,),
    )
    a, b = await two_in_the_room(connect, city_room, lena, jonas)
    # (Lena's snapshot had him; so does anyone's now.)
    assert (await store.shown(city_room.pk)).get(gustav.pk) == "online"

    # That worker is killed; time passes beyond the TTL (the clock moves, nobody waits).
    real = store_module.now_ms
    monkeypatch.setattr(store_module, "now_ms", lambda: real() + 5_000)
    started = asyncio.get_running_loop().time()
    assert await a.presence() == presence_frame(city_room, gustav, "offline")
    assert await b.presence() == presence_frame(city_room, gustav, "offline")
    assert asyncio.get_running_loop().time() - started < FAST_SWEEP + 1.0
    # Lena and Jonas were refreshed by the beat: not offline; Gustav not twice.
    await a.nothing(3 * FAST_SWEEP)
    await b.nothing()
    assert await store.shown(city_room.pk) == {lena.pk: "online", jonas.pk: "online"}


@pytest.mark.usefixtures("fast_beat")
async def test_the_beat_keeps_live_connections(
    connect: Connect, city_room: Room, lena: User, jonas: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = await two_in_the_room(connect, city_room, lena, jonas)
    started = time.time()
    real = store_module.now_ms
    # Each beat (every FAST_SWEEP) sees the clock 0.9 TTL further on: without its
    # refreshes the entries would have expired after two beats.
    speed = 0.9 * FAST_TTL * 1000 / FAST_SWEEP
    monkeypatch.setattr(
        store_module, "now_ms", lambda: real() + int((time.time() - started) * speed)
    )
    await a.nothing(5 * FAST_SWEEP)
    await b.nothing()
    assert await get_keeper().store.shown(city_room.pk) == {lena.pk: "online", jonas.pk: "online"}


async def test_a_reload_within_the_grace_announces_nothing_while_the_beat_sweeps(
    connect: Connect, city_room: Room, lena: User, jonas: User, settings: Any
) -> None:
    """PROTOCOL.md: "a quick reconnect inside that grace broadcasts nothing". The beat's
    sweep must not cut the grace short: a reload that spans a beat is no exception
    (in production a beat comes every 10 s, the grace is 5 s)."""
    settings.KLIMA = {
        **settings.KLIMA,
        "PRESENCE_GRACE_SECONDS": 1.0,
        "PRESENCE_TTL_SECONDS": FAST_TTL,
        "PRESENCE_SWEEP_SECONDS": 0.1,
    }
    a, b = await two_in_the_room(connect, city_room, lena, jonas)
    await b.close()
    await asyncio.sleep(0.3)  # the reload takes a moment: a few beats pass, not the grace
    b2 = await connect(jonas)
    await b2.subscribe(city_room.pk)
    assert await a.collect(1.3) == []  # seen: offline (by the beat), then online
