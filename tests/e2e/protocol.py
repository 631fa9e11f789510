"""A strict protocol client for end-to-end tests: it records what arrives, it repairs nothing."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import websockets

FRAME_TIMEOUT = 20.0


class Client:
    def __init__(self, ws: Any, hello: dict[str, Any]) -> None:
        self.ws = ws
        self.hello = hello
        self.backlog: list[dict[str, Any]] = []

    @classmethod
    async def connect(cls, url: str, token: str) -> Client:
        ws = await websockets.connect(
            url, additional_headers={"Authorization": f"Token {token}"}, max_size=None
        )
        hello = json.loads(await asyncio.wait_for(ws.recv(), FRAME_TIMEOUT))
        assert hello["type"] == "hello", hello
        return cls(ws, hello)

    async def send(self, frame: dict[str, Any]) -> None:
        await self.ws.send(json.dumps(frame))

    async def recv(self, timeout: float = FRAME_TIMEOUT) -> dict[str, Any]:
        if self.backlog:
            return self.backlog.pop(0)
        return json.loads(await asyncio.wait_for(self.ws.recv(), timeout))

    async def recv_type(self, kind: str, timeout: float = FRAME_TIMEOUT) -> dict[str, Any]:
        """The next frame of `kind`; others are kept for later `recv` calls."""
        skipped = []
        try:
            while True:
                frame = json.loads(await asyncio.wait_for(self.ws.recv(), timeout))
                if frame["type"] == kind:
                    return frame
                skipped.append(frame)
        finally:
            self.backlog.extend(skipped)

    async def subscribe(self, room: int, since: int | None = None) -> dict[str, Any]:
        frame: dict[str, Any] = {"type": "subscribe", "room": room, "ref": f"sub-{room}"}
        if since is not None:
            frame["since"] = since
        await self.send(frame)
        subscribed = await self.recv_type("subscribed")
        assert subscribed["room"] == room
        return subscribed

    async def post(self, room: int, body: str, client_id: str | None = None) -> str:
        client_id = client_id or str(uuid.uuid4())
        await self.send({"type": "send", "room": room, "body": body, "client_id": client_id})
        return client_id

    async def events(self, room: int, count: int, timeout: float = 60.0) -> list[dict[str, Any]]:
        """The next `count` event frames of `room`, exactly as they arrived."""
        got: list[dict[str, Any]] = []
        keep: list[dict[str, Any]] = []
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while len(got) < count:
            frame = await self.recv(timeout=max(0.1, deadline - loop.time()))
            if frame["type"] == "event" and frame["room"] == room:
                got.append(frame)
            else:
                keep.append(frame)
        self.backlog = keep + self.backlog
        return got

    async def assert_no_events(self, room: int, wait: float = 0.5) -> None:
        """Nothing more of the room's log arrives within `wait` (presence may)."""
        try:
            while True:
                frame = await self.recv(timeout=wait)
                assert not (frame["type"] == "event" and frame["room"] == room), frame
        except TimeoutError:
            return

    async def close(self) -> None:
        await self.ws.close()
