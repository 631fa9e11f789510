"""Publishing realtime frames: the only module that sends to the channel layer.

Services call these functions inside their transaction; the frame is encoded
once, here, and handed to the channel layer only after the commit
(`transaction.on_commit`), so no client ever sees an event that was rolled back.
A publish that fails is logged and dropped: the event is in the room's log, and
the fan-out (realtime/streams.py) or the client's `since` fills the gap from there.

Groups: `room.<id>`, `user.<id>` and `topic.<name>`; each worker process joins a group once
(realtime/hub.py), so one publish costs one channel-layer message per process.
The publishing process's own hub gets the message directly, not through the
channel layer (`serve_locally`): its connections see the event without a round
trip to Redis, and the layer carries it only to the other processes
(realtime/channel_layers.py).

A publish after commit runs in the database thread. It is handed to the
worker's event loop and not waited for: the writer (a `send` waiting for its
`ack`, a REST request) goes on at once, and the database thread is not held up
by an event loop that is busy fanning out. The loop sends a process's
publishes one after another, in the order they were handed over: commit order
for the publishes of one database thread (a transaction's frames keep theirs);
posts from two posting threads (realtime/db.py) may arrive swapped, and the
fan-out puts room events back in seq order.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import os
import threading
import weakref
from typing import Any, Protocol, cast

from asgiref.sync import SyncToAsync, async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from common.outages import log_failure
from realtime import messages
from realtime.channel_layers import GroupSend
from realtime.inorder import InBatches, InOrder
from realtime.messages import Control, Message, group_for_room, group_for_topic, group_for_user

logger = logging.getLogger(__name__)

PUBLISH_TIMEOUT_SECONDS = 5.0


class LocalHub(Protocol):
    """A process's receiving end (realtime.hub.Hub), as publishing sees it."""

    channel: str | None

    async def dispatch(self, message: dict[str, Any]) -> None:
        """Deliver a published message to this process's connections; never raises."""


def room_event_on_commit(
    *, room_id: int, seq: int, kind: str, data: Any, moderator_data: Any = None
) -> None:
    """Announce a logged room event once the surrounding transaction has committed
    (`moderator_data`: what moderators see where it differs)."""
    message = messages.room_event(
        room_id=room_id, seq=seq, kind=kind, data=data, moderator_data=moderator_data
    )
    _on_commit(group_for_room(room_id), message)


def user_frame_on_commit(
    *, user_id: int, frame: dict[str, Any], except_connection: str | None = None
) -> None:
    """Send `frame` to every connection of the user (but `except_connection`), after commit."""
    message = messages.user_frame(user_id=user_id, frame=frame, except_connection=except_connection)
    _on_commit(group_for_user(user_id), message)


def user_control_on_commit(*, user_id: int, control: Control) -> None:
    """Make every connection of the user carry out `control`, after commit."""
    _on_commit(group_for_user(user_id), messages.user_control(user_id=user_id, control=control))


def room_control_on_commit(*, room_id: int, control: Control) -> None:
    """Make every connection subscribed to the room carry out `control`, after commit."""
    _on_commit(group_for_room(room_id), messages.room_control(room_id=room_id, control=control))


def topic_frame_on_commit(*, topic: str, frame: dict[str, Any]) -> None:
    """Send `frame` to every connection watching `topic`, after commit."""
    _on_commit(group_for_topic(topic), messages.topic_frame(topic=topic, frame=frame))


async def room_ephemeral(
    *,
    room_id: int,
    frame: dict[str, Any],
    except_user: int | None = None,
    about_user: int | None = None,
) -> None:
    """Typing and presence frames: not logged, no seq, sent at once (from the event loop).
    `except_user` does not get it; `about_user` names the user a presence frame is about
    (a connection of that user that is still subscribing has it in its snapshot)."""
    message = messages.room_ephemeral(
        room_id=room_id, frame=frame, except_user=except_user, about_user=about_user
    )
    # Best effort: a failure is logged (a lost notice is not worth a retry).
    await _send(group_for_room(room_id), cast(dict[str, Any], message))


def _on_commit(group: str, message: Message) -> None:
    payload = cast(dict[str, Any], message)  # a TypedDict is a dict: no copy
    transaction.on_commit(lambda: _publish(group, payload))


