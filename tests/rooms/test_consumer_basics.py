"""The connection itself: `hello`, authentication, `ping`, `ref` echoes, malformed frames."""

from __future__ import annotations

import logging
from datetime import datetime

import pytest
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import User

from collab.asgi import application
from presence.services import get_keeper
from realtime.hub import get_hub
from rooms.models import Room
from tests.factories import MakePerson
from tests.rooms.helpers import USER_FIELDS
from tests.ws import Connect, cid, committing, orm

pytestmark = committing


# --- hello and authentication ------------------------------------------------------


async def test_hello_is_the_first_frame_with_user_time_and_protocol(
    connect: Connect, lead: User
) -> None:
    client = await connect(lead)

    hello = client.hello
    assert set(hello) == {"type", "user", "server_time", "protocol", "unread_notifications"}
    assert hello["type"] == "hello"
    assert hello["protocol"] == 1
    assert hello["user"] == {"id": lead.pk, "username": "lena", "display_name": "Lena"}
    assert set(hello["user"]) == USER_FIELDS
    assert datetime.fromisoformat(hello["server_time"]).tzinfo is not None


async def test_unauthenticated_handshake_is_accepted_then_closed_with_4401(room: Room) -> None:
    for headers in (
        [],
        [(b"authorization", b"Token nosuchkey")],
        [(b"authorization", b"Token ")],
        [(b"authorization", b"Bearer abc")],
    ):
        comm = WebsocketCommunicator(application, "/ws/", headers=headers)
        connected, _ = await comm.connect(timeout=5)
        try:
            assert connected
            closed = await comm.receive_output(timeout=5)
            assert closed == {"type": "websocket.close", "code": 4401}, headers
        finally:
            await comm.disconnect()


# --- ping and ref ----------------------------------------------------------------


async def test_ping_gets_pong_with_the_same_ref(connect: Connect, lead: User) -> None:
    client = await connect(lead)

    for ref in ("abc-1", "", 17, 0, 2.5):
        assert await client.request({"type": "ping", "ref": ref}) == {"type": "pong", "ref": ref}


async def test_ping_without_ref_gets_pong(connect: Connect, lead: User) -> None:
    client = await connect(lead)

    reply = await client.request({"type": "ping"})

    assert reply["type"] == "pong"
    assert reply.get("ref") is None


async def test_replies_echo_the_ref_of_their_frame(
    connect: Connect, lead: User, room: Room
) -> None:
    client = await connect(lead)

    subscribed = await client.request({"type": "subscribe", "room": room.pk, "ref": "s"})
    assert (subscribed["type"], subscribed["ref"]) == ("subscribed", "s")
    await client.send(
        {"type": "send", "room": room.pk, "body": "Hallo", "client_id": cid(), "ref": 41}
    )
    frames = {f["type"]: f for f in await client.take(2)}
    assert frames["ack"]["ref"] == 41
    assert "ref" not in frames["event"]  # a broadcast is nobody's reply
    unsubscribed = await client.request({"type": "unsubscribe", "room": room.pk, "ref": "u"})
    assert (unsubscribed["type"], unsubscribed["ref"]) == ("unsubscribed", "u")


async def test_errors_echo_the_ref_of_their_frame(connect: Connect, lead: User) -> None:
    client = await connect(lead)

    for frame in [
        {"type": "no-such-frame"},
        {"type": "subscribe"},
        {"type": "subscribe", "room": 999_999},
        {"type": "send", "room": 999_999, "body": "x", "client_id": "c"},
        {"type": "edit", "room": 999_999, "message": 1, "body": "x"},
        {"type": "react", "room": 999_999, "message": 1, "emoji": ""},
        {"type": "read", "room": "1", "seq": 1},
    ]:
        error = await client.error({**frame, "ref": "r-7"})
        assert error["ref"] == "r-7", frame


async def test_error_for_a_frame_without_type_echoes_its_ref(connect: Connect, lead: User) -> None:
    # PROTOCOL.md: every client frame may carry `ref`; errors caused by it echo it.
    # The frame is a JSON object with a `ref`, so the client can tell which one failed.
    client = await connect(lead)

    error = await client.error({"ref": "lost-type"})

    assert error["code"] == "invalid"
    assert error["ref"] == "lost-type"


# --- malformed input: `invalid`, and the connection stays open ------------------


MALFORMED = [
    "{not json",
    "",
    "[1, 2, 3]",
    '"ping"',
    "42",
    "null",
    "{}",
    '{"type": 5}',
    '{"type": null}',
    '{"type": "shout"}',
    '{"type": "subscribe", "room": "1"}',
    '{"type": "subscribe", "room": 1.0}',
    '{"type": "subscribe", "room": true}',
    '{"type": "subscribe", "room": null}',
    '{"type": "unsubscribe"}',
    '{"type": "send", "room": [1], "body": "x", "client_id": "c"}',
    '{"type": "edit", "room": 1, "message": "2", "body": "x"}',
    '{"type": "delete", "room": 1}',
    '{"type": "react", "room": 1, "emoji": "x"}',
    '{"type": "read", "room": ROOM, "seq": "3"}',
    '{"type": "read", "room": ROOM, "seq": -1}',
    '{"type": "subscribe", "room": ROOM, "since": "0"}',
    '{"type": "subscribe", "room": ROOM, "since": -1}',
    '{"type": "subscribe", "room": ROOM, "since": 1.5}',
    '{"type": "send", "room": ROOM, "body": "x"}',
    '{"type": "send", "room": ROOM, "body": "x", "client_id": 7}',
    '{"type": "send", "room": ROOM, "body": "x", "client_id": ""}',
    '{"type": "send", "room": ROOM, "body": 7, "client_id": "c"}',
    '{"type": "send", "room": ROOM, "client_id": "c"}',
    '{"type": "send", "room": ROOM, "body": "x", "client_id": "c", "thread": "1"}',
]


