"""Helpers for the rooms tests: a protocol client over `WebsocketCommunicator`, ORM calls
from async tests, and the exact field sets of PROTOCOL.md."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import User
from django.db import connection, transaction
from rest_framework.authtoken.models import Token

from collab.asgi import application
from realtime import publish
from realtime.db import db_async
from rooms import services
from rooms.models import Room
from rooms.services import Posted

T = TypeVar("T")

# Consumer tests commit for real: services broadcast with `transaction.on_commit`.
# `serialized_rollback` brings back the categories and districts of the data migration
# (and the group `moderators`) that the flush after each transactional test removes.
realtime = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Generous: PostgreSQL + Redis on a busy machine. Waiting for a frame that does come
# returns as soon as it is there; only `nothing()` waits its full (short) time.
RECV_TIMEOUT = 5.0
NOTHING_TIMEOUT = 0.2

SUBSCRIBED_FIELDS = {
    "type",
    "room",
    "seq",
    "messages",
    "more",
    "reset",
    "presence",
    "unread",
    "you",
}
EVENT_FIELDS = {"type", "room", "seq", "event", "data"}
REPLAY_ITEM_FIELDS = {"seq", "event", "data"}
MESSAGE_FIELDS = {
    "id",
    "room",
    "thread",
    "author",
    "body",
    "html",
    "created_at",
    "edited_at",
    "hidden",
    "deleted",
    "reactions",
    "reply_count",
    "client_id",
}
USER_FIELDS = {"id", "username", "display_name"}
# Presence and typing (issue 4) come whenever people come and go; these tests are about
# the room's log and the replies, so `Client.recv` sets them aside.
SIDE_FRAMES = {"presence", "typing"}


async def orm(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a sync (ORM, service) call from an async test, as the consumer does."""
    return await db_async(fn)(*args, **kwargs)


def _token_key(user: User) -> str:
    return Token.objects.get(user=user).key


async def open_socket(user: User) -> WebsocketCommunicator:
    """A websocket of `user` (token auth), connected; its `hello` is the first frame.

    Waits first until the publishes this test made so far have gone out: otherwise a
    live frame of something done before the socket existed (a mute's notification)
    can still reach it, on Redis now and then, ahead of the reply a test waits for."""
    await publish.drained()
    key = await orm(_token_key, user)
    comm = WebsocketCommunicator(
        application, "/ws/", headers=[(b"authorization", f"Token {key}".encode())]
    )
    connected, _ = await comm.connect(timeout=RECV_TIMEOUT)
    assert connected
    return comm


async def committed(fn: Callable[[], T]) -> T:
    """Run `fn` on a new thread with its own database connection: it sees only what
    is committed."""

    def run() -> T:
        try:
            return fn()
        finally:
            connection.close()

    return await sync_to_async(run, thread_sensitive=False)()


def cid() -> str:
    """A fresh `client_id`, as a client makes one (a UUID)."""
    return str(uuid.uuid4())


def post(user: User, room: Room, body: str = "Hallo", **extra: Any) -> Posted:
    """Post through the service (as socket and REST do)."""
    return services.message_post(
        user=user, room_id=room.pk, body=body, client_id=extra.pop("client_id", cid()), **extra
    )


def post_many(user: User, room: Room, n: int) -> list[Posted]:
    """n messages "Nachricht 1".."Nachricht n", committed together (fast on PostgreSQL)."""
    with transaction.atomic():
        return [post(user, room, f"Nachricht {i}") for i in range(1, n + 1)]


class Client:
    """One websocket connection speaking the protocol."""

    def __init__(self, comm: WebsocketCommunicator, user: User) -> None:
        self.comm = comm
        self.user = user
        self.hello: dict[str, Any] = {}
        self.side_frames: list[dict[str, Any]] = []

    async def send(self, frame: dict[str, Any]) -> None:
        await self.comm.send_json_to(frame)

    async def send_text(self, text: str) -> None:
        # Straight to the application: `send_to` refuses an empty text frame.
        await self.comm.send_input({"type": "websocket.receive", "text": text})

    async def recv(self, timeout: float = RECV_TIMEOUT) -> dict[str, Any]:
        """The next frame that is not presence or typing."""
        while True:
            frame = await self.comm.receive_json_from(timeout=timeout)
            assert isinstance(frame, dict)
            if frame.get("type") not in SIDE_FRAMES:
                return frame
            self.side_frames.append(frame)

    async def take(self, n: int, timeout: float = RECV_TIMEOUT) -> list[dict[str, Any]]:
        return [await self.recv(timeout) for _ in range(n)]

    async def nothing(self, timeout: float = NOTHING_TIMEOUT) -> None:
        """Nothing (but presence or typing) arrives within `timeout`: the only place a
        test waits out a time."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while (remaining := deadline - loop.time()) > 0:
            if await self.comm.receive_nothing(timeout=remaining):
                return
            frame = await self.comm.receive_json_from(timeout=RECV_TIMEOUT)
            assert frame.get("type") in SIDE_FRAMES, frame
            self.side_frames.append(frame)

    async def request(self, frame: dict[str, Any]) -> dict[str, Any]:
        """Send a frame and return the next frame (its reply or error)."""
        await self.send(frame)
        return await self.recv()

    async def subscribe(self, room: int, since: int | None = None) -> dict[str, Any]:
        frame: dict[str, Any] = {"type": "subscribe", "room": room}
        if since is not None:
            frame["since"] = since
        reply = await self.request(frame)
        assert reply["type"] == "subscribed", reply
        return reply

    async def post(
        self, room: int, body: str, *, client_id: str | None = None, **extra: Any
    ) -> dict[str, Any]:
        """`send` and return the `ack`; the caller must not be subscribed to `room`
        (else its own event may arrive first: use `post_and_event`)."""
        reply = await self.request(
            {"type": "send", "room": room, "body": body, "client_id": client_id or cid(), **extra}
        )
        assert reply["type"] == "ack", reply
        return reply

    async def post_and_event(
        self, room: int, body: str, *, client_id: str | None = None, **extra: Any
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """`send` in a subscribed room: (ack, own event), in whichever order they come."""
        await self.send(
            {"type": "send", "room": room, "body": body, "client_id": client_id or cid(), **extra}
        )
        frames = await self.take(2)
        by_type = {f["type"]: f for f in frames}
        assert set(by_type) == {"ack", "event"}, frames
        return by_type["ack"], by_type["event"]

    async def event(self, timeout: float = RECV_TIMEOUT) -> dict[str, Any]:
        frame = await self.recv(timeout)
        assert frame["type"] == "event", frame
        return frame

    async def error(self, frame: dict[str, Any]) -> dict[str, Any]:
        reply = await self.request(frame)
        assert reply["type"] == "error", reply
        return reply

    async def close_code(self, frames_before: int = 10) -> int | None:
        """The code the server closes with, after at most `frames_before` other frames
        (None if it sends that many without closing)."""
        for _ in range(frames_before):
            output = await self.comm.receive_output(timeout=RECV_TIMEOUT)
            if output["type"] == "websocket.close":
                return int(output["code"])
        return None

    async def alive(self) -> None:
        """The connection is open and answers (a `ping` gets its `pong`)."""
        ref = cid()
        assert await self.request({"type": "ping", "ref": ref}) == {"type": "pong", "ref": ref}
