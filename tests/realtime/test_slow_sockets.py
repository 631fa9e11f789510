"""A socket that does not take its frames holds up nobody else: the hub hands every
local subscriber its frame in one pass; what one socket cannot take waits in that
connection's outbox, in order with the connection's own frames and its close, and a
connection whose outbox overflows is dropped (it catches up with `since`)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from realtime import connection
from realtime.messages import room_event
from realtime.streams import Event, RoomStream
from rooms.consumers import ProtocolConsumer
from rooms.subscriptions import Subscription

ROOM = 7


class Socket:
    """What a server gives the consumer: the shared-frame writer (which refuses while
    `full`), an abort, and the ASGI send (which waits while `full`)."""

    def __init__(self, *, full: bool) -> None:
        self.readable = asyncio.Event()  # the client reads: the socket takes frames
        if not full:
            self.readable.set()
        self.frames: list[Any] = []
        self.aborted = False

    def write(self, frame: bytes) -> bool:
        if not self.readable.is_set():
            return False
        self.frames.append(frame[2:].decode())  # a short unmasked text frame: 2 header bytes
        return True

    def abort(self) -> None:
        self.aborted = True

    async def send(self, message: dict[str, Any]) -> None:
        await self.readable.wait()
        self.frames.append(message.get("text") or message)


def _connected(socket: Socket) -> ProtocolConsumer:
    consumer = ProtocolConsumer()
    consumer.user_id = 1
    consumer.connection_id = f"c{id(socket)}"
    consumer.sees_hidden = False
    consumer.subscriptions = {ROOM: Subscription(last_seq=0, pending=False)}
    consumer.write_shared = socket.write
    consumer.abort = socket.abort
    consumer.base_send = socket.send
    return consumer


def _event(seq: int) -> dict[str, Any]:
    return room_event(room_id=ROOM, seq=seq, kind="message.created", data={"n": seq})


def _seqs(frames: list[Any]) -> list[int]:
    return [json.loads(f)["seq"] for f in frames if isinstance(f, str) and '"seq"' in f]


async def test_a_full_socket_does_not_hold_up_the_others() -> None:
    stuck, fine = Socket(full=True), Socket(full=False)
    stream = RoomStream(ROOM)
    stream.anchor(0)
    slow_consumer = _connected(stuck)
    stream.subscribers = {slow_consumer, _connected(fine)}

    for seq in (1, 2, 3):
        await asyncio.wait_for(stream.receive(_event(seq)), 1)

    assert _seqs(fine.frames) == [1, 2, 3]
    assert stuck.frames == [] and slow_consumer.outbox.task is not None  # waiting to send

    stuck.readable.set()  # the client reads again
    await asyncio.wait_for(slow_consumer.outbox.drained(), 1)
    assert _seqs(stuck.frames) == [1, 2, 3]


async def test_the_connections_own_frames_and_its_close_follow_what_waits() -> None:
    socket = Socket(full=True)
    consumer = _connected(socket)
    consumer.deliver_room_event(ROOM, Event.of(_event(1)))
    await consumer.send_frame({"type": "unsubscribed", "room": ROOM, "reason": "banned"})
    await consumer.close(code=4403)

    socket.readable.set()
    assert consumer.outbox.task is not None
    await asyncio.wait_for(consumer.outbox.drained(), 1)

    kinds = [json.loads(f)["type"] if isinstance(f, str) else f["type"] for f in socket.frames]
    assert kinds == ["event", "unsubscribed", "websocket.close"]
    assert socket.frames[-1]["code"] == 4403


async def test_an_overflowing_outbox_drops_the_connection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(connection, "OUTBOX_LIMIT", 3)
    socket = Socket(full=True)
    consumer = _connected(socket)

    for seq in range(1, 5):
        consumer.deliver_room_event(ROOM, Event.of(_event(seq)))

    assert socket.aborted and len(consumer.outbox) == 0
    consumer.outbox.stop()