async def test_malformed_frames_get_invalid_and_the_connection_stays_open(
    connect: Connect, lead: User, room: Room
) -> None:
    client = await connect(lead)

    for text in MALFORMED:
        await client.send_text(text.replace("ROOM", str(room.pk)))
        error = await client.recv()
        assert (error["type"], error["code"]) == ("error", "invalid"), text
        assert isinstance(error["detail"], str) and error["detail"], text
    await client.alive()


async def test_binary_frame_gets_invalid_and_the_connection_stays_open(
    connect: Connect, lead: User
) -> None:
    client = await connect(lead)

    await client.comm.send_to(bytes_data=b'{"type": "ping"}')
    error = await client.recv()

    assert (error["type"], error["code"]) == ("error", "invalid")
    await client.alive()


async def test_unknown_room_is_not_found_and_the_connection_stays_open(
    connect: Connect, lead: User, room: Room
) -> None:
    client = await connect(lead)

    for frame in [
        {"type": "subscribe", "room": room.pk + 1000},
        {"type": "send", "room": room.pk + 1000, "body": "Hallo", "client_id": cid()},
        {"type": "read", "room": room.pk + 1000, "seq": 1},
    ]:
        error = await client.error(frame)
        assert error["code"] == "not_found", frame
    await client.alive()


async def test_ids_out_of_the_database_range_are_not_found(
    connect: Connect, lead: User, room: Room
) -> None:
    # Any integer is valid JSON; none may reach the database as a crash (`unavailable`).
    client = await connect(lead)
    await client.subscribe(room.pk)

    for huge in (2**63, 2**70, -(2**63) - 1):
        for frame in [
            {"type": "subscribe", "room": huge},
            {"type": "edit", "room": room.pk, "message": huge, "body": "x"},
            {"type": "delete", "room": room.pk, "message": huge},
            {"type": "react", "room": room.pk, "message": huge, "emoji": "👍"},
            {"type": "send", "room": room.pk, "body": "x", "client_id": cid(), "thread": huge},
        ]:
            assert (await client.error(frame))["code"] == "not_found", frame
    await client.alive()


async def test_a_room_id_too_long_for_a_group_name_is_not_found_without_a_trace(
    connect: Connect, lead: User, caplog: pytest.LogCaptureFixture
) -> None:
    # A room's channel-layer group is named after its id and must stay under 100
    # characters: an id that long was joined before it was looked up (`unavailable` and
    # three tracebacks). Ids are checked first now (common.validation.clean_id).
    client = await connect(lead)
    huge = int("9" * 95)

    with caplog.at_level(logging.WARNING):
        for frame in [
            {"type": "subscribe", "room": huge},
            {"type": "subscribe", "room": huge, "since": 0},
            {"type": "read", "room": huge, "seq": 1},
            {"type": "send", "room": huge, "body": "x", "client_id": cid()},
        ]:
            assert (await client.error(frame))["code"] == "not_found", frame
        # Typing needs a subscribed room, which this cannot be.
        assert (await client.error({"type": "typing", "room": huge}))["code"] == "invalid"
        unsubscribed = await client.request({"type": "unsubscribe", "room": huge})
        assert unsubscribed == {"type": "unsubscribed", "room": huge, "reason": "requested"}
        await client.alive()

    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


async def test_error_detail_follows_the_users_language(
    connect: Connect, make_person: MakePerson, room: Room
) -> None:
    english = await orm(make_person, "eve")
    await orm(_set_language, english, "en")
    german = await orm(make_person, "gerd")
    en_client = await connect(english)
    de_client = await connect(german)

    en_error = await en_client.error({"type": "subscribe", "room": room.pk + 1000})
    de_error = await de_client.error({"type": "subscribe", "room": room.pk + 1000})

    assert en_error["code"] == de_error["code"] == "not_found"
    assert en_error["detail"] != de_error["detail"]


def _set_language(user: User, language: str) -> None:
    user.profile.language = language
    user.profile.save(update_fields=["language"])


async def test_a_closed_connection_leaves_the_hub_even_when_presence_cannot_be_told(
    connect: Connect,
    member: User,
    room: Room,
    other_room: Room,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Presence lives in Redis on a deployment; a Redis that fails a disconnect's update
    must not keep the closed connection subscribed on this worker (its entry expires
    by its TTL), nor show a trace: a warning says what failed."""
    client = await connect(member)
    await client.subscribe(room.pk)
    await client.subscribe(other_room.pk)

    async def unreachable(room_id: int, connection: str, *, grace: bool = True) -> None:
        raise ConnectionError("Redis nicht erreichbar")

    monkeypatch.setattr(get_keeper(), "leave", unreachable)
    with caplog.at_level(logging.WARNING, logger="rooms.consumers"):
        await client.comm.disconnect(timeout=5)

    hub = get_hub()
    assert room.pk not in hub.rooms and other_room.pk not in hub.rooms
    assert member.pk not in hub.users
    warnings = [r for r in caplog.records if r.name == "rooms.consumers"]
    assert len(warnings) == 2 and all(r.exc_info is None for r in warnings)
