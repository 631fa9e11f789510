"""Presence and typing under moderation (PROTOCOL.md, issue 4): a muted user's typing is
not passed on; a user banned from a room disappears from its presence at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from moderation.services.restrictions import member_ban, member_mute
from rooms.models import Room
from tests.factories import MakePerson
from tests.presence.conftest import AFTER_GRACE, public
from tests.ws import Connect, committing, orm

pytestmark = committing


@pytest.fixture
def mira(make_person: MakePerson) -> User:
    """A site moderator."""
    return make_person("mira", moderator=True)


async def two_in_the_room(connect: Connect, room: Room, lena: User, jonas: User):
    a = await connect(lena)
    await a.subscribe(room.pk)
    b = await connect(jonas)
    await b.subscribe(room.pk)
    assert (await a.presence())["user"] == public(jonas)
    return a, b


async def test_a_muted_users_typing_is_not_passed_on(
    connect: Connect, city_room: Room, lena: User, jonas: User, mira: User
) -> None:
    a, b = await two_in_the_room(connect, city_room, lena, jonas)
    await orm(
        member_mute,
        actor=mira,
        user_id=jonas.pk,
        scope={"room": city_room.pk},
        duration=600,
        reason="Spam",
    )
    await b.send({"type": "typing", "room": city_room.pk})
    await a.nothing()
    # He is told of the mute (moderation, notification), but gets no error for typing.
    frames = await b.collect(0.3)
    assert [f for f in frames if f["type"] in ("error", "typing", "presence")] == []
    # Muted is not gone: he stays in the room's presence.
    assert await a.collect(AFTER_GRACE) == []


async def test_a_user_banned_from_the_room_disappears_at_once(
    connect: Connect, city_room: Room, lena: User, jonas: User, mira: User, settings: Any
) -> None:
    settings.KLIMA = {**settings.KLIMA, "PRESENCE_GRACE_SECONDS": 3}  # not waited for
    a, b = await two_in_the_room(connect, city_room, lena, jonas)
    await orm(
        member_ban,
        actor=mira,
        user_id=jonas.pk,
        scope={"room": city_room.pk},
        duration=None,
        reason="Beleidigungen",
    )
    assert await a.presence(timeout=1.5) == {
        "type": "presence",
        "room": city_room.pk,
        "user": public(jonas),
        "status": "offline",
    }
    frames = await b.collect(0.3)
    assert {"type": "unsubscribed", "room": city_room.pk, "reason": "banned"} in frames
    assert [f for f in frames if f["type"] in ("typing", "presence")] == []
    await a.nothing()
