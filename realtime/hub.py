"""Fan-out: one channel-layer subscription per room per worker process.

A publish (realtime/publish.py) costs one channel-layer message per process, not
per recipient; the process writes the same pre-encoded text (under uvicorn: the
same websocket frame, realtime/websocket.py) to each local socket and never queries
the database per recipient. Each room's events are put in `seq` order by its
`RoomStream` (realtime/streams.py); a periodic check of the rooms' `last_seq` here
catches a lost last event.

The hub belongs to one event loop (a worker process has one; tests start many).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from channels.layers import get_channel_layer

from common.outages import log_failure
from realtime import publish
from realtime.db import db_async
from realtime.loops import PerLoop
from realtime.messages import control_of, group_for_room, group_for_topic, group_for_user
from realtime.streams import RoomStream, Subscriber, room_log
from realtime.websocket import SharedText

logger = logging.getLogger(__name__)

RESYNC_SECONDS = 5.0
# channels-redis forgets group members after `group_expiry` (a day by default).
GROUP_REFRESH_SECONDS = 3600.0
RECEIVE_RETRY_SECONDS = 1.0


async def _fetch_latest(*, room_ids: list[int]) -> dict[int, int]:
    return await db_async(room_log.get().latest_seqs)(room_ids=room_ids)


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
        self.topics: dict[str, set[Subscriber]] = {}
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

    # --- users, and topics (frames for whoever watches: seat counters) ----
    async def join_user(self, user_id: int, subscriber: Subscriber) -> None:
        await self._join(self.users, user_id, group_for_user(user_id), subscriber)

    async def leave_user(self, user_id: int, subscriber: Subscriber) -> None:
        await self._leave(self.users, user_id, group_for_user(user_id), subscriber)

    async def join_topic(self, topic: str, subscriber: Subscriber) -> None:
        await self._join(self.topics, topic, group_for_topic(topic), subscriber)

    async def leave_topic(self, topic: str, subscriber: Subscriber) -> None:
        await self._leave(self.topics, topic, group_for_topic(topic), subscriber)

    async def _join(
        self, members: dict[Any, set[Subscriber]], key: Any, group: str, subscriber: Subscriber
    ) -> None:
        """The process joins `group` for its first local member, once."""
        await self.start()
        local = members.get(key)
        if local is None:
            local = members[key] = set()
            await self.layer.group_add(group, self.channel)
        local.add(subscriber)

    async def _leave(
        self, members: dict[Any, set[Subscriber]], key: Any, group: str, subscriber: Subscriber
    ) -> None:
        """...and leaves it when its last local member goes."""
        local = members.get(key)
        if local is None:
            return
        local.discard(subscriber)
        if not local:
            del members[key]
            await self._discard(group)

    # --- the loops ------------------------------------------------------
    async def _receive_loop(self) -> None:
        assert self.channel is not None
        while True:
            try:
                messages = await self.layer.receive_many(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                log_failure(logger, "channel layer receive failed; retrying")
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
            control = control_of(message["action"], room=int(message["room"]))
            stream = self.rooms.get(int(message["room"]))
            for subscriber in list(stream.subscribers if stream else ()):
                await subscriber.control(control)
        elif kind == "room.ephemeral":
            self._deliver_ephemeral(message)
        elif kind == "topic.frame":
            text = SharedText(message["text"])
            for subscriber in list(self.topics.get(str(message.get("topic")), ())):
                subscriber.deliver_text(text)

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
            log_failure(logger, "reading the rooms' latest seq failed")
            return
        for room_id, seq in latest.items():
            stream = anchored[room_id]
            if stream.delivered is not None and seq > stream.delivered and not stream.pending:
                await stream.fill(upto=seq)

    async def _refresh_groups(self) -> None:
        groups = [group_for_room(r) for r in self.rooms] + [group_for_user(u) for u in self.users]
        groups += [group_for_topic(t) for t in self.topics]
        for group in groups:
            try:
                await self.layer.group_add(group, self.channel)
            except Exception:
                log_failure(logger, "re-joining %s failed", group)

    async def _discard(self, group: str) -> None:
        try:
            await self.layer.group_discard(group, self.channel)
        except Exception:  # the membership expires by itself; the process drops the messages
            log_failure(logger, "leaving %s failed", group)

    @staticmethod
    async def _every(seconds: float, job: Callable[[], Awaitable[None]]) -> None:
        while True:
            await asyncio.sleep(seconds)
            try:
                await job()
            except Exception:
                log_failure(logger, "periodic %s failed", getattr(job, "__name__", job))


_hubs = PerLoop(Hub)


def get_hub() -> Hub:
    """The hub of the running event loop (one per worker process in production)."""
    return _hubs.get()
