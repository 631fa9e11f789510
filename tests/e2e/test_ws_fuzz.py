"""A websocket fuzzer against real server processes (daphne and uvicorn, on SQLite).

Client frames of every type, valid and mutated (wrong types, huge and negative numbers,
deep nesting, unicode edge cases and lone surrogates, missing, extra and unknown fields,
replays of earlier frames with fields changed, invalid JSON, binary and oversized
frames: tests/e2e/fuzz_frames.py), sent as raw text over one long-lived connection,
reconnecting whenever the server closes it. After each batch of frames a `ping`
sentinel marks the end of the answers. Whatever the input, PROTOCOL.md and
docs/protocol.md say:

- every frame the server sends is a valid protocol frame, and `unavailable` never comes
  (the server is healthy: `unavailable` means the input broke something);
- what is not JSON, not an object, binary, has a `ref` that cannot be echoed or an
  unknown `type` gets exactly one `error` `invalid`; every answer echoes the frame's
  `ref` (or has none where it cannot be echoed); `ping`, `subscribe`, `unsubscribe`
  and `send` get exactly one answer, the other frames at most an error;
- a repeated `client_id` gets the first `ack` again;
- the connection closes only for a message over 65,536 bytes, with 1009;
- two other connections, subscribed to the fuzzed rooms, only ever get valid frames
  (and never the fuzzing user's own `typing`);
- the server log has no trace.

The number of examples (KLIMA_WS_FUZZ_EXAMPLES, default 2000, a batch of one to four
frames each) bounds the run: about 10 s per server, 25 s with the server's start. A
failing input is reported with the exact bytes sent and what came back; hypothesis does
not shrink it (a stateful server makes shrinking slow and unreliable): the message says
all there is to know.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import websockets
from hypothesis import HealthCheck, Phase, given, settings

from tests.e2e.fuzz_frames import (
    ANSWERED,
    DIRECT,
    LONE_SURROGATES,
    NO_REF,
    UNKNOWN,
    Spec,
    Targets,
    Wire,
    batches,
    binary_wire,
    parse_server_frame,
    render,
    text_wire,
)
from tests.e2e.servers import Deployment

pytestmark = pytest.mark.e2e

EXAMPLES = int(os.environ.get("KLIMA_WS_FUZZ_EXAMPLES", "2000"))
ANSWER_TIMEOUT = 15.0  # for the sentinel's pong; a healthy server answers in milliseconds
AFTER_CLOSE = 0.2  # seconds for the server to finish with a connection it closed
CLOSE_TOO_BIG = 1009
# PROTOCOL.md and docs/protocol.md: the only codes a server may close with. 4401, 4403
# and 4429 cannot happen here (signed in, nobody bans, rate limits off), nor 1013 or a
# dropped connection (the fuzzer reads everything): any close but 1009 is a finding.
DOCUMENTED_CLOSES = {1000, CLOSE_TOO_BIG, 4401, 4403, 4429, 1013}


class FuzzSession:
    """One server's fuzzing state: an event loop of its own (hypothesis drives a sync
    test), the fuzzing connection (jonas), two observers, the pools Picks choose from."""

    def __init__(self, deployment: Deployment) -> None:
        self.deployment = deployment
        worker = deployment.workers[0]
        args = [str(arg) for arg in worker.process.args]  # type: ignore[union-attr]
        self.server = str(args[args.index("--server") + 1])
        self.url = worker.ws
        self.log = worker.log
        self.log_offset = 0  # what of the server's log has been checked
        self.loop = asyncio.new_event_loop()
        self.ws: Any = None
        self.observers: list[Any] = []
        self.observer_tasks: list[asyncio.Task[None]] = []
        self.stopping = False
        self.acks: dict[str, tuple[int, int]] = {}  # client_id -> (message, seq), jonas's
        self.findings: list[str] = []
        # Found outside a batch's own answers (observers, hellos), not yet reported.
        self.observer_findings: list[str] = []
        self.stats: Counter[str] = Counter()
        self.started = time.monotonic()
        self.sentinels = 0

    # --- set-up ---------------------------------------------------------------------
    def start(self) -> None:
        d = self.deployment
        self.tokens = {name: d.token(name) for name in ("jonas", "lena")}
        room_a, room_b = d.new_room("Fuzz A"), d.new_room("Fuzz B")
        self.rooms = (room_a, room_b)
        messages = []
        for room, author, count in (
            (room_a, "jonas", 3),
            (room_b, "jonas", 1),
            (room_a, "lena", 2),
        ):
            for i in range(count):
                client_id = str(uuid.uuid4())
                status, body = d.request(
                    "POST",
                    f"/api/rooms/{room}/messages/",
                    {"body": f"Fuzz-Vorlage {i}", "client_id": client_id},
                    token=self.tokens[author],
                )
                assert status == 201, body
                messages.append(int(body["id"]))
                if author == "jonas":
                    self.acks[client_id] = (int(body["id"]), int(body["seq"]))
        status, page = d.request("GET", "/api/rooms/", token=self.tokens["jonas"])
        assert status == 200, page
        readable = [int(room["id"]) for room in page["results"]]
        self.targets = Targets(
            rooms=[room_a, room_a, room_a, room_b, *readable],
            messages=messages,
            client_ids=list(self.acks),
        )
        self.run(self._start())

    async def _start(self) -> None:
        self.ws, hello = await self._connect("jonas")
        self.jonas_id = hello["user"]["id"]
        for name, rooms in (("lena", self.rooms), ("jonas", self.rooms[:1])):
            observer, _hello = await self._connect(name)
            for room in rooms:
                await observer.send(json.dumps({"type": "subscribe", "room": room}))
            self.observers.append(observer)
            self.observer_tasks.append(
                asyncio.get_running_loop().create_task(self._observe(name, observer))
            )

    async def _connect(self, name: str) -> tuple[Any, dict[str, Any]]:
        ws = await websockets.connect(
            self.url,
            additional_headers={"Authorization": f"Token {self.tokens[name]}"},
            max_size=None,
            ping_interval=None,  # nothing but the fuzzer's frames on the fuzzed socket
        )
        raw = await asyncio.wait_for(ws.recv(), ANSWER_TIMEOUT)
        hello, problems = parse_server_frame(raw)
        self._note(problems, f"hello to {name}", raw)
        assert isinstance(hello, dict) and hello.get("type") == "hello", raw
        return ws, hello

    async def _observe(self, name: str, ws: Any) -> None:
        """An observer only reads; all it gets must be valid, and the connection stays."""
        try:
            async for raw in ws:
                self.stats[f"observer frames ({name})"] += 1
                frame, problems = parse_server_frame(raw)
                self.observer_findings.extend(
                    f"frame to observer {name}: {p}: {raw!r:.300}" for p in problems
                )
                if (
                    name == "jonas"
                    and isinstance(frame, dict)
                    and frame.get("type") == "typing"
                    and (frame.get("user") or {}).get("id") == self.jonas_id
                ):
                    self.observer_findings.append(
                        f"jonas's own typing reached his other connection: {raw!r}"
                    )
        except websockets.ConnectionClosed as closed:
            if not self.stopping:
                self.observer_findings.append(f"observer {name} was closed: {closed!r}")

    def stop(self) -> None:
        async def stop() -> None:
            self.stopping = True
            for ws in [self.ws, *self.observers]:
                await ws.close()
            await asyncio.gather(*self.observer_tasks, return_exceptions=True)

        try:
            self.run(stop())
        finally:
            self.loop.close()

    def run(self, coro: Any) -> Any:
        return self.loop.run_until_complete(coro)

    # --- fuzzing --------------------------------------------------------------------
    def send(self, batch: list[Spec] | list[Wire], keep_sending: bool = False) -> list[str]:
        """Send the frames back to back, collect the answers up to the sentinel's pong,
        and check them; the findings of this batch (also kept in `self.findings`).

        Nothing follows a frame over 64 KiB unless `keep_sending`: the server closes
        with 1009, and what a client sends after it is a case of its own
        (test_a_client_that_keeps_sending_after_an_oversized_frame_gets_1009)."""
        wires = [item if isinstance(item, Wire) else render(item, self.targets) for item in batch]
        findings: list[str] = []
        answers = self.run(self._exchange(wires, findings, keep_sending))
        if answers is not None and not findings:
            self._check_answers(wires, answers, findings)
        findings += self.observer_findings
        self.observer_findings = []
        logged = self.new_log_problems()
        if logged:
            findings.append("the server logged:\n      " + "\n      ".join(logged))
        if findings:
            shown = "\n    ".join(w.show() for w in wires)
            got = "\n    ".join(json.dumps(a, ensure_ascii=True)[:400] for a in answers or [])
            findings = [
                f"[{self.server}] {f}\n  sent:\n    {shown}\n  got:\n    {got or '(nothing)'}"
                for f in findings
            ]
        self.findings.extend(findings)
        return findings

    async def _exchange(
        self, wires: list[Wire], findings: list[str], keep_sending: bool
    ) -> list[Any] | None:
        oversized = any(w.oversized for w in wires)
        self.sentinels += 1
        sentinel = f"fuzz-sentinel-{self.sentinels}"
        answers: list[Any] = []
        try:
            for wire in wires:
                self.stats["frames sent"] += 1
                self.stats["binary frames" if isinstance(wire.data, bytes) else "text frames"] += 1
                await self.ws.send(wire.data)
                if wire.oversized:
                    self.stats["frames over 64 KiB"] += 1
                    if not keep_sending:
                        break
            if not oversized or keep_sending:
                await self.ws.send(json.dumps({"type": "ping", "ref": sentinel}))
            while True:
                raw = await asyncio.wait_for(self.ws.recv(), ANSWER_TIMEOUT)
                frame, problems = parse_server_frame(raw)
                if problems:
                    findings.extend(f"invalid server frame: {p}: {raw[:300]!r}" for p in problems)
                if not isinstance(frame, dict):
                    continue
                if frame.get("type") == "pong" and frame.get("ref") == sentinel:
                    break
                answers.append(frame)
                if not problems:
                    self._count(frame, findings)
        except websockets.ConnectionClosed as closed:
            code = closed.rcvd.code if closed.rcvd is not None else None
            self.stats[f"closed with {code}"] += 1
            if code not in DOCUMENTED_CLOSES:
                what = "no close frame" if code is None else f"the undocumented code {code}"
                findings.append(f"closed with {what} ({closed!r})")
            elif not oversized or code != CLOSE_TOO_BIG:
                why = "no frame was over 64 KiB" if not oversized else "expected 1009"
                findings.append(f"closed with {code} ({closed!r}), but {why}")
            # What the server does with the frames that crossed the close is logged now:
            # give it the moment, so that a trace shows up with the batch that caused it.
            await asyncio.sleep(AFTER_CLOSE)
            self.ws, _hello = await self._connect("jonas")
            self.stats["reconnects"] += 1
            return None
        except TimeoutError:
            waited = "a close (1009)" if oversized else "the sentinel's pong"
            findings.append(f"no {waited} within {ANSWER_TIMEOUT} s")
            return answers
        if oversized:
            findings.append("a message over 64 KiB was taken: no close with 1009")
        return answers

    def _count(self, frame: dict[str, Any], findings: list[str]) -> None:
        kind = frame.get("type")
        self.stats[f"answers: {kind}"] += 1
        if kind == "error":
            self.stats[f"errors: {frame.get('code')}"] += 1
        if kind == "ack" and isinstance(frame.get("client_id"), str):
            first = self.acks.get(frame["client_id"])
            this = (frame["message"], frame["seq"])  # ints: the frame is valid
            if first is None:
                self.acks[frame["client_id"]] = this
                self.targets.messages.append(this[0])
                self.targets.client_ids.append(frame["client_id"])
            elif first != this:
                findings.append(f"a repeated client_id got another ack: first {first}, now {this}")

    def _check_answers(self, wires: list[Wire], answers: list[Any], findings: list[str]) -> None:
        direct = [a for a in answers if a.get("type") in DIRECT]
        if len(wires) > 1:  # answers to several frames: each ref must be one that was sent
            sent = [w.expect.ref for w in wires]
            if UNKNOWN in sent:
                return
            for answer in direct:
                if answer.get("ref") is not None and not any(_same(answer["ref"], r) for r in sent):
                    findings.append(f"an answer echoes a ref that was not sent: {answer}")
            return
        expect = wires[0].expect
        if expect.rejected:
            if [a.get("type") for a in direct] != ["error"] or direct[0].get("code") != "invalid":
                findings.append("expected exactly one `error` `invalid`")
                return
        else:
            if expect.kind == "subscribe" and _revoked(direct[:1]):
                direct = direct[1:]  # a failed re-subscribe ends the old subscription first
            answered = ANSWERED.get(expect.kind or "")
            kinds = [a.get("type") for a in direct]
            if answered is not None and kinds not in ([answered], ["error"]):
                findings.append(f"`{expect.kind}` must get one `{answered}` or `error`: {kinds}")
                return
            if answered is None and kinds not in ([], ["error"]):
                findings.append(f"`{expect.kind}` must get no answer or one `error`: {kinds}")
                return
            if kinds == ["ack"]:
                sent = json.loads(wires[0].data)
                if direct[0]["client_id"] != sent.get("client_id"):
                    findings.append("the ack's client_id is not the one sent")
            if kinds == ["unsubscribed"] and direct[0].get("reason") != "requested":
                findings.append("an `unsubscribe` was answered with another reason than requested")
        for answer in direct:
            if expect.ref is UNKNOWN:
                continue
            if expect.ref is NO_REF:
                if answer.get("ref") is not None:
                    findings.append(f"an answer carries a ref though none can be echoed: {answer}")
            elif not _same(answer.get("ref"), expect.ref):
                findings.append(f"an answer does not echo the ref {expect.ref!r}: {answer}")

    def _note(self, problems: list[str], where: str, raw: Any) -> None:
        self.observer_findings.extend(f"{where}: {p}: {raw!r:.300}" for p in problems)

    def summary(self) -> str:
        stats = ", ".join(f"{k}: {v}" for k, v in sorted(self.stats.items()))
        return (
            f"ws fuzz against {self.server}: {self.stats['frames sent']} frames "
            f"in {time.monotonic() - self.started:.1f} s; {stats}"
        )

    def new_log_problems(self) -> list[str]:
        """Trace lines the server logged since the last look (an input's trace shows up
        with the batch that caused it)."""
        with self.log.open("rb") as log:
            log.seek(self.log_offset)
            new = log.read()
        self.log_offset += len(new)
        lines = new.decode(errors="replace").splitlines()
        if not any(_trace(line) for line in lines):
            return []
        return [line for line in lines if line.strip()]  # all of it: the trace's context


def _trace(line: str) -> bool:
    return "Traceback" in line or "Exception" in line or "exception" in line


def _revoked(frames: list[dict[str, Any]]) -> bool:
    """An `unsubscribed` (access_revoked) that ends a subscription a failed `subscribe`
    replaced; it answers no frame, so it has no ref."""
    return any(
        f.get("type") == "unsubscribed" and f.get("reason") == "access_revoked" and "ref" not in f
        for f in frames
    )


def _same(got: Any, sent: Any) -> bool:
    """The echoed ref is the one sent: same JSON type, same value."""
    if isinstance(sent, bool) or isinstance(got, bool):
        return False
    numeric = (int, float)
    if isinstance(sent, numeric) and isinstance(got, numeric):
        return type(got) is type(sent) and got == sent
    return isinstance(got, str) and got == sent


@pytest.fixture(scope="module")
def fuzz(sqlite_server: Deployment) -> Iterator[FuzzSession]:
    session = FuzzSession(sqlite_server)
    session.start()
    try:
        yield session
    finally:
        session.stop()


def _no_findings(fuzz: FuzzSession, findings: list[str]) -> None:
    assert not findings, "\n\n".join(findings) + "\n\n" + fuzz.summary()


def _no_new_trace(fuzz: FuzzSession, wait: float = AFTER_CLOSE) -> None:
    """Nothing more in the server's log (what it does after a close comes a little later)."""
    fuzz.run(asyncio.sleep(wait))
    logged = fuzz.new_log_problems()
    assert not logged, f"[{fuzz.server}] the server logged:\n" + "\n".join(logged)


