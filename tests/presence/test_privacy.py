"""Presence and typing of a members-only room reach its members only; REST
`GET /api/rooms/{id}/presence/` follows the same rule; a member whose access is revoked
disappears from the room at once."""

from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from initiatives import services as initiative_services
from initiatives.models import Initiative
from rooms.models import Room
from tests.factories import token_client
from tests.presence.conftest import AFTER_GRACE, public
from tests.ws import Connect, committing, orm

pytestmark = committing


def presence_url(room_id: int) -> str:
    return f"/api/rooms/{room_id}/presence/"


def get_presence(user: User, room_id: int) -> tuple[int, Any]:
    """The REST call as a browser makes it: Django runs the sync view in a thread of the
    server's event loop (here the test's), where the keeper lives."""
    response = token_client(user).get(presence_url(room_id))
    return response.status_code, response.json()


get_presence_async = sync_to_async(get_presence)


def presence_frame(room: Room, user: User, status: str) -> dict[str, Any]:
    return {"type": "presence", "room": room.pk, "user": public(user), "status": status}


# --- the websocket ---------------------------------------------------------------


async def test_a_non_member_cannot_subscribe_nor_learn_anything(
    connect: Connect, private_room: Room, lena: User, jonas: User, otto: User
) -> None:
    a = await connect(lena)
    await a.subscribe(private_room.pk)
    outsider = await connect(otto)
    error = await outsider.request({"type": "subscribe", "room": private_room.pk, "ref": 1})
    assert error["type"] == "error" and error["code"] == "forbidden" and error["ref"] == 1
    await a.nothing()  # his attempt is not announced

    b = await connect(jonas)
    await b.subscribe(private_room.pk)
    assert await a.presence() == presence_frame(private_room, jonas, "online")
    await b.send({"type": "presence", "status": "idle"})
    assert await a.presence() == presence_frame(private_room, jonas, "idle")
    assert await b.presence() == presence_frame(private_room, jonas, "idle")
    await b.send({"type": "typing", "room": private_room.pk})
    assert (await a.recv())["type"] == "typing"
    await outsider.nothing()  # none of it reached him

    # Nor can he type into it.
    error = await outsider.request({"type": "typing", "room": private_room.pk})
    assert error["type"] == "error" and error["code"] == "invalid"
    await a.nothing()
    await b.nothing()


async def test_members_see_each_other_in_a_members_only_room(
    connect: Connect, private_room: Room, lena: User, jonas: User
) -> None:
    a = await connect(lena)
    await a.subscribe(private_room.pk)
    b = await connect(jonas)
    subscribed = await b.subscribe(private_room.pk)
    assert {p["user"]["id"]: p["status"] for p in subscribed["presence"]} == {
        lena.pk: "online",
        jonas.pk: "online",
    }


async def test_revoked_access_ends_the_subscription_and_presence_at_once(
    connect: Connect,
    initiative: Initiative,
    private_room: Room,
    open_room: Room,
    lena: User,
    jonas: User,
    settings: Any,
) -> None:
    # A long grace: the offline must come without waiting for it.
    settings.KLIMA = {**settings.KLIMA, "PRESENCE_GRACE_SECONDS": 3}
    a = await connect(lena)
    await a.subscribe(private_room.pk)
    await a.subscribe(open_room.pk)
    b = await connect(jonas)
    await b.subscribe(private_room.pk)
    assert await a.presence() == presence_frame(private_room, jonas, "online")
    await b.subscribe(open_room.pk)
    assert await a.presence() == presence_frame(open_room, jonas, "online")

    await orm(initiative_services.initiative_leave, user=jonas, initiative=initiative)

    assert await b.recv() == {
        "type": "unsubscribed",
        "room": private_room.pk,
        "reason": "access_revoked",
    }
    assert await a.presence(timeout=1.5) == presence_frame(private_room, jonas, "offline")
    # The open room keeps him: no frame about him there.
    await a.nothing(AFTER_GRACE)
    await b.nothing()
    # He can no longer type there, nor read its presence.
    error = await b.request({"type": "typing", "room": private_room.pk})
    assert error["type"] == "error" and error["code"] == "invalid"
    status, _body = await get_presence_async(jonas, private_room.pk)
    assert status == 403
    # The room's snapshot no longer lists him.
    status, body = await get_presence_async(lena, private_room.pk)
    assert status == 200
    assert body["presence"] == [{"user": public(lena), "status": "online"}]
    status, body = await get_presence_async(lena, open_room.pk)
    assert {p["user"]["id"] for p in body["presence"]} == {lena.pk, jonas.pk}


