"""The one websocket consumer: parses frames, calls services, sends frames (PROTOCOL.md).

Thin by design: every rule lives in the services (via rooms/realtime.py), every
broadcast in rooms/broadcast.py, the per-process fan-out in rooms/fanout.py.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

from channels.consumer import get_handler_name
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from django.db import DatabaseError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.selectors import public_user, user_language
from collab.errors import DomainError
from collab.websocket import SHARED_FRAMES, SharedText
from presence.conf import presence_setting
from presence.services import get_keeper
from rooms import frames, realtime
from rooms.fanout import Event, get_hub

logger = logging.getLogger(__name__)

CLOSE_UNAUTHENTICATED = 4401
CLOSE_FLOODING = 4429
# A client told `rate_limited` this often within FLOOD_WINDOW_SECONDS is closed.
FLOOD_REFUSALS = 10
FLOOD_WINDOW_SECONDS = 30.0
PROTOCOL_VERSION = 1


@dataclass
class Subscription:
    """One room on this connection. While `pending` (its `subscribed` is not sent yet)
    live events and presence/typing frames (which have no seq) wait in `buffer`;
    `paused` (replay had `more`) drops events until the client subscribes again."""

    last_seq: int = 0
    pending: bool = True
    paused: bool = False
    buffer: list[Event | SharedText] = field(default_factory=list)

    def due(self, event: Event) -> bool:
        """Whether the connection still needs `event` (not paused, not sent yet)."""
        return not self.paused and event.seq > self.last_seq


def _field(frame: dict[str, Any], name: str, kind: type | tuple[type, ...]) -> Any:
    value = frame.get(name)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise DomainError(
            "invalid", _("Das Feld `%(name)s` fehlt oder ist falsch.") % {"name": name}
        )
    return value


class ProtocolConsumer(AsyncWebsocketConsumer):
    """One per connection; multiplexes every room the client subscribes to."""

    # No channel-layer channel per connection: the process's hub (rooms/fanout.py)
    # receives for all of them. An alias that names no layer switches Channels' own
    # per-consumer channel (and its receive loop per socket) off.
    channel_layer_alias = "none: the hub receives for this process"

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """channels' `__call__` for a consumer without a channel of its own: one plain
        receive loop. channels' `await_many_dispatch` keeps a task and its wait
        machinery per connection (~2.5 KB of an idle connection's memory)."""
        self.scope = scope
        self.channel_layer = None
        self.base_send = send
        try:
            while True:
                await self.dispatch(await receive())
        except StopConsumer:
            pass

    async def dispatch(self, message: dict[str, Any]) -> None:
        """channels' dispatch, without its `aclose_old_connections()` before every
        message: that is a round trip through the database thread per frame (a `ping`
        too), and the database calls here (collab.db.db_async) look after their
        connection themselves."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def connect(self) -> None:
        """Accept, then close with 4401 if nobody is signed in (PROTOCOL.md)."""
        await self.accept()
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.user = user
        self.user_id = user.pk
        self.connection_id = uuid.uuid4().hex
        self.subscriptions: dict[int, Subscription] = {}
        self.language = user_language(user) or "de"
        self.sees_hidden = await realtime.is_moderator_async(user)
        self.public_user = public_user(user)
        self.activity = "active"  # what the client last reported with `presence`
        self.typing_sent: dict[int, float] = {}
        self.hub = get_hub()
        self.keeper = get_keeper()
        # Under uvicorn (collab/websocket.py): writes a frame the hub built once.
        self.write_shared = self.scope.get("extensions", {}).get(SHARED_FRAMES, {}).get("write")
        await self.hub.join_user(user.pk, self)
        await self.send_frame(
            frames.hello(
                user=self.public_user, server_time=timezone.now(), protocol=PROTOCOL_VERSION
            )
        )

    def _keeps_flooding(self) -> bool:
        """Count a `rate_limited` refusal; True once the client ignored too many of them."""
        now = asyncio.get_running_loop().time()
        refusals = [t for t in getattr(self, "refusals", []) if now - t < FLOOD_WINDOW_SECONDS]
        refusals.append(now)
        self.refusals = refusals
        return len(refusals) >= FLOOD_REFUSALS

    async def disconnect(self, code: int) -> None:
        """Leave every room and the user's group on this process."""
        if not hasattr(self, "connection_id"):
            return
        for room_id in list(self.subscriptions):
            await self.hub.leave_room(room_id, self)
            await self.keeper.leave(room_id, self.connection_id)
        self.subscriptions.clear()
        await self.hub.leave_user(self.user.pk, self)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """Decode one client frame and hand it to its handler; errors become `error` frames."""
        ref = None
        with translation.override(self.language):
            try:
                frame = self._decode(text_data)
                ref = frame.get("ref")
                self._check_type(frame)
                handler = self.handlers.get(frame["type"])
                if handler is None:
                    raise DomainError("invalid", _("Unbekannter Frame-Typ."))
                await handler(self, frame, ref)
            except DomainError as error:
                await self.send_frame(frames.error(error, ref=ref))
                if error.code == "rate_limited" and self._keeps_flooding():
                    await self.close(code=CLOSE_FLOODING)
            except DatabaseError:
                logger.warning("database unavailable for %s", self.connection_id, exc_info=True)
                await self.send_frame(frames.error(_unavailable(), ref=ref))
            except Exception:
                logger.exception("frame from %s failed", self.connection_id)
                await self.send_frame(frames.error(_unavailable(), ref=ref))

    @staticmethod
    def _decode(text_data: str | None) -> dict[str, Any]:
        if text_data is None:
            raise DomainError("invalid", _("Nur JSON-Textframes sind erlaubt."))
        try:
            frame = json.loads(text_data)
        except ValueError:
            raise DomainError("invalid", _("Das ist kein gültiges JSON.")) from None
        if not isinstance(frame, dict):
            raise DomainError("invalid", _("Ein Frame muss ein JSON-Objekt sein."))
        return frame

    @staticmethod
    def _check_type(frame: dict[str, Any]) -> dict[str, Any]:
        if not isinstance(frame.get("type"), str):
            raise DomainError("invalid", _("Das Feld `type` fehlt."))
        return frame

    # --- client frames ------------------------------------------------------
    async def handle_subscribe(self, frame: dict[str, Any], ref: Any) -> None:
        room_id = _field(frame, "room", int)
        since = frame.get("since")
        if since is not None and (
            not isinstance(since, int) or isinstance(since, bool) or since < 0
        ):
            raise DomainError("invalid", _("`since` muss eine Zahl ab 0 sein."))
        resubscribe = room_id in self.subscriptions
        subscription = Subscription()
        self.subscriptions[room_id] = subscription
        try:
            await self._subscribe(room_id, since, subscription, resubscribe, ref)
        except BaseException as exc:
            # Nothing half-done stays behind: no pending subscription buffering events.
            if self.subscriptions.get(room_id) is subscription:
                del self.subscriptions[room_id]
                await self.hub.leave_room(room_id, self)
                await self.keeper.leave(room_id, self.connection_id, grace=False)
                if resubscribe and getattr(exc, "code", None) in {"forbidden", "not_found"}:
                    await self.send_frame(
                        frames.unsubscribed(room=room_id, reason="access_revoked")
                    )
            raise

    async def _subscribe(
        self,
        room_id: int,
        since: int | None,
        subscription: Subscription,
        resubscribe: bool,
        ref: Any,
    ) -> None:
        # Join the room's stream before reading the log, so no event slips between.
        stream = await self.hub.join_room(room_id, self)
        snapshot = await realtime.subscription_snapshot(
            user=self.user, room_id=room_id, since=since
        )
        if not resubscribe:
            await self.keeper.join(room_id, self.connection_id, self.public_user, self.activity)
        present = await self.keeper.snapshot(room_id)
        replay = snapshot.replay
        stream.anchor(replay.seq)
        subscription.last_seq = replay.events[-1]["seq"] if replay.more else replay.seq
        subscription.paused = replay.more
        await self.send_frame(
            frames.subscribed(
                room=room_id,
                seq=replay.seq,
                messages=replay.events,
                more=replay.more,
                reset=replay.reset,
                presence=present.presence,
                presence_counts=present.counts,
                unread=snapshot.unread,
                you=snapshot.you,
                ref=ref,
            )
        )
        while subscription.buffer:
            item = subscription.buffer.pop(0)
            if isinstance(item, Event):
                await self._send_event(subscription, item)
            else:
                await self.send_shared(item)
        subscription.pending = False
        await stream.flush()

    async def handle_unsubscribe(self, frame: dict[str, Any], ref: Any) -> None:
        await self._end_subscription(_field(frame, "room", int), "requested", ref)

    async def handle_send(self, frame: dict[str, Any], ref: Any) -> None:
        posted = await realtime.message_post(
            user=self.user,
            room_id=_field(frame, "room", int),
            body=frame.get("body"),
            client_id=frame.get("client_id"),
            thread_id=frame.get("thread"),
        )
        await self.send_frame(
            frames.ack(
                client_id=posted.message.client_id,
                message=posted.message.pk,
                seq=posted.seq,
                ref=ref,
            )
        )

    async def handle_edit(self, frame: dict[str, Any], ref: Any) -> None:
        await realtime.message_edit(
            user=self.user,
            room_id=_field(frame, "room", int),
            message_id=_field(frame, "message", int),
            body=frame.get("body"),
        )

    async def handle_delete(self, frame: dict[str, Any], ref: Any) -> None:
        await realtime.message_delete(
            user=self.user,
            room_id=_field(frame, "room", int),
            message_id=_field(frame, "message", int),
        )

    async def handle_react(self, frame: dict[str, Any], ref: Any) -> None:
        await realtime.reaction_add(
            user=self.user,
            room_id=_field(frame, "room", int),
            message_id=_field(frame, "message", int),
            emoji=frame.get("emoji"),
        )

    async def handle_unreact(self, frame: dict[str, Any], ref: Any) -> None:
        await realtime.reaction_remove(
            user=self.user,
            room_id=_field(frame, "room", int),
            message_id=_field(frame, "message", int),
            emoji=frame.get("emoji"),
        )

    async def handle_read(self, frame: dict[str, Any], ref: Any) -> None:
        await realtime.read_mark(
            user=self.user,
            room_id=_field(frame, "room", int),
            seq=frame.get("seq"),
            connection_id=self.connection_id,
        )

    async def handle_presence(self, frame: dict[str, Any], ref: Any) -> None:
        status = frame.get("status")
        if status not in ("active", "idle"):
            raise DomainError("invalid", _("`status` muss active oder idle sein."))
        self.activity = status
        await self.keeper.set_status(self.connection_id, status)

    async def handle_typing(self, frame: dict[str, Any], ref: Any) -> None:
        """Passed on to the room's other subscribers, throttled; muted users' is dropped."""
        room_id = _field(frame, "room", int)
        thread = frame.get("thread")
        if thread is not None and (not isinstance(thread, int) or isinstance(thread, bool)):
            raise DomainError("invalid", _("`thread` muss eine Zahl sein."))
        if room_id not in self.subscriptions:
            raise DomainError("invalid", _("Abonniere den Raum zuerst (subscribe)."))
        now = asyncio.get_running_loop().time()
        if now - self.typing_sent.get(room_id, -1e9) < presence_setting("TYPING_THROTTLE_SECONDS"):
            return
        self.typing_sent[room_id] = now
        if await realtime.is_muted(user=self.user, room_id=room_id):
            return
        await self.keeper.typing(room_id, self.public_user, thread)

    async def handle_ping(self, frame: dict[str, Any], ref: Any) -> None:
        await self.send_frame(frames.pong(ref=ref))

    handlers = {
        "subscribe": handle_subscribe,
        "unsubscribe": handle_unsubscribe,
        "send": handle_send,
        "edit": handle_edit,
        "delete": handle_delete,
        "react": handle_react,
        "unreact": handle_unreact,
        "read": handle_read,
        "presence": handle_presence,
        "typing": handle_typing,
        "ping": handle_ping,
    }

    # --- deliveries from the hub (rooms/fanout.py) ---------------------------
    def write_room_event(self, room_id: int, event: Event) -> bool:
        """Deliver one room event without waiting, where that is possible: True when
        done (written, kept for after `subscribed`, or not for this connection), False
        when only the awaited `send_room_event` can send it. The hub calls this for
        every subscriber: no coroutine per delivery on the common path."""
        subscription = self.subscriptions.get(room_id)
        if subscription is None:
            return True
        if subscription.pending:
            subscription.buffer.append(event)
            return True
        if not subscription.due(event):
            return True
        if self.write_shared is None or not self.write_shared(self._audience(event).frame):
            return False
        subscription.last_seq = event.seq
        return True

    async def send_room_event(self, room_id: int, event: Event) -> None:
        """The awaited way for an event that `write_room_event` could not write."""
        subscription = self.subscriptions.get(room_id)
        if subscription is not None:
            await self._send_event(subscription, event)

    async def _send_event(self, subscription: Subscription, event: Event) -> None:
        if not subscription.due(event):
            return
        subscription.last_seq = event.seq
        await self.send(text_data=self._audience(event).text)

    def _audience(self, event: Event) -> SharedText:
        """Moderators get the variant with hidden text where the event has one."""
        return (event.text_mod if self.sees_hidden else None) or event.text

    async def deliver_text(self, text: SharedText) -> None:
        await self.send_shared(text)

    async def deliver_ephemeral(
        self, room_id: int, text: SharedText, about_user: int | None
    ) -> None:
        subscription = self.subscriptions.get(room_id)
        if subscription is None:
            return
        if subscription.pending:
            # A change right after the snapshot must not be lost, but the announcement
            # of this user's own arrival is in it already (and may come late over Redis).
            if about_user != self.user_id:
                subscription.buffer.append(text)
            return
        await self.send_shared(text)

    async def control(self, action: dict[str, Any]) -> None:
        """Moderation and access changes, live (rooms.broadcast.*_control_on_commit)."""
        do = action.get("do")
        if do == "close":
            await self.close(code=int(action["code"]))
        elif do == "unsubscribe" and int(action["room"]) in self.subscriptions:
            await self._end_subscription(int(action["room"]), str(action["reason"]))
        elif do == "recheck":
            room_id = int(action["room"])
            if room_id in self.subscriptions and not await realtime.may_read_room(
                user=self.user, room_id=room_id
            ):
                await self._end_subscription(room_id, "access_revoked")
        elif do == "refresh":
            self.sees_hidden = await realtime.is_moderator_async(self.user)

    async def _end_subscription(self, room_id: int, reason: str, ref: Any = None) -> None:
        if self.subscriptions.pop(room_id, None) is not None:
            await self.hub.leave_room(room_id, self)
            # Leaving on request may be a quick tab switch; a ban or lost access is not.
            await self.keeper.leave(room_id, self.connection_id, grace=reason == "requested")
        await self.send_frame(frames.unsubscribed(room=room_id, reason=reason, ref=ref))

    async def send_shared(self, text: SharedText) -> None:
        """A frame many local sockets get: its ready bytes where the server takes them."""
        if self.write_shared is None or not self.write_shared(text.frame):
            await self.send(text_data=text.text)

    async def send_frame(self, frame: dict[str, Any]) -> None:
        await self.send(text_data=json.dumps(frame, separators=(",", ":"), ensure_ascii=False))


def _unavailable() -> DomainError:
    return DomainError(
        "unavailable",
        _("Der Server kann gerade nichts speichern. Bitte versuche es gleich noch einmal."),
    )
