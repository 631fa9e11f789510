"""Client frames for the websocket fuzzer (tests/e2e/test_ws_fuzz.py), and a strict check
of what the server sends back, against PROTOCOL.md and docs/protocol.md.

A generated frame is a `Spec`: a description that hypothesis can draw, shrink and print.
Ids of rooms and messages that exist only once the server runs are `Pick`s, chosen from
the run's pools when the frame is rendered (`render`) into the exact bytes sent (`Wire`).
A `Wire` also says what a protocol-abiding server must answer to it alone (`Expect`).
"""

from __future__ import annotations

import copy
import json
import math
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hypothesis import strategies as st

from tests.rooms.helpers import MESSAGE_FIELDS, USER_FIELDS

MAX_FRAME_BYTES = 65_536  # PROTOCOL.md: a larger client message closes with 1009
REF_MAX = 200  # a longer string `ref` cannot be echoed: `invalid`, without ref
CLIENT_TYPES = (
    "subscribe",
    "unsubscribe",
    "send",
    "edit",
    "delete",
    "react",
    "unreact",
    "typing",
    "read",
    "presence",
    "ping",
    "watch",
    "unwatch",
)
# Client frames answered with exactly one frame carrying their `ref` (or an error).
ANSWERED = {
    "subscribe": "subscribed",
    "unsubscribe": "unsubscribed",
    "send": "ack",
    "ping": "pong",
    "watch": "watching",
    "unwatch": "unwatched",
}
# Server frames that answer the frame just received (all others come from the room or hub).
DIRECT = {"error", "ack", "subscribed", "unsubscribed", "pong", "watching", "unwatched"}

ERROR_CODES = {
    "invalid",
    "too_long",
    "not_found",
    "forbidden",
    "muted",
    "banned",
    "slow_mode",
    "rate_limited",
    "unavailable",
}
EVENT_KINDS = {
    "message.created",
    "message.edited",
    "message.deleted",
    "message.hidden",
    "message.unhidden",
    "reaction.added",
    "reaction.removed",
    "room.updated",
}
_SURROGATE = re.compile("[\ud800-\udfff]")


# --- what is sent -------------------------------------------------------------------


@dataclass(frozen=True)
class Pick:
    """A value from the run's pools (`Targets`): `pool` room, message or client_id."""

    pool: str
    index: int


@dataclass(frozen=True)
class Replay:
    """A valid frame sent earlier in the run (`Targets.history`), sent again."""

    index: int


@dataclass(frozen=True, repr=False)
class Spec:
    """One client frame. `base`: a frame (with Picks), a Replay, or None (`raw`/`binary`);
    `ops`: field mutations; `text_op`: a mutation of the JSON text; `ascii`: escape all
    non-ASCII (lone surrogates are always escaped: they have no UTF-8 form)."""

    base: dict[str, Any] | Replay | None = None
    ops: tuple[tuple[Any, ...], ...] = ()
    text_op: tuple[Any, ...] | None = None
    ascii: bool = False
    raw: str | None = None
    binary: bytes | None = None

    @property
    def valid(self) -> bool:
        return isinstance(self.base, dict) and not self.ops and self.text_op is None

    def __repr__(self) -> str:  # hypothesis prints it: short, frames can be 300 kB
        fields = ("base", "ops", "text_op", "ascii", "raw", "binary")
        shown = [f"{name}={_short(getattr(self, name))}" for name in fields]
        return f"Spec({', '.join(shown)})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # hypothesis's printer
        printer.text(repr(self))


def _short(value: Any, limit: int = 300) -> str:
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}...({len(text)} chars)"


@dataclass
class Targets:
    """What Picks choose from; grows with the run (acked messages, sent frames)."""

    rooms: list[int]
    messages: list[int]
    client_ids: list[str]
    history: list[dict[str, Any]] = field(default_factory=list)

    def pick(self, pick: Pick) -> Any:
        pools: dict[str, list[Any]] = {
            "room": self.rooms,
            "message": self.messages,
            "client_id": self.client_ids,
        }
        values = pools[pick.pool]
        return values[pick.index % len(values)]


NO_REF = object()  # the answer must carry no `ref` (an error: no key; a pong: null)
UNKNOWN = object()  # the frame is too deep to tell what the server parsed


