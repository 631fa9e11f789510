"""What travels through the channel layer, typed, and the groups it travels to.

Two kinds of things are published (realtime/publish.py) and dispatched by every
worker's hub (realtime/hub.py):

- Frames, encoded once by the publisher: a room's logged event (both audiences'
  text), a frame for one user's connections, a room's typing or presence notice.
- Controls: what a user's connections, or a room's subscribers, must do now that
  something changed (a ban, lost access, a new role). Apps name them with the
  dataclasses below; the connection (rooms/consumers.py) carries them out.

The channel layer carries plain dicts (msgpack on Redis); they are built and read
here only, so their keys live in one place.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Literal, TypedDict

# --- close codes (PROTOCOL.md, Errors) ------------------------------------------------

CLOSE_UNAUTHENTICATED = 4401  # nobody could be identified at the handshake
CLOSE_BLOCKED = 4403  # banned site-wide, or the account deactivated, while connected
CLOSE_FLOODING = 4429  # kept sending after `rate_limited`
CLOSE_TOO_SLOW = 1013  # "try again later": the client does not read what it is sent

# --- controls ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Close:
    """Close every connection of the user with `code` (CLOSE_BLOCKED), after the frames
    that wait for each socket."""

    code: int


@dataclass(frozen=True, slots=True)
class Unsubscribe:
    """End the subscription of `room` with an `unsubscribed` frame giving `reason`."""

    room: int
    reason: Literal["banned", "room_closed", "access_revoked"]


@dataclass(frozen=True, slots=True)
class Recheck:
    """Ask again whether the user may still read `room`; if not, end the subscription
    (`access_revoked`)."""

    room: int


@dataclass(frozen=True, slots=True)
class RefreshRole:
    """Read again whether the user is a moderator: moderators see hidden text in events."""


Control = Close | Unsubscribe | Recheck | RefreshRole


def control_data(control: Control) -> dict[str, Any]:
    """A control as the channel layer carries it."""
    if isinstance(control, Close):
        return {"do": "close", "code": control.code}
    if isinstance(control, Unsubscribe):
        return {"do": "unsubscribe", "room": control.room, "reason": control.reason}
    if isinstance(control, Recheck):
        return {"do": "recheck", "room": control.room}
    return {"do": "refresh_role"}


def control_of(data: dict[str, Any], *, room: int | None = None) -> Control:
    """The control a channel-layer message carries (the inverse of `control_data`);
    `room`: the room a room control was sent to.

    During a rolling update, workers of the release before this one still send the
    shapes they knew (a room's recheck without its room, `refresh`); they are read as
    what they meant."""
    do = data.get("do")
    if do == "close":
        return Close(code=int(data["code"]))
    if do == "unsubscribe":
        return Unsubscribe(room=int(data["room"]), reason=data["reason"])
    recheck_room = data.get("room", room)
    if do == "recheck" and recheck_room is not None:
        return Recheck(room=int(recheck_room))
    if do in ("refresh_role", "refresh"):
        return RefreshRole()
    raise ValueError(f"unknown control {data!r}")


# --- channel-layer messages ----------------------------------------------------------


class RoomEventMessage(TypedDict):
    """One logged room event, encoded for both audiences (`text_mod`: what moderators
    see where it differs, e.g. a hidden message's text; else None)."""

    type: Literal["room.event"]
    room: int
    seq: int
    text: str
    text_mod: str | None


# `except` is a keyword: the functional form.
UserFrameMessage = TypedDict(
    "UserFrameMessage",
    {"type": Literal["user.frame"], "user": int, "text": str, "except": str | None},
)


class UserControlMessage(TypedDict):
    type: Literal["user.control"]
    user: int
    action: dict[str, Any]


class RoomControlMessage(TypedDict):
    type: Literal["room.control"]
    room: int
    action: dict[str, Any]


class RoomEphemeralMessage(TypedDict):
    """Typing and presence: not logged, no seq. `except_user` does not get it;
    `about_user` is whom a presence frame is about."""

    type: Literal["room.ephemeral"]
    room: int
    text: str
    except_user: int | None
    about_user: int | None


class TopicFrameMessage(TypedDict):
    """A frame for every connection watching a topic (an initiative's seat counters,
    events/live.py): not logged, no seq; the frame itself says how to order it."""

    type: Literal["topic.frame"]
    topic: str
    text: str


Message = (
    RoomEventMessage
    | UserFrameMessage
    | UserControlMessage
    | RoomControlMessage
    | RoomEphemeralMessage
    | TopicFrameMessage
)


def encode(frame: dict[str, Any]) -> str:
    """A frame as the JSON text every recipient gets (compact, UTF-8 as is)."""
    return json.dumps(frame, separators=(",", ":"), ensure_ascii=False)


def room_event(
    *, room_id: int, seq: int, kind: str, data: Any, moderator_data: Any = None
) -> RoomEventMessage:
    """The message for one logged room event: the protocol's `event` frame, in both
    audiences' text."""
    frame = {"type": "event", "room": room_id, "seq": seq, "event": kind, "data": data}
    text_mod = None
    if moderator_data is not None:
        text_mod = encode({**frame, "data": moderator_data})
    return {
        "type": "room.event",
        "room": room_id,
        "seq": seq,
        "text": encode(frame),
        "text_mod": text_mod,
    }


def user_frame(
    *, user_id: int, frame: dict[str, Any], except_connection: str | None = None
) -> UserFrameMessage:
    return {
        "type": "user.frame",
        "user": user_id,
        "text": encode(frame),
        "except": except_connection,
    }


def user_control(*, user_id: int, control: Control) -> UserControlMessage:
    return {"type": "user.control", "user": user_id, "action": control_data(control)}


def room_control(*, room_id: int, control: Control) -> RoomControlMessage:
    return {"type": "room.control", "room": room_id, "action": control_data(control)}


def topic_frame(*, topic: str, frame: dict[str, Any]) -> TopicFrameMessage:
    return {"type": "topic.frame", "topic": topic, "text": encode(frame)}


def room_ephemeral(
    *,
    room_id: int,
    frame: dict[str, Any],
    except_user: int | None = None,
    about_user: int | None = None,
) -> RoomEphemeralMessage:
    return {
        "type": "room.ephemeral",
        "room": room_id,
        "text": encode(frame),
        "except_user": except_user,
        "about_user": about_user,
    }


# --- groups ------------------------------------------------------------------------
# Channel-layer group names allow [a-zA-Z0-9-_.] and fewer than 100 characters: ids
# are database ids (at most 19 digits), so these stay far below.


def group_for_room(room_id: int) -> str:
    return f"room.{int(room_id)}"


def group_for_user(user_id: int) -> str:
    return f"user.{int(user_id)}"


_TOPIC = re.compile(r"[a-z0-9._-]{1,80}")


def group_for_topic(topic: str) -> str:
    """`topic` is a name the server makes (`seats.12`, `seats.city`), never client text."""
    if not _TOPIC.fullmatch(topic):
        raise ValueError(f"not a topic name: {topic!r}")
    return f"topic.{topic}"
