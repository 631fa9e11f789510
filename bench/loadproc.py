"""One load process: an asyncio loop holding websocket clients, driven by bench.load.

bench.load starts one or more of these (multiprocessing) and sends commands over a
pipe; each answers with what it measured. A client here is one websocket with one
reader task; senders embed `B <step> <sender> <n> <monotonic send time>` in the
message body, so every receiver measures send-to-receive latency on the same clock
(CLOCK_MONOTONIC is system-wide on Linux). The three server kinds differ only in
the URL and how a client joins a room:

- `ours`: `/ws/` with `Authorization: Token`, `hello`, then `subscribe` -> `subscribed`;
  deliveries are `event` frames (their `seq` is checked: last + 1, per room);
- `ceiling`: `/`, `subscribe` -> `subscribed`; deliveries echo the `send` frame;
- `floor`: `/ws/chat/<room>/` with an `Origin`, joined at the handshake.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import resource
import time
import uuid
from multiprocessing.connection import Connection
from typing import Any

from bench.stats import bucket
from bench.wsclient import WebSocket, open_websocket

OPEN_TIMEOUT = 60.0
COMMANDS = {"connect", "close", "step", "drain", "settle", "acks"}
NOFILE = 65_536


def raise_nofile() -> None:
    """As many sockets as the kernel lets this process have (10,000 idle clients)."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    for limit in (max(hard, NOFILE), hard):
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))
            return


EVENT_PREFIX = b'{"type":"event",'  # ours (realtime/messages.py encodes compactly)
ECHO_PREFIXES = (b'{"type": "send"', b'{"type":"send"')  # the ceiling's and the floor's


def _body(raw: bytes) -> str | None:
    """The message body if it is one of ours (`B ...`), found without parsing the frame."""
    start = raw.find(b'"body":')
    if start < 0:
        return None
    start += 7
    if raw[start : start + 1] == b" ":
        start += 1
    if raw[start : start + 3] != b'"B ':
        return None
    return raw[start + 1 : raw.find(b'"', start + 1)].decode()


class Client:
    __slots__ = ("hello", "last_n", "room", "seq", "subscribed", "ws")

    def __init__(self, room: Any) -> None:
        loop = asyncio.get_running_loop()
        self.ws: WebSocket | None = None
        self.room = room
        self.seq: dict[Any, int] = {}
        self.last_n: dict[str, int] = {}
        self.hello: asyncio.Future[None] = loop.create_future()
        self.subscribed: asyncio.Future[None] = loop.create_future()

    @property
    def closed(self) -> bool:
        return self.ws is None or self.ws.closed


class Step:
    __slots__ = ("hist", "received")

    def __init__(self) -> None:
        self.received = 0
        self.hist: dict[int, int] = {}