@dataclass(frozen=True)
class Expect:
    """What a server must answer to this one frame, as far as the protocol says.

    rejected: exactly one `error` `invalid` without ref (not JSON, not an object, binary,
    a `ref` that cannot be echoed, an unknown `type`: then with the ref) and nothing else;
    kind: the frame's type when known; ref: what every direct answer echoes."""

    rejected: bool
    kind: str | None
    ref: Any


@dataclass(frozen=True)
class Wire:
    data: str | bytes
    expect: Expect
    spec: Spec | None = None

    @property
    def size(self) -> int:
        return len(self.data if isinstance(self.data, bytes) else self.data.encode())

    @property
    def oversized(self) -> bool:
        return self.size > MAX_FRAME_BYTES

    def show(self, limit: int = 400) -> str:
        shown = repr(self.data[:limit]) + ("..." if len(self.data) > limit else "")
        kind = "binary" if isinstance(self.data, bytes) else "text"
        return f"{kind} frame of {self.size} bytes: {shown}"


def has_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return _SURROGATE.search(value) is not None
    if isinstance(value, dict):
        return any(has_surrogate(k) or has_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_surrogate(v) for v in value)
    return False


def echoable(ref: Any) -> bool:
    """A `ref` the server can echo: a string of at most REF_MAX characters (no lone
    surrogate), an integer (not a bool) or a finite float."""
    if isinstance(ref, bool):
        return False
    if isinstance(ref, int):
        return True
    if isinstance(ref, float):
        return math.isfinite(ref)
    return isinstance(ref, str) and len(ref) <= REF_MAX and not has_surrogate(ref)


def _strict_json(text: str) -> Any:
    def refuse(constant: str) -> Any:
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


def expectation(data: str | bytes) -> Expect:
    if isinstance(data, bytes):
        return Expect(rejected=True, kind=None, ref=NO_REF)
    try:
        frame = _strict_json(data)
    except RecursionError:
        return Expect(rejected=True, kind=None, ref=UNKNOWN)
    except ValueError:  # not JSON (also: NaN, a number of more than 4,300 digits)
        return Expect(rejected=True, kind=None, ref=NO_REF)
    if not isinstance(frame, dict):
        return Expect(rejected=True, kind=None, ref=NO_REF)
    ref = frame.get("ref")
    if ref is not None and not echoable(ref):
        return Expect(rejected=True, kind=None, ref=NO_REF)
    kind = frame.get("type")
    known = isinstance(kind, str) and kind in CLIENT_TYPES
    return Expect(
        rejected=not known, kind=kind if known else None, ref=NO_REF if ref is None else ref
    )


def _resolve(value: Any, targets: Targets) -> Any:
    if isinstance(value, Pick):
        return targets.pick(value)
    if isinstance(value, dict):
        return {k: _resolve(v, targets) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, targets) for v in value]
    return value


def _apply(frame: dict[str, Any], op: tuple[Any, ...]) -> None:
    keys = list(frame)
    action = op[0]
    if action == "set" and keys:
        frame[keys[op[1] % len(keys)]] = op[2]
    elif action == "del" and keys:
        del frame[keys[op[1] % len(keys)]]
    elif action == "add":
        frame[op[1]] = op[2]


def _apply_text(text: str, op: tuple[Any, ...]) -> str:
    action = op[0]
    if action == "truncate":
        return text[: op[1] % max(len(text), 1)]
    if action == "insert":
        at = op[1] % (len(text) + 1)
        return text[:at] + op[2] + text[at:]
    if action == "append":
        return text + op[1]
    if action == "prefix":
        return op[1] + text
    if action == "twice":
        return text + text
    raise ValueError(op)


