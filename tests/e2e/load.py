"""A steady load of real websocket clients for the fault tests (tests/e2e/test_faults.py):
senders that post at a steady rate and note what became of each post, and readers
that behave as a careful client should (PROTOCOL.md): on a gap or a lost connection
they subscribe again with `since` = the last seq they saw, so that in the end each has
every event of its room exactly once and in order.

Every figure is recorded, not judged: the tests decide what must hold.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import websockets

from tests.e2e.servers import Deployment

USERS = ["lena", "jonas", "mira", "tobias", "aylin", "frieda", "klaus", "sophie"]
REPLY_TIMEOUT = 15.0  # a send that gets no answer in this time counts as hanging
RETRY_SECONDS = 0.5


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@dataclass
class Sent:
    """One post: when it was sent, what came back and when."""

    client_id: str
    at: float
    outcome: str = "pending"  # "ack", an error code, "timeout", "closed"
    replied: float | None = None


@dataclass
class Reader:
    url: str
    token: str
    room: int
    seqs: list[int] = field(default_factory=list)
    duplicates: int = 0
    latencies: list[tuple[float, float]] = field(default_factory=list)  # (arrived, seconds)
    arrived: dict[str, float] = field(default_factory=dict)  # client_id -> when it came
    reconnects: int = 0
    resubscribes: int = 0
    paused: asyncio.Event = field(default_factory=asyncio.Event)  # set: stop reading

    @property
    def last(self) -> int:
        return self.seqs[-1] if self.seqs else 0

    def take(self, event: dict[str, Any], sent: dict[str, Sent]) -> bool:
        """Keep one event of the room; False on a gap (subscribe again with since)."""
        seq = int(event["seq"])
        if seq <= self.last:
            self.duplicates += 1
            return True
        if seq != self.last + 1:
            return False
        self.seqs.append(seq)
        now = time.monotonic()
        client_id = str(event["data"].get("client_id"))
        self.arrived[client_id] = now
        post = sent.get(client_id)
        if post is not None:
            self.latencies.append((now, now - post.at))
        return True

    async def run(self, stop: asyncio.Event, sent: dict[str, Sent], max_queue: int = 64) -> None:
        first = True
        while not stop.is_set():
            if not first:
                self.reconnects += 1
                await asyncio.sleep(RETRY_SECONDS)
            first = False
            try:
                async with websockets.connect(
                    self.url,
                    additional_headers={"Authorization": f"Token {self.token}"},
                    max_size=None,
                    max_queue=max_queue,
                    open_timeout=10,
                ) as ws:
                    await self._read(ws, stop, sent)
            except (websockets.ConnectionClosed, OSError, TimeoutError):
                continue

    async def _read(self, ws: Any, stop: asyncio.Event, sent: dict[str, Sent]) -> None:
        await self._subscribe(ws)
        while not stop.is_set():
            if self.paused.is_set():  # a client that stops reading: the socket fills up
                await asyncio.sleep(0.1)
                continue
            try:
                frame = json.loads(await asyncio.wait_for(ws.recv(), 0.5))
            except TimeoutError:
                continue
            kind = frame.get("type")
            if kind == "subscribed" and frame["room"] == self.room:
                ok = all(self.take(e, sent) for e in frame["messages"] if "seq" in e)
                if frame.get("reset") or not ok or frame.get("more"):
                    await self._subscribe(ws, again=True)
            elif kind == "event" and frame["room"] == self.room:
                if not self.take(frame, sent):
                    await self._subscribe(ws, again=True)
            elif kind == "error" and frame.get("ref") == "sub":
                await asyncio.sleep(RETRY_SECONDS)  # e.g. `unavailable` while Redis is away
                await self._subscribe(ws, again=True)

    async def _subscribe(self, ws: Any, again: bool = False) -> None:
        if again:
            self.resubscribes += 1
        frame: dict[str, Any] = {"type": "subscribe", "room": self.room, "ref": "sub"}
        if self.seqs:
            frame["since"] = self.last
        await ws.send(json.dumps(frame))


@dataclass
class Sender:
    url: str
    token: str
    room: int
    rate: float  # posts per second
    sent: dict[str, Sent]
    mine: list[Sent] = field(default_factory=list)

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                async with websockets.connect(
                    self.url,
                    additional_headers={"Authorization": f"Token {self.token}"},
                    max_size=None,
                    open_timeout=10,
                ) as ws:
                    await self._send_steadily(ws, stop)
            except (websockets.ConnectionClosed, OSError, TimeoutError):
                await asyncio.sleep(RETRY_SECONDS)

    async def _send_steadily(self, ws: Any, stop: asyncio.Event) -> None:
        while not stop.is_set():
            post = Sent(client_id=str(uuid.uuid4()), at=time.monotonic())
            self.sent[post.client_id] = post
            self.mine.append(post)
            frame = {"type": "send", "room": self.room, "body": "Last", "client_id": post.client_id}
            try:
                await ws.send(json.dumps(frame | {"ref": post.client_id}))
                post.outcome = await self._reply(ws, post.client_id)
            except websockets.ConnectionClosed:
                post.outcome = "closed"
                raise
            finally:
                post.replied = time.monotonic() if post.outcome != "timeout" else None
            await asyncio.sleep(max(0.0, 1 / self.rate - (time.monotonic() - post.at)))

    @staticmethod
    async def _reply(ws: Any, client_id: str) -> str:
        deadline = time.monotonic() + REPLY_TIMEOUT
        while (left := deadline - time.monotonic()) > 0:
            try:
                frame = json.loads(await asyncio.wait_for(ws.recv(), left))
            except TimeoutError:
                break
            if frame.get("type") == "ack" and frame.get("client_id") == client_id:
                return "ack"
            if frame.get("type") == "error" and frame.get("ref") == client_id:
                return str(frame["code"])
        return "timeout"


@dataclass
class Load:
    """50 clients in 5 rooms, on every worker of the deployment in turn: per room one
    sender and nine readers."""

    deployment: Deployment
    rooms: list[int]
    rate: float = 4.0
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    sent: dict[str, Sent] = field(default_factory=dict)
    readers: list[Reader] = field(default_factory=list)
    senders: list[Sender] = field(default_factory=list)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    stop_senders: asyncio.Event = field(default_factory=asyncio.Event)

    @classmethod
    def of(cls, deployment: Deployment, label: str, rooms: int = 5, **kwargs: Any) -> Load:
        ids = [deployment.new_room(f"{label} {i}") for i in range(rooms)]
        return cls(deployment=deployment, rooms=ids, **kwargs)

    def start(self, readers_per_room: int = 9) -> None:
        tokens = {name: self.deployment.token(name) for name in USERS}
        workers = self.deployment.workers
        n = 0
        for room in self.rooms:
            for _ in range(readers_per_room):
                worker = workers[n % len(workers)]
                self.readers.append(Reader(worker.ws, tokens[USERS[n % len(USERS)]], room))
                n += 1
            worker = workers[n % len(workers)]
            n += 1
            sender = Sender(worker.ws, tokens["lena"], room, self.rate, self.sent)
            self.senders.append(sender)
        loop = asyncio.get_running_loop()
        self.tasks = [loop.create_task(r.run(self.stop, self.sent)) for r in self.readers]
        self.tasks += [loop.create_task(s.run(self.stop_senders)) for s in self.senders]

    async def finish(self, catch_up_seconds: float = 60.0) -> dict[int, list[tuple[int, str]]]:
        """Stop sending, let every reader catch up with what is stored, stop them; the
        stored messages of each room as (seq, client_id), oldest first."""
        self.stop_senders.set()
        await asyncio.sleep(1.0)
        stored = {room: await asyncio.to_thread(self.stored, room) for room in self.rooms}
        deadline = time.monotonic() + catch_up_seconds
        while time.monotonic() < deadline:
            if all(r.last >= len(stored[r.room]) for r in self.readers):
                break
            await asyncio.sleep(0.2)
        self.stop.set()
        for task in self.tasks:
            task.cancel()
        for task in self.tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        return stored

    def stored(self, room: int) -> list[tuple[int, str]]:
        """The room's messages through REST, every page."""
        token = self.deployment.token("mira")
        out: list[tuple[int, str]] = []
        path: str | None = f"/api/rooms/{room}/messages/?after_seq=0&limit=200"
        while path:
            status, page = self.deployment.request("GET", path, token=token)
            assert status == 200, page
            out += [(m["seq"], m["client_id"]) for m in page["results"]]
            following = urlsplit(page["next"]) if page["next"] else None
            path = f"{following.path}?{following.query}" if following else None
        return out

    def latencies(self, since: float, until: float, skip: Reader | None = None) -> list[float]:
        return [
            seconds
            for reader in self.readers
            if reader is not skip
            for arrived, seconds in reader.latencies
            if since <= arrived < until
        ]