async def test_revoked_access_is_at_once_also_after_another_tab_left_with_grace(
    connect: Connect,
    initiative: Initiative,
    private_room: Room,
    lena: User,
    jonas: User,
    settings: Any,
) -> None:
    settings.KLIMA = {**settings.KLIMA, "PRESENCE_GRACE_SECONDS": 3}
    a = await connect(lena)
    await a.subscribe(private_room.pk)
    tab1 = await connect(jonas)
    await tab1.subscribe(private_room.pk)
    assert await a.presence() == presence_frame(private_room, jonas, "online")
    tab2 = await connect(jonas)
    await tab2.subscribe(private_room.pk)
    assert (await tab1.request({"type": "unsubscribe", "room": private_room.pk}))[
        "reason"
    ] == "requested"  # tab1 leaves: its grace runs

    await orm(initiative_services.initiative_leave, user=jonas, initiative=initiative)

    assert await tab2.recv() == {
        "type": "unsubscribed",
        "room": private_room.pk,
        "reason": "access_revoked",
    }
    assert await a.presence(timeout=1.5) == presence_frame(private_room, jonas, "offline")
    await a.nothing()


async def test_a_member_who_left_cannot_resubscribe(
    connect: Connect, initiative: Initiative, private_room: Room, lena: User, jonas: User
) -> None:
    a = await connect(lena)
    await a.subscribe(private_room.pk)
    await orm(initiative_services.initiative_leave, user=jonas, initiative=initiative)
    b = await connect(jonas)
    error = await b.request({"type": "subscribe", "room": private_room.pk})
    assert error["type"] == "error" and error["code"] == "forbidden"
    await a.nothing()


# --- REST -------------------------------------------------------------------------


async def test_rest_presence_of_a_room_with_people(
    connect: Connect, city_room: Room, lena: User, jonas: User, otto: User
) -> None:
    a = await connect(lena)
    await a.subscribe(city_room.pk)
    b = await connect(jonas)
    await b.subscribe(city_room.pk)
    await b.send({"type": "presence", "status": "idle"})
    assert (await a.presence())["status"] == "online"
    assert (await a.presence())["status"] == "idle"
    # Anyone signed in may read an open room's presence, subscribed or not.
    status, body = await get_presence_async(otto, city_room.pk)
    assert status == 200
    assert body == {
        "room": city_room.pk,
        "presence": [
            {"user": public(lena), "status": "online"},
            {"user": public(jonas), "status": "idle"},
        ],
    }


async def test_rest_presence_of_a_large_room_has_counts(
    connect: Connect, city_room: Room, lena: User, jonas: User, settings: Any
) -> None:
    settings.KLIMA = {**settings.KLIMA, "PRESENCE_LARGE_ROOM": 1}
    a = await connect(lena)
    await a.subscribe(city_room.pk)
    b = await connect(jonas)
    await b.subscribe(city_room.pk)
    status, body = await get_presence_async(lena, city_room.pk)
    assert status == 200
    assert body == {"room": city_room.pk, "presence": [], "counts": {"online": 2, "idle": 0}}


async def test_rest_presence_in_a_members_only_room(
    connect: Connect, private_room: Room, lena: User, jonas: User, otto: User
) -> None:
    a = await connect(lena)
    await a.subscribe(private_room.pk)
    status, body = await get_presence_async(jonas, private_room.pk)
    assert status == 200
    assert body == {
        "room": private_room.pk,
        "presence": [{"user": public(lena), "status": "online"}],
    }
    status, body = await get_presence_async(otto, private_room.pk)
    assert status == 403
    assert "presence" not in body and body["code"] == "forbidden"


def test_rest_access_rules(
    private_room: Room, open_room: Room, lena: User, jonas: User, otto: User
) -> None:
    """The same rules from a plain sync call (nobody connected: empty snapshots)."""
    for user, room, expected in [
        (lena, private_room, 200),
        (jonas, private_room, 200),
        (otto, private_room, 403),
        (otto, open_room, 200),
    ]:
        response = token_client(user).get(presence_url(room.pk))
        assert response.status_code == expected, (user, room, response.content)
        if expected == 200:
            assert response.json() == {"room": room.pk, "presence": []}
    assert token_client(otto).get(presence_url(999_999)).status_code == 404
    assert token_client(lena).get(presence_url(999_999)).status_code == 404
    assert APIClient().get(presence_url(open_room.pk)).status_code == 401