def render(spec: Spec, targets: Targets) -> Wire:
    """The exact bytes for `spec` now, and what must come back for them."""
    if spec.binary is not None:
        return Wire(spec.binary, expectation(spec.binary), spec)
    if spec.raw is not None:
        return Wire(spec.raw, expectation(spec.raw), spec)
    if isinstance(spec.base, Replay):
        base = (
            copy.deepcopy(targets.history[spec.base.index % len(targets.history)])
            if targets.history
            else {"type": "ping", "ref": "nothing to replay yet"}
        )
    else:
        base = _resolve(spec.base, targets)
    if not isinstance(base, dict):  # non-object JSON
        text = json.dumps(base, ensure_ascii=spec.ascii or has_surrogate(base))
        return Wire(text, expectation(text), spec)
    for op in spec.ops:
        _apply(base, op)
    text = json.dumps(base, ensure_ascii=spec.ascii or has_surrogate(base))
    if spec.text_op is not None:
        text = _apply_text(text, spec.text_op)
    if spec.valid and isinstance(spec.base, dict) and len(targets.history) < 300:
        targets.history.append(base)
    return Wire(text, expectation(text), spec)


def text_wire(text: str) -> Wire:
    return Wire(text, expectation(text))


def binary_wire(data: bytes) -> Wire:
    return Wire(data, expectation(data))


# --- strategies ---------------------------------------------------------------------

# Unicode that trips up text handling: zero-width, direction marks and overrides,
# combining marks, astral characters and ZWJ sequences, NUL and other controls, line and
# paragraph separators, BOM, non-characters, whitespace that is not ASCII, case traps.
SPECIAL_CHARS = [
    "\u200b",
    "\u200c",
    "\u200d",
    "\u200e",
    "\u200f",
    "\u202a",
    "\u202e",
    "\u2066",
    "\u2069",
    "\u0301",
    "\u0336",
    "e\u0301\u0301\u0301",
    "\U0001f600",
    "\U0001f468\u200d\U0001f469\u200d\U0001f467",
    "\U0001f1e9\U0001f1ea",
    "\U0001f44d\U0001f3fd",
    "\U0001d54f",
    "\U0010ffff",
    "\x00",
    "\x01",
    "\x07",
    "\x1b",
    "\x1f",
    "\x7f",
    "\x85",
    "\t",
    "\r\n",
    "\u00a0",
    "\u2028",
    "\u2029",
    "\u3000",
    "\ufeff",
    "\ufffd",
    "\ufffe",
    "\uffff",
    "ß",
    "İ",
    "ﬀ",
    "ǅ",
    "<",
    ">",
    "&",
    '"',
    "\\",
    "`",
    "*",
    "_",
    "[",
    "]",
    "(",
    ")",
    "#",
    "&#xD800;",
    "&#0;",
]
LONE_SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff", "\udc00\ud800"]

EDGE_NUMBERS = [
    0,
    -1,
    1,
    2**31 - 1,
    2**31,
    2**53 + 1,
    2**63 - 1,
    2**63,
    2**64,
    -(2**63),
    -(2**63) - 1,
    10**100,
    -(10**100),
    0.0,
    -0.0,
    0.5,
    1.0,
    -1.0,
    1e308,
    -1e308,
    5e-324,
    2.0**63,
    1e20,
    math.inf,
    -math.inf,
    math.nan,
]


def texts(min_size: int = 0, max_size: int = 30) -> st.SearchStrategy[str]:
    piece = st.one_of(
        st.characters(),
        st.sampled_from(SPECIAL_CHARS),
        st.sampled_from(LONE_SURROGATES),
        st.sampled_from("abcxyz 0123"),
    )
    return st.lists(piece, min_size=min_size, max_size=max_size).map("".join)


def long_texts() -> st.SearchStrategy[str]:
    """Around the limits: `ref` 200, `client_id` 64, `emoji` 32, `body` 5,000 characters;
    multi-byte characters make a frame far longer in bytes than in characters."""
    return st.builds(
        lambda unit, n: unit * n,
        st.sampled_from(["x", "é", "\U0001f600", " ", "\u200b", "a\u0301", "\u3000"]),
        st.sampled_from([31, 32, 33, 63, 64, 65, 199, 200, 201, 4999, 5000, 5001, 9000]),
    )