# --- a fixed corpus: every category at least once, whatever hypothesis draws --------


def _deep(levels: int) -> str:
    return '{"type":"ping","ref":"deep","x":' + "[" * levels + "]" * levels + "}"


RAW_CORPUS = [
    "",
    " ",
    "null",
    "true",
    "0",
    "-1",
    "1e999",
    '"ping"',
    "[]",
    '[{"type":"ping"}]',
    "{}",
    "{",
    "}",
    '{"type":"ping",}',
    "{'type':'ping'}",
    '{"type":"ping"}{"type":"ping"}',
    '{"type":"ping"} x',
    '\ufeff{"type":"ping"}',
    ' \n{"type":"ping","ref":"ws"}\n\t',
    '{"type":null,"ref":"t0"}',
    '{"type":["ping"],"ref":"t1"}',
    '{"type":"PING","ref":"t2"}',
    '{"type":"p\\u0069ng","ref":"escaped"}',
    '{"type":"ping","type":"subscribe","ref":"dup"}',
    '{"ref":"no-type"}',
    '{"type":"ping","ref":NaN}',
    '{"type":"ping","ref":Infinity}',
    '{"type":"ping","ref":-Infinity}',
    '{"type":"ping","ref":1e400}',
    '{"type":"ping","ref":-1e400}',
    '{"type":"ping","ref":' + "9" * 4300 + "}",
    '{"type":"ping","ref":' + "9" * 4301 + "}",
    '{"type":"ping","ref":-0}',
    '{"type":"ping","ref":1E+2}',
    '{"type":"ping","ref":true}',
    '{"type":"ping","ref":null}',
    '{"type":"ping","ref":{}}',
    '{"type":"ping","ref":"' + "r" * 200 + '"}',
    '{"type":"ping","ref":"' + "r" * 201 + '"}',
    '{"type":"ping","ref":"' + "\U0001f600" * 200 + '"}',
    '{"type":"ping","ref":"\\ud83d\\ude00"}',
    '{"type":"ping","ref":"\\u0000\\u001f\\u007f"}',
    '{"type":"ping","ref":"\\u200b\\u202e\\u0301\\u2028\\ufeff"}',
    '{"type":"ping","ref":"a\tb"}',
    '{"type":"ping","ref":"\\u12"}',
    '{"type":"ping","ref":"\\x41"}',
    '{"type":"ping","ref":"\\ud800"}',
    '{"type":"ping","ref":"\\udc00\\ud800"}',
    '{"type":"ping","ref":"ok","x":"\\udfff"}',
    '{"type":"ping","ref":"key","\\ud800":1}',
    '{"type":"\\ud800","ref":"tp"}',
    '{"type":"ping","ref":"d16","x":' + "[" * 15 + "]" * 15 + "}",
    '{"type":"ping","ref":"d17","x":' + "[" * 16 + "]" * 16 + "}",
    _deep(1000),
    "[" * 32000 + "]" * 32000,
    '{"a":' * 10000 + "1" + "}" * 10000,
]


