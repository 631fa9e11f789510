"""The websocket protocol under uvicorn: its sans-I/O implementation, lighter per
connection, plus one shortcut for the fan-out.

Why a subclass of uvicorn's `WebSocketsSansIOProtocol` (`collab.serve --server
uvicorn` loads it by import path); figures in docs/performance.md:

- Shared frames. A room event goes to every local subscriber with the same bytes:
  server frames are not masked and permessage-deflate is off, so the websocket frame
  is built once per process (`SharedText.frame`) and written to each socket with
  `transport.write`. Through ASGI every socket would encode and frame the text again
  (three awaits, a str encode, a frame serialize: most of the server's CPU per
  delivery). The consumer finds the writer in the scope's `extensions` under
  SHARED_FRAMES; where it is missing (daphne, the test communicator) it sends
  through ASGI as before. The writer refuses (returns False) whenever the plain path
  would wait or fail (write buffer full, closing, closed); the consumer then queues
  the frame for the plain send, so back-pressure and the close handshake stay
  uvicorn's. `abort` drops a connection whose client stopped reading.
- One write per socket per loop pass. Shared frames written in the same pass of the
  event loop (a batch of events from Redis, several commits that came in at once)
  wait in `_PendingWrites` and go out joined, one `send()` system call per socket
  instead of one per frame: the system call is most of a delivery's cost. Under
  load, batches grow and a delivery gets cheaper; a lone event costs one pass of
  the loop's ready queue, not a timer. A plain send (an `ack`, a close) first
  writes what waits for its socket, so frames keep the order they were given in.
- A close for a broken frame is a proper close. For a frame over the size limit
  (1009), a text frame that is not UTF-8 (1007) or a protocol error (1002) uvicorn
  writes the close frame and closes the socket at once; a client still sending then
  gets a TCP reset that destroys the unread close frame (the kernel resets a socket
  closed with unread data). Here the socket closes as after any close of ours:
  FIN after the close frame, then reading on, and discarding, until the client
  closes too or `close_timeout` passes (a lingering close, as nginx's). And text
  that is not UTF-8 is the client's fault: no traceback in the log.
- Memory. uvicorn keeps an `asyncio.Queue` (four deques, ~3 KB) per connection for
  the few messages between socket and application, an `asyncio.Event` (a deque) for
  flow control, and the parsed handshake request and response (~3.5 KB of header
  structures) for the connection's whole life. Here the queue is a list with one
  waiter, the event a flag with a list made only when someone waits, and request
  and response are emptied once the handshake is answered (the ASGI scope keeps its
  own copy of the headers).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from uvicorn.protocols.utils import ClientDisconnected
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.frames import Frame, Opcode
from websockets.http11 import Request
from websockets.protocol import State

from realtime.loops import PerLoop

logger = logging.getLogger(__name__)

SHARED_FRAMES = "klima.shared_frames"


class SharedText:
    """One frame's text for many local sockets; its websocket frame is built on first use."""

    __slots__ = ("_frame", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._frame: bytes | None = None

    @property
    def frame(self) -> bytes:
        if self._frame is None:
            self._frame = Frame(Opcode.TEXT, self.text.encode()).serialize(
                mask=False, extensions=[]
            )
        return self._frame

    def __repr__(self) -> str:
        return f"SharedText({self.text[:40]!r})"


class ReceiveQueue:
    """What uvicorn asks of its receive queue (put_nowait, get, empty), without the
    four deques of `asyncio.Queue`: the application is its only reader."""

    __slots__ = ("_items", "_waiter")

    def __init__(self) -> None:
        self._items: list[Any] = []
        self._waiter: asyncio.Future[None] | None = None

    def put_nowait(self, item: Any) -> None:
        self._items.append(item)
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def get(self) -> Any:
        while not self._items:
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        return self._items.pop(0)

    def empty(self) -> bool:
        return not self._items

    def qsize(self) -> int:
        return len(self._items)


class Flag:
    """What uvicorn asks of its `writable` event (is_set, set, clear, wait), without the
    deque that every `asyncio.Event` allocates: waiters are rare (a full write buffer)."""

    __slots__ = ("_set", "_waiters")

    def __init__(self) -> None:
        self._set = False
        self._waiters: list[asyncio.Future[None]] | None = None

    def is_set(self) -> bool:
        return self._set

    def set(self) -> None:
        self._set = True
        waiters, self._waiters = self._waiters, None
        for waiter in waiters or ():
            if not waiter.done():
                waiter.set_result(None)

    def clear(self) -> None:
        self._set = False

    async def wait(self) -> bool:
        if self._set:
            return True
        waiter = asyncio.get_running_loop().create_future()
        if self._waiters is None:
            self._waiters = []
        self._waiters.append(waiter)
        await waiter
        return True


class _PendingWrites:
    """The shared frames of one event loop pass, per socket, written at its end."""

    __slots__ = ("frames",)  # no reference to its loop: it is the key it is kept under

    def __init__(self) -> None:
        self.frames: dict[LeanWebSocketProtocol, list[bytes]] = {}

    def add(self, protocol: LeanWebSocketProtocol, frame: bytes) -> None:
        frames = self.frames.get(protocol)
        if frames is not None:
            frames.append(frame)
            return
        if not self.frames:
            asyncio.get_running_loop().call_soon(self.flush)
        self.frames[protocol] = [frame]

    def flush(self) -> None:
        pending, self.frames = self.frames, {}
        for protocol, frames in pending.items():
            try:
                protocol.write_now(frames)
            except Exception:  # one broken socket must not keep the others' frames
                logger.exception("writing to a websocket failed")

    def flush_one(self, protocol: LeanWebSocketProtocol) -> None:
        frames = self.frames.pop(protocol, None)
        if frames is not None:
            protocol.write_now(frames)

    def drop(self, protocol: LeanWebSocketProtocol) -> None:
        self.frames.pop(protocol, None)


_pending_writes = PerLoop(_PendingWrites)


class LeanWebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's sans-I/O websocket protocol with shared frames and less memory."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.queue = ReceiveQueue()  # type: ignore[assignment]
        self.writable = Flag()  # type: ignore[assignment]
        self.writable.set()
        # Closed by us for a broken frame and lingering: to the application the client
        # has gone (its `websocket.disconnect` is queued), so a send raises as then.
        self.failed = False

    def handle_connect(self, event: Request) -> None:
        super().handle_connect(event)
        # The scope has its own copy of what the application needs. websockets' parser
        # keeps the request for the connection's life (a local of its generator), so
        # its headers are emptied rather than only dereferenced.
        event.headers.clear()
        self.request = None  # type: ignore[assignment]
        scope = getattr(self, "scope", None)
        if scope is not None and not self.conn.extensions:
            scope["extensions"][SHARED_FRAMES] = {
                "write": self.write_shared,
                "abort": self.abort_connection,
            }

    async def send(self, message: Any) -> None:
        if self.failed:
            raise ClientDisconnected()
        _pending_writes.get(self.loop).flush_one(self)  # what was given before goes first
        await super().send(message)
        if self.handshake_complete:
            self.response = None  # type: ignore[assignment]  # only the handshake uses it

    def send_receive_event_to_app(self) -> None:
        if self.curr_msg_data_type != "text" or self.close_sent:
            super().send_receive_event_to_app()
            return
        data = self.frames[0] if len(self.frames) == 1 else b"".join(self.frames)
        self.frames = []
        try:
            text = data.decode()
        except UnicodeDecodeError:
            logger.debug("a text frame that is not UTF-8: closing with 1007")
            self.conn.send_close(1007)
            self.handle_parser_exception()
            return
        self.queue.put_nowait({"type": "websocket.receive", "text": text})
        if not self.read_paused:
            self.read_paused = True
            self.transport.pause_reading()

    def handle_parser_exception(self) -> None:
        """The close frame, then FIN, then read on until the client closes (module
        docstring). Called again for every later read while it lingers: nothing to do."""
        if self.close_sent:
            return
        assert self.conn.close_sent is not None
        close = self.conn.close_sent
        self.queue.put_nowait(
            {"type": "websocket.disconnect", "code": close.code, "reason": close.reason}
        )
        self.transport.write(b"".join(self.conn.data_to_send()))
        self.close_sent = True
        self.failed = True
        if self.transport.can_write_eof():
            self.transport.write_eof()
        if self.read_paused:
            self.read_paused = False
            self.transport.resume_reading()
        self.close_timer = self.loop.call_later(self.close_timeout, self.transport.close)

    def write_shared(self, frame: bytes) -> bool:
        """Write a frame built by `SharedText` at the end of this loop pass; False where
        the plain send would have to wait (write buffer full) or refuse (closing,
        closed): use it then."""
        if not self.writable.is_set() or not self._open():
            return False
        _pending_writes.get(self.loop).add(self, frame)
        return True

    def write_now(self, frames: list[bytes]) -> None:
        """The frames of one loop pass, in one write (dropped if the socket closed since:
        a close frame may have gone out, and nothing may follow it)."""
        if self._open():
            self.transport.write(frames[0] if len(frames) == 1 else b"".join(frames))

    def _open(self) -> bool:
        return not (
            self.close_sent
            or self.disconnected
            or not self.handshake_complete
            or self.conn.state is not State.OPEN
            or self.transport.is_closing()
        )

    def abort_connection(self) -> None:
        """Drop the TCP connection of a client that does not read what it is sent: a
        close frame would wait behind the unread data (realtime.connection.OUTBOX_LIMIT)."""
        _pending_writes.get(self.loop).drop(self)
        self.transport.abort()