numbers = st.one_of(
    st.sampled_from(EDGE_NUMBERS),
    st.integers(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, texts())


def _nest(depth: int, shape: str, leaf: Any) -> Any:
    value = leaf
    for _ in range(depth):
        value = [value] if shape == "list" else {"a": value}
    return value


nested = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(texts(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
deep = st.builds(_nest, st.integers(1, 40), st.sampled_from(["list", "dict"]), scalars)
# Anything at all in place of a field: wrong types, huge and odd numbers, deep nesting.
nasty = st.one_of(scalars, nested, deep, long_texts())

rooms = st.one_of(st.builds(Pick, st.just("room"), st.integers(0, 63)), st.integers(1, 60))
messages = st.one_of(st.builds(Pick, st.just("message"), st.integers(0, 1023)), st.integers(1, 300))
valid_refs = st.one_of(
    st.text(max_size=20),
    st.integers(-(10**6), 10**6),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.uuids().map(str),
)
bodies = st.one_of(
    st.sampled_from(
        [
            "Wer hilft am Samstag?",
            "**fett** _kursiv_ ~~weg~~ `code`",
            "[Link](https://example.org) [böse](javascript:alert(1))",
            "<script>alert(1)</script><img src=x onerror=alert(1)>",
            "> Zitat\n> > tiefer\n\n- a\n  - b\n1. c",
            "```\ncode\n```",
            "&#xD800; &#0; &#x110000; &amp;",
            "> " * 2000 + "tief",
            "[" * 2500 + "]" * 2500,
            "*_" * 2500,
            "   \u3000\u00a0\u2028\n\t  ",
            "\u200b",
            "\u202egnirts desrever",
        ]
    ),
    texts(min_size=1, max_size=60),
    long_texts(),
)
client_ids = st.one_of(
    st.uuids().map(str),
    st.builds(Pick, st.just("client_id"), st.integers(0, 1023)),
    texts(min_size=1, max_size=70),
)
emojis = st.one_of(
    st.sampled_from(["👍", "🌱", "❤️", "🎉", "👨‍👩‍👧", "🇩🇪", "👍🏽", "+1", "ok"]),
    texts(min_size=1, max_size=40),
)


def _frame(kind: str, required: dict[str, Any], optional: dict[str, Any] | None = None) -> Any:
    return st.fixed_dictionaries(
        {"type": st.just(kind), **required}, optional={"ref": valid_refs, **(optional or {})}
    )


valid_frames = st.one_of(
    _frame("subscribe", {"room": rooms}, {"since": st.integers(0, 80) | st.just(2**40)}),
    _frame("unsubscribe", {"room": rooms}),
    _frame("send", {"room": rooms, "body": bodies, "client_id": client_ids}),
    _frame(
        "send",
        {"room": rooms, "body": bodies, "client_id": client_ids},
        {"thread": st.none() | messages},
    ),
    _frame("edit", {"room": rooms, "message": messages, "body": bodies}),
    _frame("delete", {"room": rooms, "message": messages}),
    _frame("react", {"room": rooms, "message": messages, "emoji": emojis}),
    _frame("unreact", {"room": rooms, "message": messages, "emoji": emojis}),
    _frame("typing", {"room": rooms}, {"thread": st.none() | messages | numbers}),
    _frame("read", {"room": rooms, "seq": st.integers(0, 100) | st.sampled_from(EDGE_NUMBERS)}),
    _frame("presence", {"status": st.sampled_from(["active", "idle"])}),
    _frame("ping", {}),
    _frame("watch", {"initiative": st.none() | st.integers(1, 8) | st.sampled_from(EDGE_NUMBERS)}),
    _frame("unwatch", {"initiative": st.none() | st.integers(1, 8)}),
)

bad_types = st.one_of(
    st.sampled_from(
        ["PING", "Ping", "ping ", " ping", "ping\x00", "pin\u0261", "", "hello", "pong", "event"]
    ),
    texts(max_size=12),
    nasty,
)
bad_refs = st.one_of(
    st.booleans(),
    st.lists(scalars, max_size=2),
    st.dictionaries(st.text(max_size=3), scalars, max_size=2),
    st.builds(lambda n: "r" * n, st.integers(201, 5000)),
    st.sampled_from([math.inf, -math.inf, math.nan, "\ud800", "a\udfffb", "\U0001f600" * 201]),
)
field_ops = st.one_of(
    st.tuples(st.just("set"), st.integers(0, 9), nasty),
    st.tuples(st.just("del"), st.integers(0, 9)),
    st.tuples(
        st.just("add"),
        st.one_of(
            texts(max_size=10),
            st.sampled_from(["__proto__", "constructor", "user", "seq", "since", "thread"]),
        ),
        nasty,
    ),
    st.tuples(st.just("add"), st.just("ref"), st.one_of(bad_refs, valid_refs, nasty)),
    st.tuples(st.just("add"), st.just("type"), bad_types),
)
text_ops = st.one_of(
    st.tuples(st.just("truncate"), st.integers(0, 400)),
    st.tuples(
        st.just("insert"),
        st.integers(0, 400),
        st.sampled_from(
            ['"', "{", "}", "[", "]", ",", ":", "\\", "\\u", "\\ud800", "\x00", "\t", "'", "\ufeff"]
        ),
    ),
    st.tuples(st.just("append"), st.sampled_from(["}", " ", "\n", ",", "x", "{}", "\x00", "]"])),
    st.tuples(st.just("prefix"), st.sampled_from(["\ufeff", " \n\t", "\u00a0", "[", "//"])),
    st.tuples(st.just("twice")),
)


def _spec(base: Any, ops: Any = (), text_op: Any = None, ascii: bool = False) -> Spec:
    return Spec(base=base, ops=tuple(ops), text_op=text_op, ascii=ascii)


valid_specs = st.builds(_spec, valid_frames, ascii=st.booleans())
mutated_specs = st.builds(
    _spec, valid_frames, st.lists(field_ops, min_size=1, max_size=3), ascii=st.booleans()
)
text_mutated_specs = st.builds(
    _spec, valid_frames, st.lists(field_ops, max_size=1), text_ops, st.booleans()
)
replayed_specs = st.builds(
    _spec,
    st.builds(Replay, st.integers(0, 299)),
    st.lists(field_ops, max_size=2),
    ascii=st.booleans(),
)
non_objects = st.builds(_spec, nasty.filter(lambda v: not isinstance(v, dict)))
binary_specs = st.builds(
    lambda data: Spec(binary=data),
    st.one_of(st.binary(max_size=64), st.sampled_from([b"", b'{"type":"ping","ref":1}'])),
)


def _large(unit: str, n: int, binary: bool) -> Spec:
    if binary:
        return Spec(binary=(unit * n).encode())
    return Spec(raw='{"type":"ping","ref":"large","x":"' + unit * n + '"}')


# Large frames, around and over 64 KiB (in bytes, not characters): over it, 1009.
large_specs = st.builds(
    _large,
    st.sampled_from(["x", "é", "\U0001f600"]),
    st.sampled_from([16_370, 16_390, 21_000, 32_750, 33_000, 65_500, 70_000]),
    st.booleans(),
)

# One client frame, every kind weighted by how much it should be tried.
client_frames = st.one_of(
    valid_specs,
    valid_specs,
    mutated_specs,
    mutated_specs,
    mutated_specs,
    text_mutated_specs,
    replayed_specs,
    non_objects,
    binary_specs,
    large_specs,
)
# What one example sends back to back before waiting for the answers.
batches = st.one_of(
    client_frames.map(lambda spec: [spec]),
    client_frames.map(lambda spec: [spec]),
    st.lists(client_frames, min_size=2, max_size=4),
)


# --- what comes back ----------------------------------------------------------------


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return _is_int(value) or (isinstance(value, float) and math.isfinite(value))


def _iso(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def need(self, ok: bool, what: str) -> None:
        if not ok:
            self.items.append(what)

    def user(self, value: Any, where: str) -> None:
        self.need(
            isinstance(value, dict)
            and set(value) == USER_FIELDS
            and _is_int(value["id"])
            and isinstance(value["username"], str)
            and isinstance(value["display_name"], str),
            f"{where} is not a user object {{id, username, display_name}}",
        )

    def event_data(self, kind: Any, data: Any, where: str) -> None:
        self.need(kind in EVENT_KINDS, f"{where}.event {kind!r} is no protocol event")
        if not isinstance(data, dict):
            self.items.append(f"{where}.data is not an object")
            return
        if kind == "room.updated":
            return
        missing = MESSAGE_FIELDS - set(data)
        self.need(not missing, f"{where}.data lacks {sorted(missing)}")
        if missing:
            return
        self.need(_is_int(data["id"]) and _is_int(data["room"]), f"{where}.data ids")
        self.need(data["thread"] is None or _is_int(data["thread"]), f"{where}.data.thread")
        self.user(data["author"], f"{where}.data.author")
        for key in ("body", "html"):
            self.need(data[key] is None or isinstance(data[key], str), f"{where}.data.{key}")
        self.need(_iso(data["created_at"]), f"{where}.data.created_at")
        self.need(data["edited_at"] is None or _iso(data["edited_at"]), f"{where}.data.edited_at")
        for key in ("hidden", "deleted"):
            self.need(isinstance(data[key], bool), f"{where}.data.{key}")
        self.need(
            isinstance(data["reactions"], dict)
            and all(isinstance(k, str) and _is_int(v) for k, v in data["reactions"].items()),
            f"{where}.data.reactions",
        )
        self.need(_is_int(data["reply_count"]), f"{where}.data.reply_count")
        self.need(isinstance(data["client_id"], str), f"{where}.data.client_id")


def frame_problems(frame: Any) -> list[str]:
    """Why `frame` (parsed JSON) is not a valid server frame; [] if it is."""
    p = _Problems()
    if not isinstance(frame, dict):
        return [f"not a JSON object: {frame!r:.200}"]
    kind = frame.get("type")
    if "ref" in frame and kind != "pong":
        p.need(
            isinstance(frame["ref"], str) or _is_number(frame["ref"]),
            f"ref {frame['ref']!r} is neither a string nor a number",
        )
    if kind == "hello":
        p.user(frame.get("user"), "hello.user")
        p.need(_iso(frame.get("server_time")), "hello.server_time is not ISO-8601")
        p.need(frame.get("protocol") == 1, "hello.protocol is not 1")
    elif kind == "subscribed":
        p.need(_is_int(frame.get("room")), "subscribed.room")
        p.need(_is_int(frame.get("seq")) and frame["seq"] >= 0, "subscribed.seq")
        items = frame.get("messages")
        p.need(isinstance(items, list), "subscribed.messages is not a list")
        for i, item in enumerate(items if isinstance(items, list) else []):
            where = f"subscribed.messages[{i}]"
            if not isinstance(item, dict):
                p.items.append(f"{where} is not an object")
                continue
            p.need(_is_int(item.get("seq")) and item["seq"] >= 1, f"{where}.seq")
            p.event_data(item.get("event"), item.get("data"), where)
        for key in ("more", "reset"):
            p.need(isinstance(frame.get(key), bool), f"subscribed.{key} is not a bool")
        presence = frame.get("presence")
        p.need(isinstance(presence, list), "subscribed.presence is not a list")
        for i, entry in enumerate(presence if isinstance(presence, list) else []):
            p.need(isinstance(entry, dict), f"subscribed.presence[{i}] is not an object")
            if isinstance(entry, dict):
                p.user(entry.get("user"), f"subscribed.presence[{i}].user")
                p.need(entry.get("status") in ("online", "idle"), "subscribed.presence status")
        if "presence_counts" in frame:
            counts = frame["presence_counts"]
            p.need(
                isinstance(counts, dict)
                and all(_is_int(counts.get(k)) for k in ("online", "idle")),
                "subscribed.presence_counts",
            )
        p.need(_is_int(frame.get("unread")) and frame["unread"] >= 0, "subscribed.unread")
        you = frame.get("you")
        p.need(
            isinstance(you, dict)
            and you.get("role") in ("moderator", "lead", "member", None)
            and isinstance(you.get("muted"), bool)
            and (you.get("muted_until") is None or _iso(you.get("muted_until")))
            and isinstance(you.get("can_post"), bool),
            f"subscribed.you {you!r}",
        )
    elif kind == "event":
        p.need(_is_int(frame.get("room")), "event.room")
        p.need(_is_int(frame.get("seq")) and frame["seq"] >= 1, "event.seq")
        p.event_data(frame.get("event"), frame.get("data"), "event")
    elif kind == "ack":
        p.need(isinstance(frame.get("client_id"), str), "ack.client_id")
        p.need(_is_int(frame.get("message")), "ack.message")
        p.need(_is_int(frame.get("seq")) and frame["seq"] >= 1, "ack.seq")
    elif kind == "typing":
        p.need(_is_int(frame.get("room")), "typing.room")
        p.need(
            "thread" in frame and (frame["thread"] is None or _is_int(frame["thread"])),
            "typing.thread",
        )
        p.user(frame.get("user"), "typing.user")
    elif kind == "presence":
        p.need(_is_int(frame.get("room")), "presence.room")
        if "counts" in frame:
            counts = frame["counts"]
            p.need(
                isinstance(counts, dict)
                and all(_is_int(counts.get(k)) for k in ("online", "idle")),
                "presence.counts",
            )
        else:
            p.user(frame.get("user"), "presence.user")
            p.need(frame.get("status") in ("online", "idle", "offline"), "presence.status")
    elif kind == "read":
        p.need(_is_int(frame.get("room")), "read.room")
        p.need(_is_int(frame.get("seq")) and frame["seq"] >= 0, "read.seq")
    elif kind == "moderation":
        p.need(
            frame.get("action") in ("muted", "unmuted", "banned", "unbanned"), "moderation.action"
        )
        scope = frame.get("scope")
        p.need(
            scope == "global"
            or (
                isinstance(scope, dict)
                and len(scope) == 1
                and _is_int(scope.get("room", scope.get("initiative")))
            ),
            "moderation.scope",
        )
        p.need(frame.get("until") is None or _iso(frame.get("until")), "moderation.until")
        p.need(isinstance(frame.get("reason"), str), "moderation.reason")
    elif kind == "unsubscribed":
        p.need(_is_int(frame.get("room")), "unsubscribed.room")
        p.need(
            frame.get("reason") in ("requested", "banned", "room_closed", "access_revoked"),
            f"unsubscribed.reason {frame.get('reason')!r}",
        )
    elif kind == "error":
        code = frame.get("code")
        p.need(code in ERROR_CODES, f"error.code {code!r} is not one of the protocol's")
        p.need(
            code != "unavailable", "error `unavailable` from a healthy server: an input broke it"
        )
        detail = frame.get("detail")
        p.need(isinstance(detail, str) and detail.strip() != "", "error.detail is not a sentence")
        if "retry_after" in frame:
            p.need(
                _is_number(frame["retry_after"]) and frame["retry_after"] >= 0, "error.retry_after"
            )
    elif kind == "notification":
        p.need(_is_int(frame.get("id")), "notification.id")
        p.need(
            frame.get("kind") in ("mention", "reply", "moderation", "waitlist", "appeal", "follow"),
            "notification.kind",
        )
        p.need(isinstance(frame.get("text"), str), "notification.text")
        p.need(isinstance(frame.get("url"), str), "notification.url")
        p.need(_iso(frame.get("created_at")), "notification.created_at")
    elif kind in ("watching", "unwatched", "seats"):
        initiative = frame.get("initiative")
        p.need(initiative is None or _is_int(initiative), f"{kind}.initiative")
        counters = frame.get("counters", []) if kind != "seats" else [frame.get("counter")]
        p.need(isinstance(counters, list), f"{kind}.counters")
        for counter in counters if isinstance(counters, list) else []:
            p.need(
                isinstance(counter, dict)
                and counter.get("kind") in ("event", "shift")
                and all(_is_int(counter.get(k)) for k in ("id", "going", "waitlist", "version")),
                f"{kind} counter {counter!r}",
            )
    elif kind == "pong":
        p.need("ref" in frame, "pong without `ref`")
        ref = frame.get("ref")
        p.need(ref is None or isinstance(ref, str) or _is_number(ref), f"pong.ref {ref!r}")
    else:
        p.items.append(f"unknown frame type {kind!r}")
    return p.items


def parse_server_frame(raw: str | bytes) -> tuple[Any, list[str]]:
    """The server's frame, parsed, and what is wrong with it."""
    if isinstance(raw, bytes):
        return None, [f"a binary frame from the server: {raw[:100]!r}"]
    try:
        frame = _strict_json(raw)
    except (ValueError, RecursionError) as exc:
        return None, [f"not JSON ({exc}): {raw[:200]!r}"]
    return frame, frame_problems(frame)
