"""A lean websocket client for the load processes: websockets' Sans-I/O protocol on an
asyncio.Protocol.

websockets' own asyncio client wakes a task for every message it receives; with
hundreds of sockets receiving tens of thousands of frames per second that costs
~45 µs per delivery on this machine and makes the load client, not the server,
the limit. Here frames are parsed by `websockets.client.ClientProtocol` (the
same parser, handshake and close logic) as soon as the bytes are read and handed to a
callback at once: a few µs per frame. No compression is offered (neither do
browsers' defaults matter here: every server is measured the same way).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

from websockets.client import ClientProtocol
from websockets.frames import Frame, Opcode
from websockets.http11 import Response
from websockets.protocol import State
from websockets.uri import parse_uri

OnText = Callable[[bytes], None]
WRITE_HIGH_WATER = 256 * 1024
OPEN_TIMEOUT = 60.0
CLOSE_TIMEOUT = 5.0


# asyncio's plain Protocol reads with sock.recv(256 KiB), allocating that much per read
# (a third of the client's time at low rates). A BufferedProtocol reads into this one
# buffer instead; safe to share: each read is parsed before the next one starts.
_BUFFER = memoryview(bytearray(256 * 1024))


class WebSocket(asyncio.BufferedProtocol):
    """One client connection; `on_text(payload)` is called for every text message."""

    def __init__(self, url: str, on_text: OnText, origin: str | None) -> None:
        self.proto = ClientProtocol(parse_uri(url), origin=origin, max_size=None)
        self.on_text = on_text
        self.transport: asyncio.Transport | None = None
        self.opened: asyncio.Future[Response] = asyncio.get_running_loop().create_future()
        self.lost: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.fragments: list[bytes] = []
        self.writable = asyncio.Event()
        self.writable.set()

    # --- asyncio.Protocol ----------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport

    def get_buffer(self, sizehint: int) -> memoryview:
        return _BUFFER

    def buffer_updated(self, nbytes: int) -> None:
        proto = self.proto
        proto.receive_data(_BUFFER[:nbytes].tobytes())
        for event in proto.events_received():
            if isinstance(event, Frame):
                self._frame(event)
            elif isinstance(event, Response) and not self.opened.done():
                if event.status_code == 101 and proto.state is State.OPEN:
                    self.opened.set_result(event)
                else:
                    self.opened.set_exception(
                        ConnectionError(f"handshake refused: HTTP {event.status_code}")
                    )
        self._flush()

    def _frame(self, frame: Frame) -> None:
        opcode = frame.opcode
        if opcode is Opcode.TEXT:
            if frame.fin:
                self.on_text(frame.data)
            else:
                self.fragments = [frame.data]
        elif opcode is Opcode.CONT and self.fragments:
            self.fragments.append(frame.data)
            if frame.fin:
                data, self.fragments = b"".join(self.fragments), []
                self.on_text(data)

    def eof_received(self) -> bool | None:
        self.proto.receive_eof()
        self._flush()
        return None

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.opened.done():
            self.opened.set_exception(exc or ConnectionError("connection closed"))
        if not self.lost.done():
            self.lost.set_result(None)
        self.writable.set()

    def pause_writing(self) -> None:
        self.writable.clear()

    def resume_writing(self) -> None:
        self.writable.set()

    # --- use -----------------------------------------------------------------
    @property
    def closed(self) -> bool:
        return self.lost.done() or self.proto.state is not State.OPEN

    def _flush(self) -> None:
        if self.transport is None:
            return
        for data in self.proto.data_to_send():
            if data:
                self.transport.write(data)
            elif self.transport.can_write_eof():
                self.transport.write_eof()

    async def send(self, text: str) -> None:
        """Send a text message; waits while the socket's write buffer is full."""
        if self.closed:
            raise ConnectionError("connection closed")
        self.proto.send_text(text.encode())
        self._flush()
        if not self.writable.is_set():
            await self.writable.wait()

    async def close(self) -> None:
        """The closing handshake; the socket is dropped after CLOSE_TIMEOUT at the latest."""
        if self.proto.state is State.OPEN:
            self.proto.send_close()
            self._flush()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(self.lost), CLOSE_TIMEOUT)
        if self.transport is not None:
            self.transport.close()


async def open_websocket(
    url: str,
    on_text: OnText,
    *,
    headers: dict[str, str] | None = None,
    origin: str | None = None,
    **connection: Any,
) -> WebSocket:
    """Connect and complete the handshake within OPEN_TIMEOUT (`connection`: options of
    loop.create_connection)."""
    loop = asyncio.get_running_loop()
    uri = parse_uri(url)
    _, ws = await loop.create_connection(
        lambda: WebSocket(url, on_text, origin), uri.host, uri.port, **connection
    )
    assert ws.transport is not None
    ws.transport.set_write_buffer_limits(high=WRITE_HIGH_WATER)
    request = ws.proto.connect()
    for name, value in (headers or {}).items():
        request.headers[name] = value
    ws.proto.send_request(request)
    ws._flush()
    try:
        await asyncio.wait_for(ws.opened, OPEN_TIMEOUT)
    except BaseException:
        ws.transport.close()
        raise
    return ws