def _frames_of_every_type(fuzz: FuzzSession) -> list[dict[str, Any]]:
    room, other = fuzz.rooms
    own = fuzz.targets.messages[0]
    foreign = fuzz.targets.messages[-1]  # lena's
    cid = next(iter(fuzz.acks))
    return [
        {"type": "subscribe", "room": room, "ref": "s"},
        {"type": "subscribe", "room": other, "since": 0, "ref": 1},
        {"type": "send", "room": room, "body": "Hallo \u200b\u202e\U0001f600", "client_id": "c-1"},
        {"type": "send", "room": room, "body": "Nochmal", "client_id": cid, "ref": 2.5},
        {"type": "send", "room": other, "body": "Antwort", "client_id": "c-2", "thread": own},
        {"type": "edit", "room": room, "message": own, "body": "ge\u0301a\u0308ndert"},
        {"type": "edit", "room": room, "message": foreign, "body": "fremd", "ref": "e"},
        {"type": "react", "room": room, "message": own, "emoji": "👨‍👩‍👧"},
        {"type": "unreact", "room": room, "message": own, "emoji": "👨‍👩‍👧"},
        {"type": "typing", "room": room, "thread": None},
        {"type": "typing", "room": room, "thread": 10**100},
        {"type": "read", "room": room, "seq": 2**64},
        {"type": "presence", "status": "idle"},
        {"type": "presence", "status": "active"},
        {"type": "delete", "room": room, "message": foreign, "ref": "d"},
        {"type": "unsubscribe", "room": other, "ref": -1},
        {"type": "unsubscribe", "room": 10**100},
        {"type": "subscribe", "room": 2**63, "ref": "big"},
        {"type": "subscribe", "room": 2**63 - 1, "since": -1},
        {"type": "subscribe", "room": room, "since": 2**64},
        {"type": "subscribe", "room": room, "since": 1.0},
        {"type": "send", "room": room, "body": "x", "client_id": "c-3", "thread": 2**64},
        {"type": "send", "room": room, "body": "\x00", "client_id": "c-4"},
        {"type": "send", "room": room, "body": " \u3000\u00a0 ", "client_id": "c-5"},
        {"type": "send", "room": room, "body": "é" * 5001, "client_id": "c-6"},
        {"type": "send", "room": room, "body": "ok", "client_id": "x" * 65},
        {"type": "react", "room": room, "message": own, "emoji": "a b"},
        {"type": "react", "room": room, "message": -1, "emoji": "👍"},
        {"type": "delete", "room": room, "message": 0},
        {"type": "edit", "room": True, "message": own, "body": "b"},
        {"type": "read", "room": room, "seq": -1},
        {"type": "read", "room": room, "seq": "3"},
        {"type": "presence", "status": "away"},
        {"type": "typing", "room": other},
    ]