def _publish(group: str, message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    loop = _serving_loop()
    if loop is not None:
        with _publishers_lock:  # database threads and request threads publish alike
            publisher = _publishers.get(loop)
            if publisher is None:
                publisher = _publishers[loop] = _OrderedPublisher(loop)
        try:
            publisher.submit(group, message)
            return
        except RuntimeError:  # the loop is closing: publish from here instead
            pass
    try:
        async_to_sync(_send)(group, message)
    except Exception:  # the log keeps the event; clients and the fan-out catch up by seq
        log_failure(logger, "publishing to %s failed", group)


class _OrderedPublisher:
    """One event loop's publishes in the order of the commits (a `moderation` frame
    before the `unsubscribed` it explains, as without the hand-off), to this process's
    connections and, in a queue of its own, to the other processes: what waits there
    goes out as one batch, one Redis round trip (a loop busy fanning out takes a while
    to come back for each reply). So the local deliveries of commits that came in
    together go out in one pass (and one write per socket, realtime/websocket.py), not
    one per Redis round trip, and a local delivery that waits (a moderation control on
    a slow socket) holds back no other process. A publish to the other processes is a
    `GroupSend`: group, message, and the channel of this process's hub, which had it
    directly (None: no hub here, all get it)."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.here: InOrder[tuple[str, dict[str, Any]]] = InOrder(self._deliver)
        self.others: InBatches[GroupSend] = InBatches(_send_to_others)

    def submit(self, group: str, message: dict[str, Any]) -> None:
        """From any thread. The delivering task starts in a context of its own, not the
        database thread's copy of its caller's: the local delivery may itself call the
        database (a moderation control), which asgiref refuses from inside a call."""
        self.loop.call_soon_threadsafe(
            self.here.add, (group, message), context=contextvars.Context()
        )

    async def _deliver(self, item: tuple[str, dict[str, Any]]) -> None:
        hub, publish = _addressed(*item)
        self.others.add(publish)
        await _deliver_locally(hub, publish[1])

    async def drained(self) -> None:
        await self.here.drained()
        await self.others.drained()


_publishers_lock = threading.Lock()
_publishers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _OrderedPublisher] = (
    weakref.WeakKeyDictionary()
)


async def drained() -> None:
    """Wait until the publishes handed to this event loop have gone out (for a graceful
    stop, and for tests that close the channel layer's connections afterwards)."""
    publisher = _publishers.get(asyncio.get_running_loop())
    if publisher is not None:
        await publisher.drained()


async def _send(group: str, message: dict[str, Any]) -> None:
    """At once, from the event loop: this process's connections first (no round trip,
    and untouched by a Redis that hangs), then the other processes."""
    hub, publish = _addressed(group, message)
    await _deliver_locally(hub, message)
    await _send_to_others([publish])


def _addressed(group: str, message: dict[str, Any]) -> tuple[LocalHub | None, GroupSend]:
    """This process's hub, if any, and the publish for the others, which leaves out the
    hub that delivers it here (decided now: a hub that starts later gets it from Redis)."""
    hub = _local_hubs.get(asyncio.get_running_loop())
    return hub, (group, message, hub.channel if hub is not None else None)


async def _deliver_locally(hub: LocalHub | None, message: dict[str, Any]) -> None:
    if hub is not None:
        await hub.dispatch(message)  # logs its own failures (realtime.hub.Hub.dispatch)


async def _send_to_others(publishes: list[GroupSend]) -> None:
    """In one round trip (realtime/channel_layers.py: a Redis pipeline), in order."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        # Bounded: publishes go out one batch after another, so one that hangs (Redis
        # gone quiet) must not hold back the rest. A lost one is filled from the log.
        await asyncio.wait_for(layer.group_send_many(publishes), PUBLISH_TIMEOUT_SECONDS)
    except Exception:  # the log keeps the events; clients and the fan-out catch up by seq
        groups = ", ".join(sorted({p[0] for p in publishes}))
        log_failure(logger, "publishing to %s failed", groups)


_local_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, LocalHub] = (
    weakref.WeakKeyDictionary()
)


def serve_locally(hub: LocalHub) -> None:
    """Make `hub` the receiving end of the running event loop's own publishes
    (realtime.hub.Hub.start, once its channel exists)."""
    _local_hubs[asyncio.get_running_loop()] = hub


def stop_serving_locally(hub: LocalHub) -> None:
    loop = asyncio.get_running_loop()
    if _local_hubs.get(loop) is hub:
        del _local_hubs[loop]


def _serving_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop that called this database thread (asgiref's sync_to_async records
    it), or None in plain sync code (management commands, sync tests)."""
    local = SyncToAsync.threadlocal
    if getattr(local, "main_event_loop_pid", None) != os.getpid():
        return None
    loop = getattr(local, "main_event_loop", None)
    return loop if loop is not None and not loop.is_closed() else None
