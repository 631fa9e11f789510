"""A room's events on one worker, in `seq` order, with the gaps filled from the log.

Events of a room reach a worker's hub (realtime/hub.py) from its own publisher and
from the channel layer, and may overtake each other (two writers commit 5 and 6, 6
is published first) or be lost (a full channel). The room's `RoomStream` delivers
them to the local subscribers in order: one that arrives early waits up to
GAP_WAIT_SECONDS for the missing one, which is then read from the room's log. So
every subscriber sees each event once, in order, without a gap. The log belongs to
`rooms`, which plugs a reader of it into `room_log` (common/slots.py): the
transport never imports it.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any, Protocol

from common.outages import log_failure
from common.slots import Slot
from realtime.db import db_async
from realtime.messages import Control, RoomEventMessage
from realtime.websocket import SharedText

logger = logging.getLogger(__name__)

GAP_WAIT_SECONDS = 0.2


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


room_log: Slot[RoomLog] = Slot("realtime.streams.room_log")


async def _fetch_logged(*, room_id: int, after: int, upto: int) -> list[RoomEventMessage]:
    return await db_async(room_log.get().events_after)(room_id=room_id, after=after, upto=upto)


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
            log_failure(logger, "reading the log of room %s failed", self.room_id)
            return
        for message in messages:
            if self.delivered is None or message["seq"] > self.delivered:
                self.pending.setdefault(message["seq"], Event.of(message))
        await self.flush()
