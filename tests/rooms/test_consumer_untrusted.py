"""Frames a fuzzer sends (issue 15's findings): deep nesting, lone surrogates, refs that
cannot be echoed. Each is `invalid` with a reason, echoes the ref where it can, writes
nothing, logs no trace, and the connection stays open."""

from __future__ import annotations

import json
import logging

import pytest
from django.contrib.auth.models import User

from rooms.models import Message, Room
from tests.rooms.helpers import post
from tests.ws import Connect, cid, committing, orm

pytestmark = committing

DEEP = "[" * 1_000 + "]" * 1_000


def _count() -> int:
    return Message.objects.count()


async def test_deep_nesting_anywhere_in_a_frame_is_invalid(
    connect: Connect, lead: User, room: Room, caplog: pytest.LogCaptureFixture
) -> None:
    client = await connect(lead)

    with caplog.at_level(logging.WARNING):
        for text in [
            DEEP,
            '{"type": "ping", "ref": 1, "x": ' + DEEP + "}",
            '{"type": "send", "room": ROOM, "body": ' + DEEP + ', "client_id": "c", "ref": 2}',
        ]:
            await client.send_text(text.replace("ROOM", str(room.pk)))
            error = await client.recv()
            assert (error["type"], error["code"]) == ("error", "invalid"), text[:40]
        await client.alive()

    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert await orm(_count) == 0


async def test_a_lone_surrogate_is_invalid_and_the_ref_is_echoed_where_it_is_sound(
    connect: Connect, lead: User, room: Room, caplog: pytest.LogCaptureFixture
) -> None:
    client = await connect(lead)
    message = (await orm(post, lead, room, "Hallo")).message
    send = '{"type": "send", "room": ROOM, "body": BODY, "client_id": CID, "ref": "r"}'

    with caplog.at_level(logging.WARNING):
        for text in [
            send.replace("BODY", '"a\\ud800b"').replace("CID", f'"{cid()}"'),
            send.replace("BODY", '"Hallo"').replace("CID", '"\\udc00"'),
            '{"type": "edit", "room": ROOM, "message": MSG, "body": "\\ud800", "ref": "r"}',
            '{"type": "react", "room": ROOM, "message": MSG, "emoji": "\\ud83d", "ref": "r"}',
        ]:
            await client.send_text(
                text.replace("ROOM", str(room.pk)).replace("MSG", str(message.pk))
            )
            error = await client.recv()
            assert (error["type"], error["code"], error.get("ref")) == ("error", "invalid", "r")
        await client.send_text('{"type": "ping", "ref": "\\ud800"}')
        error = await client.recv()
        assert (error["type"], error["code"]) == ("error", "invalid") and "ref" not in error
        await client.alive()

    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert await orm(_count) == 1


@pytest.mark.parametrize(
    "ref", ["[1]", '{"a": 1}', "true", "false", '"' + "r" * 201 + '"', "1e99999"]
)
async def test_a_ref_that_is_neither_a_string_nor_a_number_is_invalid_and_not_echoed(
    connect: Connect, lead: User, ref: str
) -> None:
    client = await connect(lead)

    await client.send_text('{"type": "ping", "ref": ' + ref + "}")
    error = await client.recv()

    assert (error["type"], error["code"]) == ("error", "invalid") and "ref" not in error
    await client.alive()


@pytest.mark.parametrize("ref", ['"r" ', "0", "-7", "1.5", '""', '"' + "r" * 200 + '"'])
async def test_strings_and_numbers_are_echoed_as_they_came(
    connect: Connect, lead: User, ref: str
) -> None:
    client = await connect(lead)

    await client.send_text('{"type": "ping", "ref": ' + ref + "}")

    assert await client.recv() == {"type": "pong", "ref": json.loads(ref)}
