"""One websocket connection's transport: how frames reach its socket, and flood control.

The protocol consumer (rooms/consumers.py) subclasses `Connection` and only speaks
the protocol; here is everything between it and the socket:

- The write path. The hub hands every local subscriber its frame in one pass and
  never waits for a socket (`deliver`). Under uvicorn a frame the hub built once is
  written straight to the socket (realtime/websocket.py, SHARED_FRAMES); where the
  socket cannot take it now, or the server has no such writer (daphne, the test
  communicator), it waits in the connection's outbox, which sends in order.
- Back-pressure. A client that does not read holds up nobody but itself: its frames
  wait in its outbox; past OUTBOX_LIMIT it is dropped (TCP abort under uvicorn, else
  1013) and catches up with `since` when it reconnects.
- Order. The connection's own frames (`send_frame`: replies, errors) and its close
  go behind what waits in the outbox, so an `unsubscribed` follows the `moderation`
  frame that explains it and 4403 follows both.
- Flood control. A client told `rate_limited` FLOOD_REFUSALS times within
  FLOOD_WINDOW_SECONDS is closed with 4429 (`refused_too_often`).
- A client that has gone is not an error: a send to it is dropped
  (`_send_unless_gone`), so a frame that crosses a close (a reply to the frame a
  client sent just before one over 64 KiB) logs no trace.
- No channel of its own. The process's hub (realtime/hub.py) receives for every
  connection, so channels' per-consumer channel, its receive task and its database
  round trip before every frame are switched off (`__call__`, `dispatch`): each
  costs memory per idle connection or time per frame (docs/performance.md).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from channels.consumer import get_handler_name
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer

from common.validation import is_int
from realtime.inorder import InOrder
from realtime.messages import CLOSE_TOO_SLOW, encode
from realtime.websocket import SHARED_FRAMES, SharedText

logger = logging.getLogger(__name__)

# A client told `rate_limited` this often within FLOOD_WINDOW_SECONDS is closed.
FLOOD_REFUSALS = 10
FLOOD_WINDOW_SECONDS = 30.0
# Frames waiting for a socket that does not take them (a client reading slowly). Each
# holds a reference to text shared by all recipients; beyond the limit the connection
# is dropped and the client catches up with `since` when it reconnects.
OUTBOX_LIMIT = 10_000

# What waits in the outbox, with the room it belongs to (None: none): a frame, or the
# code of a close that must follow the frames before it.
Queued = tuple[int | None, SharedText | int]


class Connection(AsyncWebsocketConsumer):
    """A websocket consumer that the process's hub delivers to, with an outbox."""

    # An alias that names no layer switches Channels' per-consumer channel off.
    channel_layer_alias = "none: the hub receives for this process"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Names this connection to presence and to the user's other connections.
        self.connection_id = uuid.uuid4().hex
        self.outbox: InOrder[Queued] = InOrder(self._send_queued)
        # Under uvicorn: write a frame the hub built once; drop the TCP connection.
        self.write_shared: Callable[[bytes], bool] | None = None
        self.abort: Callable[[], None] | None = None
        self._asgi_send: Callable[[dict[str, Any]], Awaitable[None]] | None = None
        # When the client was told `rate_limited` (a tuple: no list per idle connection).
        self.refusals: tuple[float, ...] = ()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """channels' `__call__` for a consumer without a channel of its own: one plain
        receive loop. channels' `await_many_dispatch` keeps a task and its wait
        machinery per connection (~2.5 KB of an idle connection's memory)."""
        self.scope = scope
        self.channel_layer = None
        self._asgi_send = send
        self.base_send = self._send_unless_gone
        shared_frames = (scope.get("extensions") or {}).get(SHARED_FRAMES) or {}
        self.write_shared = shared_frames.get("write")
        self.abort = shared_frames.get("abort")
        try:
            while True:
                await self.dispatch(await receive())
        except StopConsumer:
            pass

    async def _send_unless_gone(self, message: dict[str, Any]) -> None:
        """The server's send; a client that has gone meanwhile is no error of ours.
        (ASGI 2.4: a send after the disconnect raises an OSError; the server's
        `websocket.disconnect` follows, and `disconnect` cleans up.) A frame for it
        cannot arrive anyway: the client catches up with `since` when it comes back."""
        assert self._asgi_send is not None, "sent before the connection began"
        try:
            await self._asgi_send(message)
        except OSError:
            logger.debug("%s: gone, %s dropped", self.connection_id, message.get("type"))

    async def dispatch(self, message: dict[str, Any]) -> None:
        """channels' dispatch, without its `aclose_old_connections()` before every
        message: a round trip through the database thread per frame (a `ping` too),
        while the database calls here (realtime.db.db_async) look after their
        connection themselves."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    def refused_too_often(self) -> bool:
        """Count one `rate_limited` refusal; True once the client has ignored too many
        of them (then it is closed with CLOSE_FLOODING)."""
        now = asyncio.get_running_loop().time()
        recent = tuple(t for t in self.refusals if now - t < FLOOD_WINDOW_SECONDS)
        self.refusals = (*recent, now)
        return len(self.refusals) >= FLOOD_REFUSALS

    # --- the write path -------------------------------------------------------------
    def deliver_text(self, text: SharedText) -> None:
        """A frame for this connection that belongs to no room (a notification), from
        the hub, without waiting."""
        self.deliver(text, None)

    def deliver(self, text: SharedText, room_id: int | None) -> None:
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

    def drop_queued(self, room_id: int) -> None:
        """Forget what waits for the room (a new `subscribed` covers it, or it ended)."""
        self.outbox.keep_only(lambda queued: queued[0] != room_id)

    async def _send_queued(self, queued: Queued) -> None:
        """The outbox's next item: the shared frame where the socket takes it, else the
        plain send, which waits until the socket takes it (or fails once it is gone)."""
        item = queued[1]
        if isinstance(item, int):
            self.outbox.clear()
            await super().close(code=item)
        elif self.write_shared is None or not self.write_shared(item.frame):
            await self.send(text_data=item.text)

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

    async def send_frame(self, frame: dict[str, Any]) -> None:
        """A frame for this connection only (replies, errors), after whatever of the
        hub's frames still waits for the socket."""
        text = encode(frame)
        if self.outbox.busy:
            self.outbox.add((None, SharedText(text)))
        else:
            await self.send(text_data=text)

    async def close(self, code: int | bool | None = None, reason: str | None = None) -> None:
        """Close after the frames that still wait (a `moderation` frame before 4403)."""
        if self.outbox.busy and is_int(code):
            self.outbox.add((None, code))
        else:
            await super().close(code=code, reason=reason)