def test_a_corpus_of_edge_cases_gets_protocol_answers(fuzz: FuzzSession) -> None:
    findings: list[str] = []
    for frame in _frames_of_every_type(fuzz):
        for ascii in (False, True):
            findings += fuzz.send([text_wire(json.dumps(frame, ensure_ascii=ascii))])
        for surrogate in LONE_SURROGATES:  # a lone surrogate in each field, as JSON escape
            for key in frame:
                mutated = {**frame, key: f"x{surrogate}y"}
                findings += fuzz.send([text_wire(json.dumps(mutated, ensure_ascii=True))])
        for key in frame:  # each field missing
            findings += fuzz.send(
                [text_wire(json.dumps({k: v for k, v in frame.items() if k != key}))]
            )
    for text in RAW_CORPUS:
        findings += fuzz.send([text_wire(text)])
    for data in (b"", b"\x00\x01", b'{"type":"ping","ref":1}', "ümlaut".encode("utf-16")):
        findings += fuzz.send([binary_wire(data)])
    _no_findings(fuzz, findings)


# --- hypothesis ---------------------------------------------------------------------


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(batch=batches)
def test_fuzzed_frames_get_protocol_answers(fuzz: FuzzSession, batch: list[Spec]) -> None:
    _no_findings(fuzz, fuzz.send(batch))


