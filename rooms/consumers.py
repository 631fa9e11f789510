"""The websocket protocol (PROTOCOL.md, docs/protocol.md): one consumer per connection,
multiplexing every room the client subscribes to.

A client frame is parsed here, handed to one service (rooms/async_services.py) or to
the presence keeper, and its result or domain error becomes a frame. How frames
reach the socket (outbox, back-pressure, flood control) is realtime/connection.py;
what a subscription still needs of the room's events is rooms/subscriptions.py.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.selectors import public_user, user_language
from common.errors import DomainError
from common.outages import log_failure
from common.validation import clean_id, clean_int, clean_optional_id
from presence.conf import presence_setting
from realtime.messages import (
    CLOSE_FLOODING,
    CLOSE_UNAUTHENTICATED,
    Close,
    Control,
    Recheck,
    RefreshRole,
    Unsubscribe,
)
from rooms import async_services, frames, watching
from rooms.subscriptions import SubscribingConnection

logger = logging.getLogger(__name__)

PROTOCOL_VERSION = 1
SEEN_EVERY = 240.0  # seconds; a page pings every 25 s, so an open one is seen in time


class ProtocolConsumer(SubscribingConnection):
    """One per connection; its state is set up in `__init__` here and in its bases
    (rooms/subscriptions.py, realtime/connection.py), and filled at `connect`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.language = "de"  # the user's: error details and the like
        self.typing_sent: dict[int, float] = {}  # room -> when a notice was passed on
        self.watched: set[str] = set()  # topics of `watch` (rooms/watching.py)
        self.seen_at = 0.0  # when the profile last heard this connection is open

    async def connect(self) -> None:
        """Accept, then close with 4401 if nobody is signed in (PROTOCOL.md)."""
        await self.accept()
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.user, self.user_id = user, user.pk
        self.public_user = public_user(user)
        self.language = user_language(user) or "de"
        self.sees_hidden = await async_services.sees_hidden_content(user)
        await self.hub.join_user(user.pk, self)
        await self.send_frame(
            frames.hello(
                user=self.public_user,
                server_time=timezone.now(),
                protocol=PROTOCOL_VERSION,
                unread_notifications=await async_services.unread_notifications(user),
            )
        )
        await self.mark_seen()

    async def mark_seen(self) -> None:
        """`Profile.last_seen_at`, at most every SEEN_EVERY: a mail about a mention waits
        until its reader has had no open connection for 10 minutes (docs/notifications.md).
        Not being able to write it loses nothing but a mail's timing."""
        self.seen_at = asyncio.get_running_loop().time()
        try:
            await async_services.seen(user_id=self.user_id)
        except Exception as error:
            logger.warning("last seen of user %s not stored: %r", self.user_id, error)

    async def disconnect(self, code: int) -> None:
        """Leave every room and the user's group on this process."""
        if self.user is None:
            return
        self.outbox.stop()
        for room_id in list(self.subscriptions):
            await self.hub.leave_room(room_id, self)
            try:
                await self.keeper.leave(room_id, self.connection_id)
            except Exception as error:  # Redis gone: the entry expires by its TTL
                logger.warning("presence: leaving room %s failed: %r", room_id, error)
        self.subscriptions.clear()
        for topic in list(self.watched):
            await self.hub.leave_topic(topic, self)
        self.watched.clear()
        await self.hub.leave_user(self.user_id, self)
        await self.mark_seen()

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """Parse one client frame and hand it to its handler; errors become `error` frames."""
        ref = None
        with translation.override(self.language):
            try:
                frame = frames.parse(text_data)
                ref = frames.ref_of(frame)
                frames.check(frame, text_data or "")
                handler = self.handlers.get(frames.kind_of(frame))
                if handler is None:
                    raise DomainError("invalid", _("Unbekannter Frame-Typ."))
                await handler(self, frame, ref)
                if asyncio.get_running_loop().time() - self.seen_at > SEEN_EVERY:
                    await self.mark_seen()
            except DomainError as error:
                await self.send_frame(frames.error(error, ref=ref))
                if error.code == "rate_limited" and self.refused_too_often():
                    await self.close(code=CLOSE_FLOODING)
            except Exception:  # an outage (one line) or a bug (its traceback): `unavailable`
                log_failure(logger, "frame from %s failed", self.connection_id)
                await self.send_frame(frames.error(frames.unavailable(), ref=ref))

    # --- client frames ------------------------------------------------------
    # Each handler checks the shape of what it needs here; the service it calls checks
    # the rest, in the order docs/protocol.md gives. A subscribe's room is checked to be
    # a possible id first: the room's stream is joined before the room is looked up.
    async def handle_subscribe(self, frame: dict[str, Any], ref: Any) -> None:
        room_id = clean_id(frame.get("room"), field="room")
        since = frame.get("since")
        since = None if since is None else clean_int(since, field="since", minimum=0)
        await self.subscribe(room_id, since, ref)

    async def handle_unsubscribe(self, frame: dict[str, Any], ref: Any) -> None:
        # Always answered with `unsubscribed`, for any room number (docs/protocol.md).
        await self.end_subscription(_room(frame), "requested", ref)

    async def handle_send(self, frame: dict[str, Any], ref: Any) -> None:
        posted = await async_services.message_post(
            user=self.user,
            room_id=_room(frame),
            body=frame.get("body"),
            client_id=frame.get("client_id"),
            thread_id=frame.get("thread"),
        )
        message = posted.message
        await self.send_frame(
            frames.ack(
                client_id=message.client_id,
                message=message.pk,
                seq=posted.seq,
                mentions=posted.mentions.as_frame() if posted.mentions else None,
                ref=ref,
            )
        )

    async def handle_edit(self, frame: dict[str, Any], ref: Any) -> None:
        await async_services.message_edit(
            user=self.user, **_room_and_message(frame), body=frame.get("body")
        )

    async def handle_delete(self, frame: dict[str, Any], ref: Any) -> None:
        await async_services.message_delete(user=self.user, **_room_and_message(frame))

    async def handle_react(self, frame: dict[str, Any], ref: Any) -> None:
        await async_services.reaction_add(
            user=self.user, **_room_and_message(frame), emoji=frame.get("emoji")
        )

    async def handle_unreact(self, frame: dict[str, Any], ref: Any) -> None:
        await async_services.reaction_remove(
            user=self.user, **_room_and_message(frame), emoji=frame.get("emoji")
        )

    async def handle_read(self, frame: dict[str, Any], ref: Any) -> None:
        await async_services.read_mark(
            user=self.user,
            room_id=_room(frame),
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
        room_id = _room(frame)
        thread = frame.get("thread")
        if thread is not None:
            thread = clean_int(thread, field="thread")
        if room_id not in self.subscriptions:
            raise DomainError("invalid", _("Abonniere den Raum zuerst (subscribe)."))
        now = asyncio.get_running_loop().time()
        if now - self.typing_sent.get(room_id, -1e9) < presence_setting("TYPING_THROTTLE_SECONDS"):
            return
        self.typing_sent[room_id] = now
        if await async_services.is_muted(user=self.user, room_id=room_id):
            return
        assert self.public_user is not None
        await self.keeper.typing(room_id, self.public_user, thread)

    async def handle_watch(self, frame: dict[str, Any], ref: Any) -> None:
        """The live seat counters of an initiative (`null`: the city-wide events): the
        topic is joined first, then the snapshot read, so no change slips between."""
        initiative = _initiative(frame)
        topic = watching.counters.get().topic_of(initiative)
        if topic not in self.watched and len(self.watched) >= watching.WATCH_LIMIT:
            raise DomainError(
                "invalid",
                _("Höchstens %(n)d Initiativen gleichzeitig beobachten.")
                % {"n": watching.WATCH_LIMIT},
            )
        await self.hub.join_topic(topic, self)
        try:
            counters = await async_services.watched_counters(
                user=self.user, initiative_id=initiative
            )
        except BaseException:
            if topic not in self.watched:
                await self.hub.leave_topic(topic, self)
            raise
        self.watched.add(topic)
        await self.send_frame(frames.watching(initiative=initiative, counters=counters, ref=ref))

    async def handle_unwatch(self, frame: dict[str, Any], ref: Any) -> None:
        initiative = _initiative(frame)
        topic = watching.counters.get().topic_of(initiative)
        if topic in self.watched:
            self.watched.discard(topic)
            await self.hub.leave_topic(topic, self)
        await self.send_frame(frames.unwatched(initiative=initiative, ref=ref))

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
        "watch": handle_watch,
        "unwatch": handle_unwatch,
    }

    # --- controls from the hub (realtime/messages.py) ------------------------
    async def control(self, control: Control) -> None:
        """Moderation and access changes, live, on every worker."""
        if isinstance(control, Close):
            await self.close(code=control.code)
        elif isinstance(control, Unsubscribe):
            if control.room in self.subscriptions:
                await self.end_subscription(control.room, control.reason)
        elif isinstance(control, Recheck):
            if control.room in self.subscriptions and not await async_services.may_read_room(
                user=self.user, room_id=control.room
            ):
                await self.end_subscription(control.room, "access_revoked")
        elif isinstance(control, RefreshRole) and self.user is not None:
            self.sees_hidden = await async_services.sees_hidden_content(self.user)


def _room(frame: dict[str, Any]) -> int:
    return clean_int(frame.get("room"), field="room")


def _initiative(frame: dict[str, Any]) -> int | None:
    """`initiative` must be there: an id, or null for the city-wide events."""
    if "initiative" not in frame:
        raise DomainError("invalid", _("Das Feld `initiative` fehlt (eine Id oder null)."))
    return clean_optional_id(frame["initiative"], field="initiative")


def _room_and_message(frame: dict[str, Any]) -> dict[str, int]:
    return {"room_id": _room(frame), "message_id": clean_int(frame.get("message"), field="message")}
