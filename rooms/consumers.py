"""The one websocket consumer: parses frames, calls services, sends frames (PROTOCOL.md).

Thin by design: every rule lives in the services (via rooms/async_services.py), every
broadcast in realtime/publish.py, the per-process fan-out in realtime/hub.py.
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
from common.errors import DomainError
from presence.conf import presence_setting
from presence.services import get_keeper
from realtime.hub import Event, get_hub
from realtime.inorder import InOrder
from realtime.websocket import SHARED_FRAMES, SharedText
from rooms import async_services, frames

logger = logging.getLogger(__name__)

CLOSE_UNAUTHENTICATED = 4401
CLOSE_FLOODING = 4429
# A client told `rate_limited` this often within FLOOD_WINDOW_SECONDS is closed.
FLOOD_REFUSALS = 10
FLOOD_WINDOW_SECONDS = 30.0
# Frames waiting for a socket that does not take them (a client reading slowly). Each
# holds a reference to text shared by all recipients; beyond the limit the connection
# is dropped and the client catches up with `since` when it reconnects.
OUTBOX_LIMIT = 10_000
CLOSE_TOO_SLOW = 1013  # "try again later"; only where the server can still send it
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

    # No channel-layer channel per connection: the process's hub (realtime/hub.py)
    # receives for all of them. An alias that names no layer switches Channels' own
    # per-consumer channel (and its receive loop per socket) off.
    channel_layer_alias = "none: the hub receives for this process"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # What the socket could not take yet, in order, with its room (None: no room):
        # a frame, or the code of a close that must follow the frames before it.
        self.outbox: InOrder[tuple[int | None, SharedText | int]] = InOrder(self._send_queued)

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
        too), and the database calls here (realtime.db.db_async) look after their
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
        self.sees_hidden = await async_services.is_moderator_async(user)
        self.public_user = public_user(user)
        self.activity = "active"  # what the client last reported with `presence`
        self.typing_sent: dict[int, float] = {}
        self.hub = get_hub()
        self.keeper = get_keeper()
        # Under uvicorn (realtime/websocket.py): writes a frame the hub built once.
        shared_frames = self.scope.get("extensions", {}).get(SHARED_FRAMES, {})
        self.write_shared = shared_frames.get("write")
        self.abort = shared_frames.get("abort")
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
        self.outbox.stop()
        for room_id in list(self.subscriptions):
            await self.hub.leave_room(room_id, self)
            try:
                await self.keeper.leave(room_id, self.connection_id)
            except Exception as error:  # Redis gone: the entry expires by its TTL
                logger.warning("presence: leaving room %s failed: %r", room_id, error)
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
        self._drop_queued(room_id)  # the new `subscribed` covers them
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
        snapshot = await async_services.subscription_snapshot(
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
        for item in subscription.buffer:
            if not isinstance(item, Event):
                self._deliver(item, room_id)
            elif subscription.due(item):
                subscription.last_seq = item.seq
                self._deliver(self._audience(item), room_id)
        subscription.buffer.clear()
        subscription.pending = False
        await stream.flush()

    async def handle_unsubscribe(self, frame: dict[str, Any], ref: Any) -> None:
        await self._end_subscription(_field(frame, "room", int), "requested", ref)

    async def handle_send(self, frame: dict[str, Any], ref: Any) -> None:
        posted = await async_services.message_post(
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
        await async_services.message_edit(
            user=self.user,
            room_id=_field(frame, "room", int),
            message_id=_field(frame, "message", int),
            body=frame.get("body"),
        )

    async def handle_delete(self, frame: dict[str, Any], ref: Any) -> None:
        await async_services.message_delete(
            user=self.user,
            room_id=_field(frame, "room", int),
            message_id=_field(frame, "message", int),
        )

    async def handle_react(self, frame: dict[str, Any], ref: Any) -> None:
        await async_services.reaction_add(
            user=self.user,
            room_id=_field(frame, "room", int),
            message_id=_field(frame, "message", int),
            emoji=frame.get("emoji"),
        )

    async def handle_unreact(self, frame: dict[str, Any], ref: Any) -> None:
        await async_services.reaction_remove(
            user=self.user,
            room_id=_field(frame, "room", int),
            message_id=_field(frame, "message", int),
            emoji=frame.get("emoji"),
        )

    async def handle_read(self, frame: dict[str, Any], ref: Any) -> None:
        await async_services.read_mark(
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
        if await async_services.is_muted(user=self.user, room_id=room_id):
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

    # --- deliveries from the hub (realtime/hub.py) ---------------------------
    # None of these waits: the hub hands every local subscriber its frame in one pass,
    # and a socket that cannot take it now must not hold up the room for the others.
    def deliver_room_event(self, room_id: int, event: Event) -> None:
        subscription = self.subscriptions.get(room_id)
        if subscription is None:
            return
        if subscription.pending:
            subscription.buffer.append(event)
        elif subscription.due(event):
            subscription.last_seq = event.seq
            self._deliver(self._audience(event), room_id)

    def _audience(self, event: Event) -> SharedText:
        """Moderators get the variant with hidden text where the event has one."""
        return (event.text_mod if self.sees_hidden else None) or event.text

    def deliver_text(self, text: SharedText) -> None:
        self._deliver(text, None)

    def deliver_ephemeral(self, room_id: int, text: SharedText, about_user: int | None) -> None:
        subscription = self.subscriptions.get(room_id)
        if subscription is None:
            return
        if subscription.pending:
            # A change right after the snapshot must not be lost, but the announcement
            # of this user's own arrival is in it already (and may come late over Redis).
            if about_user != self.user_id:
                subscription.buffer.append(text)
            return
        self._deliver(text, room_id)

    def _deliver(self, text: SharedText, room_id: int | None) -> None:
        """Write now where the socket takes it (uvicorn: the frame built once), else queue
        it behind what waits already; the outbox sends it in order (`_send_queued`)."""
        # Not while the outbox is busy, even with nothing waiting: the frame it is sending
        # may be waiting for the socket, and this one must not overtake it.
        if not self.outbox.busy and self.write_shared is not None and self.write_shared(text.frame):
            return
        if len(self.outbox) >= OUTBOX_LIMIT:
            self._drop_too_slow()
            return
        self.outbox.add((room_id, text))

    async def _send_queued(self, queued: tuple[int | None, SharedText | int]) -> None:
        """The outbox's next item: the shared frame where the socket takes it, else the
        plain send, which waits until the socket takes it (or fails once it is gone)."""
        item = queued[1]
        if isinstance(item, int):
            self.outbox.clear()
            await super().close(code=item)
        elif self.write_shared is None or not self.write_shared(item.frame):
            await self.send(text_data=item.text)

    def _drop_queued(self, room_id: int) -> None:
        self.outbox.keep_only(lambda queued: queued[0] != room_id)

    def _drop_too_slow(self) -> None:
        """OUTBOX_LIMIT frames wait: the client does not read. Under uvicorn the TCP
        connection is aborted (a close frame would wait behind what is not read);
        elsewhere it is closed with 1013. It reconnects and catches up with `since`."""
        logger.warning("%s: %s frames not taken, dropping it", self.connection_id, OUTBOX_LIMIT)
        self.outbox.clear()
        if self.abort is not None:
            self.abort()
        else:
            self.outbox.add((None, CLOSE_TOO_SLOW))

    async def control(self, action: dict[str, Any]) -> None:
        """Moderation and access changes, live (realtime.publish.*_control_on_commit)."""
        do = action.get("do")
        if do == "close":
            await self.close(code=int(action["code"]))
        elif do == "unsubscribe" and int(action["room"]) in self.subscriptions:
            await self._end_subscription(int(action["room"]), str(action["reason"]))
        elif do == "recheck":
            room_id = int(action["room"])
            if room_id in self.subscriptions and not await async_services.may_read_room(
                user=self.user, room_id=room_id
            ):
                await self._end_subscription(room_id, "access_revoked")
        elif do == "refresh":
            self.sees_hidden = await async_services.is_moderator_async(self.user)

    async def _end_subscription(self, room_id: int, reason: str, ref: Any = None) -> None:
        if self.subscriptions.pop(room_id, None) is not None:
            self._drop_queued(room_id)
            await self.hub.leave_room(room_id, self)
            # Leaving on request may be a quick tab switch; a ban or lost access is not.
            await self.keeper.leave(room_id, self.connection_id, grace=reason == "requested")
        elif reason != "requested":
            return  # another control ended it meanwhile and said so (one `unsubscribed`)
        await self.send_frame(frames.unsubscribed(room=room_id, reason=reason, ref=ref))

    async def send_frame(self, frame: dict[str, Any]) -> None:
        """A frame for this connection only (hello, replies, errors), after whatever of
        the hub's frames still waits for the socket: e.g. `unsubscribed` after the
        `moderation` frame that explains it."""
        text = json.dumps(frame, separators=(",", ":"), ensure_ascii=False)
        if self.outbox.busy:
            self.outbox.add((None, SharedText(text)))
        else:
            await self.send(text_data=text)

    async def close(self, code: int | bool | None = None, reason: str | None = None) -> None:
        """Close after the frames that still wait (a `moderation` frame before 4403)."""
        if self.outbox.busy and isinstance(code, int) and not isinstance(code, bool):
            self.outbox.add((None, code))
        else:
            await super().close(code=code, reason=reason)


def _unavailable() -> DomainError:
    return DomainError(
        "unavailable",
        _("Der Server kann gerade nichts speichern. Bitte versuche es gleich noch einmal."),
    )
