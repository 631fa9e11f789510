"""Fan-out: one channel-layer subscription per room per worker process.

A publish (realtime/publish.py) costs one channel-layer message per process, not
per recipient; the process writes the same pre-encoded text (under uvicorn: the
same websocket frame, realtime/websocket.py) to each local socket and never queries
the database per recipient.

Each room has a `RoomStream` here that puts events into `seq` order: events that
overtake each other (two writers commit 5 and 6, 6 is published first) wait up
to GAP_WAIT_SECONDS for the missing one, which is then read from the room's log
if it has not arrived (a lost broadcast, a full channel). A periodic check of the
rooms' `last_seq` catches a lost last event. So every subscriber sees each event
once, in order, without a gap, even when the channel layer drops messages. The log
belongs to `rooms`, which plugs a reader of it into `room_log` (common/slots.py):
the hub never imports it.

The hub belongs to one event loop (a worker process has one; tests start many).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from channels.layers import get_channel_layer

from common.slots import Slot
from realtime import publish
from realtime.db import db_async
from realtime.loops import PerLoop
from realtime.messages import (
    Control,
    RoomEventMessage,
    control_of,
    group_for_room,
    group_for_user,
)
from realtime.websocket import SharedText

logger = logging.getLogger(__name__)

GAP_WAIT_SECONDS = 0.2
RESYNC_SECONDS = 5.0
# channels-redis forgets group members after `group_expiry` (a day by default).
GROUP_REFRESH_SECONDS = 3600.0
RECEIVE_RETRY_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class Event:
    """One logged room event as this process delivers it: both audiences' frames,
    each encoded once for every local subscriber (realtime.websocket.SharedText)."""

    seq: int
    text: SharedText
    text_mod: SharedText | None

    @classmethod
    def of(cls, message: RoomEventMessage | dict[str, Any]) -> Event:
        """From the channel-layer message of a room event (realtime.messages.room_event)."""
        text_mod = message.get("text_mod")
        return cls(
            seq=int(message["seq"]),
            text=SharedText(message["text"]),
            text_mod=SharedText(text_mod) if text_mod else None,
        )


class Subscriber(Protocol):
    """A local connection, as the hub sees it (rooms.consumers.ProtocolConsumer)."""

    connection_id: str
    user_id: int

    def deliver_room_event(self, room_id: int, event: Event) -> None:
        """Send one ordered room event, without waiting (a slow socket queues it)."""

    def deliver_text(self, text: SharedText) -> None:
        """Send an already encoded frame, without waiting."""

    def deliver_ephemeral(self, room_id: int, text: SharedText, about_user: int | None) -> None:
        """Send a typing or presence frame of a room the connection is subscribed to
        (`about_user`: whom a presence frame is about), without waiting."""

    async def control(self, control: Control) -> None:
        """Carry out a moderation or access change (realtime.messages: the controls)."""


class RoomLog(Protocol):
    """The rooms' event log, as the fan-out reads it to fill a gap (sync: run in the
    database thread). The app that owns the log plugs it into `room_log`."""

    def events_after(self, *, room_id: int, after: int, upto: int) -> list[RoomEventMessage]:
        """The messages of the log entries after..upto (inclusive), in seq order."""

    def latest_seqs(self, *, room_ids: list[int]) -> dict[int, int]:
        """{room id: the room's latest seq}."""


room_log: Slot[RoomLog] = Slot("realtime.hub.room_log")


async def _fetch_logged(*, room_id: int, after: int, upto: int) -> list[RoomEventMessage]:
    return await db_async(room_log.get().events_after)(room_id=room_id, after=after, upto=upto)


async def _fetch_latest(*, room_ids: list[int]) -> dict[int, int]:
    return await db_async(room_log.get().latest_seqs)(room_ids=room_ids)


class RoomStream:
    """One room's events on this process, in seq order, gaps filled from the log."""

    def __init__(self, room_id: int) -> None:
        self.room_id = room_id
        self.subscribers: set[Subscriber] = set()
        self.delivered: int | None = None  # unknown until the first subscriber anchors it
        self.pending: dict[int, Event] = {}
        self.lock = asyncio.Lock()
        self.repair: asyncio.Task[None] | None = None

    def anchor(self, seq: int) -> None:
        """A subscriber read the log up to `seq`: a new stream starts after it."""
        if self.delivered is None:
            self.delivered = seq
            for stale in [s for s in self.pending if s <= seq]:
                del self.pending[stale]

    async def receive(self, message: dict[str, Any]) -> None:
        seq = int(message["seq"])
        if self.delivered is not None and seq <= self.delivered:
            return  # already delivered (a repair got there first)
        self.pending[seq] = Event.of(message)
        await self.flush()

    async def flush(self) -> None:
        async with self.lock:
            while self.delivered is not None and self.delivered + 1 in self.pending:
                event = self.pending.pop(self.delivered + 1)
                self.delivered += 1
                for subscriber in list(self.subscribers):
                    try:
                        subscriber.deliver_room_event(self.room_id, event)
                    except Exception:  # one broken socket must not stop the others
                        logger.exception("delivery to %s failed", subscriber.connection_id)
        if self.pending:
            if self.delivered is not None and self.repair is None:
                self.repair = asyncio.ensure_future(self._repair_after_wait())
        elif self.repair is not None and self.repair is not asyncio.current_task():
            # The gap closed by itself (nearly always, a few ms later): the next gap
            # gets a wait of its own, not what is left of this one's.
            self.repair.cancel()
            self.repair = None

    async def _repair_after_wait(self) -> None:
        try:
            await asyncio.sleep(GAP_WAIT_SECONDS)
            if self.pending and self.delivered is not None:
                await self.fill(upto=min(self.pending) - 1)
        finally:
            if self.repair is asyncio.current_task():
                self.repair = None
        if self.pending:
            await self.flush()

    async def fill(self, *, upto: int) -> None:
        """Read the log entries after `delivered` up to `upto` and deliver them in order."""
        if self.delivered is None or upto <= self.delivered:
            return
        try:
            messages = await _fetch_logged(room_id=self.room_id, after=self.delivered, upto=upto)
        except Exception:
            logger.exception("reading the log of room %s failed", self.room_id)
            return
        for message in messages:
            if self.delivered is None or message["seq"] > self.delivered:
                self.pending.setdefault(message["seq"], Event.of(message))
        await self.flush()


class Hub:
    """This process's end of the channel layer: one channel, joined to each group that a
    local connection needs, dispatching to the local connections. The process's own
    publishes come to `dispatch` directly (realtime.publish.serve_locally); the channel
    brings the other processes' (realtime.channel_layers: read in batches)."""

    def __init__(self) -> None:
        self.layer = get_channel_layer()
        self.channel: str | None = None
        self.rooms: dict[int, RoomStream] = {}
        self.users: dict[int, set[Subscriber]] = {}
        self.tasks: list[asyncio.Task[None]] = []
        self.started = asyncio.Event()
        self._starting = False

    async def start(self) -> None:
        if self._starting:
            await self.started.wait()
            return
        self._starting = True
        # A general channel (no `!`): this hub is its one reader (realtime.channel_layers).
        self.channel = f"hub.{uuid.uuid4().hex}"
        publish.serve_locally(self)
        self.tasks = [
            asyncio.ensure_future(self._receive_loop()),
            asyncio.ensure_future(self._every(RESYNC_SECONDS, self.resync)),
            asyncio.ensure_future(self._every(GROUP_REFRESH_SECONDS, self._refresh_groups)),
        ]
        self.started.set()

    async def stop(self) -> None:
        publish.stop_serving_locally(self)
        for task in self.tasks:
            task.cancel()
        for task in self.tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self.tasks = []

    # --- rooms ----------------------------------------------------------
    async def join_room(self, room_id: int, subscriber: Subscriber) -> RoomStream:
        """Start receiving the room's events (before reading its log, so none slips by)."""
        await self.start()
        stream = self.rooms.get(room_id)
        if stream is None:
            stream = self.rooms[room_id] = RoomStream(room_id)
            await self.layer.group_add(group_for_room(room_id), self.channel)
        stream.subscribers.add(subscriber)
        return stream

    async def leave_room(self, room_id: int, subscriber: Subscriber) -> None:
        stream = self.rooms.get(room_id)
        if stream is None:
            return
        stream.subscribers.discard(subscriber)
        if not stream.subscribers:
            del self.rooms[room_id]
            if stream.repair is not None:
                stream.repair.cancel()
            await self._discard(group_for_room(room_id))

    # --- users ----------------------------------------------------------
    async def join_user(self, user_id: int, subscriber: Subscriber) -> None:
        await self.start()
        local = self.users.get(user_id)
        if local is None:
            local = self.users[user_id] = set()
            await self.layer.group_add(group_for_user(user_id), self.channel)
        local.add(subscriber)

    async def leave_user(self, user_id: int, subscriber: Subscriber) -> None:
        local = self.users.get(user_id)
        if local is None:
            return
        local.discard(subscriber)
        if not local:
            del self.users[user_id]
            await self._discard(group_for_user(user_id))

    # --- the loops ------------------------------------------------------
    async def _receive_loop(self) -> None:
        assert self.channel is not None
        while True:
            try:
                messages = await self.layer.receive_many(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("channel layer receive failed; retrying")
                await asyncio.sleep(RECEIVE_RETRY_SECONDS)
                await self._refresh_groups()
                await self.resync()
                continue
            for message in messages:
                await self.dispatch(message)

    async def dispatch(self, message: dict[str, Any]) -> None:
        """Deliver one published message to the local connections it concerns (from the
        channel and from this process's publisher alike). A failure is logged here: it
        must not stop the messages after it, whichever of the two brought them."""
        try:
            await self._dispatch(message)
        except Exception:
            logger.exception("dispatching %s failed", message.get("type"))

    async def _dispatch(self, message: dict[str, Any]) -> None:
        kind = message.get("type")
        if kind == "room.event":
            stream = self.rooms.get(int(message["room"]))
            if stream is not None:
                await stream.receive(message)
        elif kind == "user.frame":
            text = SharedText(message["text"])
            for subscriber in list(self.users.get(int(message.get("user", 0)), ())):
                if subscriber.connection_id != message.get("except"):
                    subscriber.deliver_text(text)
        elif kind == "user.control":
            control = control_of(message["action"])
            for subscriber in list(self.users.get(int(message.get("user", 0)), ())):
                await subscriber.control(control)
        elif kind == "room.control":
            control = control_of(message["action"])
            stream = self.rooms.get(int(message["room"]))
            for subscriber in list(stream.subscribers if stream else ()):
                await subscriber.control(control)
        elif kind == "room.ephemeral":
            self._deliver_ephemeral(message)

    def _deliver_ephemeral(self, message: dict[str, Any]) -> None:
        """Typing and presence: not logged, no seq; to the room's settled subscribers."""
        stream = self.rooms.get(int(message["room"]))
        if stream is None:
            return
        skip_user = message.get("except_user")
        room_id, text = int(message["room"]), SharedText(message["text"])
        for subscriber in list(stream.subscribers):
            if skip_user is not None and subscriber.user_id == skip_user:
                continue
            subscriber.deliver_ephemeral(room_id, text, message.get("about_user"))

    async def resync(self) -> None:
        """Deliver what the log has beyond what each local room stream delivered."""
        anchored = {rid: s for rid, s in self.rooms.items() if s.delivered is not None}
        if not anchored:
            return
        try:
            latest = await _fetch_latest(room_ids=list(anchored))
        except Exception:
            logger.exception("reading the rooms' latest seq failed")
            return
        for room_id, seq in latest.items():
            stream = anchored[room_id]
            if stream.delivered is not None and seq > stream.delivered and not stream.pending:
                await stream.fill(upto=seq)

    async def _refresh_groups(self) -> None:
        groups = [group_for_room(r) for r in self.rooms] + [group_for_user(u) for u in self.users]
        for group in groups:
            try:
                await self.layer.group_add(group, self.channel)
            except Exception:
                logger.exception("re-joining %s failed", group)

    async def _discard(self, group: str) -> None:
        try:
            await self.layer.group_discard(group, self.channel)
        except Exception:  # the membership expires by itself; the process drops the messages
            logger.warning("leaving %s failed", group, exc_info=True)

    @staticmethod
    async def _every(seconds: float, job: Callable[[], Awaitable[None]]) -> None:
        while True:
            await asyncio.sleep(seconds)
            try:
                await job()
            except Exception:
                logger.exception("periodic %s failed", getattr(job, "__name__", job))


_hubs = PerLoop(Hub)


def get_hub() -> Hub:
    """The hub of the running event loop (one per worker process in production)."""
    return _hubs.get()
