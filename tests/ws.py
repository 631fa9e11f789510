"""The websocket side of the tests: one protocol client over `WebsocketCommunicator`,
sockets opened with a user's token, and ORM calls from async tests (the `connect`
fixture that makes clients: tests/conftest.py)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Collection
from typing import Any, TypeVar

import pytest
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token

from collab.asgi import application
from realtime import publish
from realtime.db import db_async

T = TypeVar("T")

# Consumer tests commit for real: services broadcast with `transaction.on_commit`.
# `serialized_rollback` brings back the categories and districts of the data migration
# (and the group `moderators`) that the flush after each transactional test removes.
committing = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Generous: PostgreSQL + Redis on a busy machine. Waiting for a frame that does come
# returns as soon as it is there; only `nothing()` waits its full (short) time.
RECV_TIMEOUT = 5.0
NOTHING_TIMEOUT = 0.2

# Presence and typing (issue 4) come whenever people come and go, and moderators' and
# leads' connections get `queue` (their console's live feed) on every report and action;
# tests about the room's log and the replies set them aside (tests/presence and
# tests/moderation/test_console_frames.py look at them).
SIDE_FRAMES = frozenset({"presence", "typing", "queue"})


async def orm(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a sync (ORM, service) call from an async test, as the consumer does."""
    return await db_async(fn)(*args, **kwargs)


def cid() -> str:
    """A fresh `client_id`, as a client makes one (a UUID)."""
    return str(uuid.uuid4())


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


class Client:
    """One websocket connection speaking the protocol.

    Every receive sets aside (in `set_aside`) the frames whose type is in `side_frames`:
    tests about the room's log need not wait for, or trip over, people coming and going.

    A client that sets nothing aside sees every frame, with one exception: right after
    its own `subscribe`, the server may or may not deliver announcements that the
    `subscribed` snapshot already shows (the subscriber's own arrival, or another's
    arrival announced a moment before): it depends on whether the fan-out delivers them
    before or after `subscribed`, which varies on Redis. docs/protocol.md allows it
    ("one may repeat what `subscribed.presence` showed"). Such repeats are set aside
    while they come before the room's first real change."""

    def __init__(
        self,
        comm: WebsocketCommunicator,
        user: User,
        *,
        side_frames: Collection[str] = SIDE_FRAMES,
        nothing_timeout: float = NOTHING_TIMEOUT,
    ) -> None:
        self.comm = comm
        self.user = user
        self.side_frames = frozenset(side_frames)
        self.nothing_timeout = nothing_timeout
        self.hello: dict[str, Any] = {}
        self.open = True
        self.set_aside: list[dict[str, Any]] = []
        self.repeats: dict[int, list[dict[str, Any]]] = {}
        self.repeats_seen = 0

    async def send(self, frame: dict[str, Any]) -> None:
        await self.comm.send_json_to(frame)

    async def send_text(self, text: str) -> None:
        # Straight to the application: `send_to` refuses an empty text frame.
        await self.comm.send_input({"type": "websocket.receive", "text": text})

    def _sets_aside(self, frame: dict[str, Any]) -> bool:
        if frame.get("type") in self.side_frames:
            self.set_aside.append(frame)
            return True
        return self._is_repeat(frame)

    def _is_repeat(self, frame: dict[str, Any]) -> bool:
        room = frame.get("room")
        if frame.get("type") not in ("presence", "typing") or room not in self.repeats:
            return False
        # The room's presence and typing frames come in the order they were announced:
        # once a real change arrives, no late repeat of the snapshot is left to come.
        allowed = self.repeats[room]
        if frame not in allowed:
            del self.repeats[room]
            return False
        allowed.remove(frame)
        if not allowed:
            del self.repeats[room]
        self.repeats_seen += 1
        return True

    async def recv(self, timeout: float = RECV_TIMEOUT) -> dict[str, Any]:
        """The next frame that is not set aside."""
        while True:
            frame = await self.comm.receive_json_from(timeout=timeout)
            assert isinstance(frame, dict)
            if not self._sets_aside(frame):
                return frame

    async def take(self, n: int, timeout: float = RECV_TIMEOUT) -> list[dict[str, Any]]:
        return [await self.recv(timeout) for _ in range(n)]

    async def collect(self, timeout: float) -> list[dict[str, Any]]:
        """Every frame (not set aside) that arrives within `timeout` (waits all of it)."""
        frames = []
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while (remaining := deadline - loop.time()) > 0:
            if await self.comm.receive_nothing(timeout=remaining):
                break
            frame = await self.comm.receive_json_from(timeout=RECV_TIMEOUT)
            if not self._sets_aside(frame):
                frames.append(frame)
        return frames

    async def nothing(self, timeout: float | None = None) -> None:
        """No frame (but those set aside) arrives within `timeout` (by default the
        client's `nothing_timeout`): the only place a test waits out a time."""
        assert await self.collect(self.nothing_timeout if timeout is None else timeout) == []

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
        if "presence" not in self.side_frames:
            self._expect_repeats(room, reply)
        return reply

    def _expect_repeats(self, room: int, subscribed: dict[str, Any]) -> None:
        if "presence_counts" in subscribed:
            shown = [{"type": "presence", "room": room, "counts": subscribed["presence_counts"]}]
        else:
            shown = [
                {"type": "presence", "room": room, **entry} for entry in subscribed["presence"]
            ]
        if shown:
            self.repeats[room] = shown

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

    async def presence(self, timeout: float = RECV_TIMEOUT) -> dict[str, Any]:
        frame = await self.recv(timeout)
        assert frame["type"] == "presence", frame
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

    async def close(self) -> None:
        """Disconnect (the `connect` fixture then leaves this client alone)."""
        self.open = False
        await self.comm.disconnect(timeout=RECV_TIMEOUT)


Connect = Callable[[User], Awaitable[Client]]