class LoadProcess:
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.nonce = uuid.uuid4().hex[:10]
        self.clients: list[Client | None] = []  # by the index bench.load gave; None: failed
        self.steps: dict[int, Step] = {}
        self.sent_at: dict[str, float] = {}  # client_id -> send time, until its ack
        self.ack_hist: dict[int, int] = {}
        self.ack_waiters: dict[str, asyncio.Future[float]] = {}
        self.order_errors = 0
        self.errors = 0
        self.error_sample: Any = None
        self.last_frame = time.monotonic()
        self._step_cpu = time.process_time()

    # --- connecting ---------------------------------------------------------
    async def connect(self, spec: dict[str, Any]) -> dict[str, Any]:
        """Open (and subscribe) `clients`, at most `concurrency` handshakes at a time; none
        is started after `deadline` (monotonic) if one is given."""
        specs: list[dict[str, Any]] = spec["clients"]
        deadline = spec.get("deadline") or float("inf")
        gate = asyncio.Semaphore(spec["concurrency"])
        failures: list[str] = []
        skipped = 0
        offset = len(self.clients)
        self.clients.extend([None] * len(specs))

        async def one(index: int, spec: dict[str, Any]) -> None:
            nonlocal skipped
            async with gate:
                if time.monotonic() > deadline:
                    skipped += 1
                    return
                try:
                    self.clients[index] = await self._open(spec)
                except Exception as exc:
                    failures.append(f"{type(exc).__name__}: {exc}"[:200])

        started = time.monotonic()
        await asyncio.gather(*(one(offset + i, spec) for i, spec in enumerate(specs)))
        return {
            "opened": len(specs) - len(failures) - skipped,
            "failed": len(failures),
            "skipped": skipped,
            "seconds": time.monotonic() - started,
            "failure": failures[0] if failures else None,
        }

    async def _open(self, spec: dict[str, Any]) -> Client:
        client = Client(spec.get("room"))
        headers = {"Authorization": f"Token {spec['token']}"} if spec.get("token") else None
        client.ws = await open_websocket(
            spec["url"],
            lambda data: self._received(client, data),
            headers=headers,
            origin=spec.get("origin"),
        )
        if self.kind == "ours":
            await asyncio.wait_for(client.hello, OPEN_TIMEOUT)
        if spec.get("room") is not None and self.kind != "floor":
            await client.ws.send(json.dumps({"type": "subscribe", "room": spec["room"]}))
            await asyncio.wait_for(client.subscribed, OPEN_TIMEOUT)
        return client

    async def close(self, spec: dict[str, Any] | None = None) -> dict[str, Any]:
        clients = [c for c in self.clients if c is not None]
        self.clients = []
        await asyncio.gather(*(c.ws.close() for c in clients if c.ws), return_exceptions=True)
        return {"closed": len(clients)}

    # --- receiving ----------------------------------------------------------
    def _received(self, client: Client, raw: bytes) -> None:
        """One text frame from the server (called as it is read: keep it lean).

        Deliveries take a fast path (the tiny header of ours parsed as JSON, the body
        found by its key) so that the client's cost per delivery stays small and the
        same for every server; every other frame is parsed in full."""
        now = time.monotonic()
        self.last_frame = now
        if raw.startswith(EVENT_PREFIX):
            cut = raw.find(b',"data":')
            head = json.loads(raw[:cut] + b"}") if cut > 0 else json.loads(raw)
            room, seq = head["room"], head["seq"]
            last = client.seq.get(room)
            if last is not None and seq != last + 1:
                self.order_errors += 1
            if last is None or seq > last:
                client.seq[room] = seq
            if head.get("event") != "message.created":
                return
            body = _body(raw)
        elif raw.startswith(ECHO_PREFIXES):
            body = _body(raw)
        else:
            self._other(client, json.loads(raw), now)
            return
        if body is None:
            return
        _, step_id, sender, n_text, sent = body.split(" ")
        n = int(n_text)
        key = step_id + "/" + sender
        if client.last_n.get(key, -1) >= n:
            self.order_errors += 1
        client.last_n[key] = n
        step = self.steps.get(int(step_id))
        if step is None:
            step = self.steps[int(step_id)] = Step()
        step.received += 1
        bucket_ = bucket(now - float(sent))
        step.hist[bucket_] = step.hist.get(bucket_, 0) + 1

    def _other(self, client: Client, frame: dict[str, Any], now: float) -> None:
        kind = frame.get("type")
        if kind == "ack":
            self._acked(frame.get("client_id"), now)
        elif kind in ("hello", "subscribed"):
            if "seq" in frame:
                client.seq[frame["room"]] = frame["seq"]
            waiter = client.hello if kind == "hello" else client.subscribed
            if not waiter.done():
                waiter.set_result(None)
        elif kind == "error":
            self.errors += 1
            self.error_sample = frame

    def _acked(self, client_id: Any, now: float) -> None:
        sent = self.sent_at.pop(client_id, None)
        if sent is not None:
            key = bucket(now - sent)
            self.ack_hist[key] = self.ack_hist.get(key, 0) + 1
        waiter = self.ack_waiters.pop(client_id, None)
        if waiter is not None and not waiter.done():
            waiter.set_result(now)

    # --- sending ------------------------------------------------------------
    def _frame(self, room: Any, step: int, sender: str, n: int, now: float) -> str:
        client_id = f"{self.nonce}-{sender}-{step}-{n}"
        if self.kind == "ours":
            self.sent_at[client_id] = now
        body = f"B {step} {sender} {n} {now:.6f}"
        return json.dumps({"type": "send", "room": room, "body": body, "client_id": client_id})

    async def _send_loop(
        self, client: Client, sender: str, step: int, rate: float, start: float, end: float
    ) -> int:
        """Open loop: send at `rate` from `start` to `end`, whatever the answers; behind
        schedule it catches up at once (at most 0.2 s of backlog, the rest is not sent)."""
        interval = 1.0 / rate
        due = start
        n = 0
        while due < end and not client.closed:
            now = time.monotonic()
            if due > now:
                await asyncio.sleep(due - now)
                now = time.monotonic()
            if now >= end:
                break
            await client.ws.send(self._frame(client.room, step, sender, n, now))
            n += 1
            due = max(due + interval, now - 0.2)
        return n

    async def step(self, spec: dict[str, Any]) -> dict[str, Any]:
        """Run one rate step: each local sender sends to its room at `rate`."""
        step_id = spec["step"]
        self.steps.setdefault(step_id, Step())
        for client in self.clients:
            if client is not None:
                client.last_n.clear()
        cpu = time.process_time()
        start, end = spec["start"], spec["start"] + spec["seconds"]
        rate = spec["rate_per_sender"]
        jobs = []
        rooms = []
        for index, sender in spec["senders"]:  # (local client index, global sender number)
            client = self.clients[index]
            if client is None:
                continue
            phase = (sender * 0.618) % 1.0 / rate  # spread the senders' beats
            jobs.append(self._send_loop(client, str(sender), step_id, rate, start + phase, end))
            rooms.append(client.room)
        counts = await asyncio.gather(*jobs)
        sent: dict[Any, int] = {}
        for room, count in zip(rooms, counts, strict=True):
            sent[room] = sent.get(room, 0) + count
        self._step_cpu = cpu
        return {"sent": sent}

    async def drain(self, spec: dict[str, Any]) -> dict[str, Any]:
        """Wait until this process's receivers got every delivery of the step (or time out)."""
        step = self.steps.setdefault(spec["step"], Step())
        receivers: dict[Any, int] = {}
        for client in self.clients:
            if client is not None and not client.closed:
                receivers[client.room] = receivers.get(client.room, 0) + 1
        expected = sum(n * receivers.get(room, 0) for room, n in spec["sent"].items())
        deadline = time.monotonic() + spec["timeout"]
        while time.monotonic() < deadline:
            if step.received >= expected:
                break
            await asyncio.sleep(0.02)
        ack_hist, self.ack_hist = self.ack_hist, {}
        return {
            "received": step.received,
            "expected": expected,
            "hist": step.hist,
            "ack_hist": ack_hist,
            "order_errors": self.order_errors,
            "errors": self.errors,
            "error_sample": self.error_sample,
            "cpu": time.process_time() - self._step_cpu,
        }

    async def settle(self, spec: dict[str, Any]) -> dict[str, Any]:
        """Wait until no frame arrived for `quiet` seconds (a backlog drained), at most `max`."""
        deadline = time.monotonic() + spec["max"]
        while time.monotonic() < deadline:
            if time.monotonic() - self.last_frame >= spec["quiet"]:
                break
            await asyncio.sleep(0.05)
        self.sent_at.clear()
        received = {step_id: step.received for step_id, step in self.steps.items()}
        return {"quiet": time.monotonic() - self.last_frame, "received": received}

    async def acks(self, spec: dict[str, Any]) -> dict[str, Any]:
        """Closed loop on the first client: send, wait for the `ack`, `count` times."""
        client = self.clients[0]
        if client is None:
            raise RuntimeError("the sender could not connect")
        hist: dict[int, int] = {}
        failed = 0
        for n in range(spec["warmup"] + spec["count"]):
            sent = time.monotonic()
            text = self._frame(client.room, 0, "ack", n, sent)
            client_id = json.loads(text)["client_id"]
            waiter = asyncio.get_running_loop().create_future()
            self.ack_waiters[client_id] = waiter
            await client.ws.send(text)
            try:
                acked = await asyncio.wait_for(waiter, 10)
            except TimeoutError:
                failed += 1
                continue
            if n >= spec["warmup"]:
                key = bucket(acked - sent)
                hist[key] = hist.get(key, 0) + 1
        return {"hist": hist, "failed": failed, "errors": self.errors}


async def _serve(pipe: Connection, kind: str) -> None:
    load = LoadProcess(kind)
    while True:
        command, spec = await asyncio.to_thread(pipe.recv)
        if command == "exit":
            await load.close()
            pipe.send({})
            return
        try:
            if command not in COMMANDS:
                raise ValueError(f"unknown command {command!r}")
            result = await getattr(load, command)(spec)
        except Exception as exc:
            result = {"exception": f"{type(exc).__name__}: {exc}"}
        pipe.send(result)


def process_main(pipe: Connection, kind: str) -> None:
    """Entry point of a load process (multiprocessing target)."""
    raise_nofile()
    asyncio.run(_serve(pipe, kind))