# --- oversized frames -----------------------------------------------------------------


def _ping_of_size(size: int, unit: str = "x", ref: str = "edge") -> str:
    head = '{"type":"ping","ref":"' + ref + '","pad":"'
    room = size - len(head.encode()) - 2
    unit_bytes = len(unit.encode())
    text = head + unit * (room // unit_bytes) + "x" * (room % unit_bytes) + '"}'
    assert len(text.encode()) == size
    return text


def test_frames_over_64_kib_close_with_1009(fuzz: FuzzSession) -> None:
    room = fuzz.rooms[0]
    subscribe = text_wire(json.dumps({"type": "subscribe", "room": room, "ref": "before"}))
    ping = text_wire('{"type":"ping","ref":1}')
    send = text_wire(
        json.dumps(
            {"type": "send", "room": room, "body": "kurz davor", "client_id": str(uuid.uuid4())}
        )
    )
    too_big = text_wire("x" * 70_000)
    findings: list[str] = []
    # At the limit, in ASCII and in two-byte characters: taken.
    findings += fuzz.send([text_wire(_ping_of_size(65_536))])
    findings += fuzz.send([text_wire(_ping_of_size(65_536, "é"))])
    # One byte over, far over, over in bytes but not in characters, binary: 1009.
    findings += fuzz.send([text_wire(_ping_of_size(65_537))])
    findings += fuzz.send([text_wire(_ping_of_size(65_537, "é"))])
    findings += fuzz.send([text_wire("\U0001f600" * 20_000)])
    findings += fuzz.send([text_wire(json.dumps({"type": "ping", "x": "y" * 300_000}))])
    findings += fuzz.send([binary_wire(b"\x00" * 70_000)])
    # A valid frame (or several) just before an oversized one: its answer crosses the close.
    for _ in range(10):
        findings += fuzz.send([subscribe, ping, too_big])
        findings += fuzz.send([send, too_big])
    _no_findings(fuzz, findings)
    _no_new_trace(fuzz, 1.0)


def test_a_client_that_keeps_sending_after_an_oversized_frame_gets_1009(
    fuzz: FuzzSession,
) -> None:
    """A client does not know it is being closed: frames it sends after the oversized
    one are still on their way when the close is. The 1009 must reach it all the same
    (a server that closes its socket with unread data in it makes the kernel answer
    with a reset, which destroys the close frame before the client reads it)."""
    findings: list[str] = []
    for size in (65_537, 70_000, 300_000):
        for _ in range(4):
            big = text_wire(_ping_of_size(size))
            findings += fuzz.send([big, text_wire('{"type":"ping","ref":"after"}')], True)
    _no_findings(fuzz, findings)
    _no_new_trace(fuzz, 1.0)


def test_a_fragmented_message_counts_as_a_whole(fuzz: FuzzSession) -> None:
    """64 KiB is the limit of a message, however it is split into frames."""

    async def fragmented(parts: list[str]) -> tuple[Any, int | None]:
        await fuzz.ws.send(parts)
        try:
            raw = await asyncio.wait_for(fuzz.ws.recv(), ANSWER_TIMEOUT)
        except websockets.ConnectionClosed as closed:
            fuzz.ws, _hello = await fuzz._connect("jonas")
            return None, closed.rcvd.code if closed.rcvd is not None else None
        return json.loads(raw), None

    answer, closed = fuzz.run(fragmented(['{"type":"ping",', '"ref":"frag"}']))
    assert closed is None and answer == {"type": "pong", "ref": "frag"}, (answer, closed)
    answer, closed = fuzz.run(
        fragmented(['{"type":"ping","x":"' + "x" * 40_000, "y" * 40_000 + '"}'])
    )
    assert closed == CLOSE_TOO_BIG, (answer, closed)
    _no_new_trace(fuzz)


def test_invalid_utf8_in_a_text_frame_fails_the_connection(fuzz: FuzzSession) -> None:
    """RFC 6455 (8.1): a text frame that is not UTF-8 fails the connection, with 1007.
    (Not in docs/protocol.md's table of close codes: it is the websocket's own rule.)"""

    async def invalid_utf8() -> int | None:
        await fuzz.ws.send(b'{"type":"ping","ref":"\xff\xfe"}', text=True)
        try:
            raw = await asyncio.wait_for(fuzz.ws.recv(), ANSWER_TIMEOUT)
        except websockets.ConnectionClosed as closed:
            fuzz.ws, _hello = await fuzz._connect("jonas")
            return closed.rcvd.code if closed.rcvd is not None else None
        raise AssertionError(f"answered instead of closing: {raw!r}")

    assert fuzz.run(invalid_utf8()) == 1007
    _no_new_trace(fuzz)


# --- at the end: the server's side ------------------------------------------------------


def test_the_server_log_has_no_trace(fuzz: FuzzSession, capsys: pytest.CaptureFixture[str]) -> None:
    fuzz.run(asyncio.sleep(1.0))  # what the server does after the last close is logged too
    with capsys.disabled():
        print(f"\n{fuzz.summary()}")
    leftover = fuzz.findings + fuzz.observer_findings
    assert not leftover, "\n\n".join(leftover)
    problems = fuzz.new_log_problems()
    assert not problems, "\n".join(problems)
    everything = fuzz.deployment.logs()
    assert "Traceback" not in everything, everything[-5000:]
    assert "Exception" not in everything, everything[-5000:]
