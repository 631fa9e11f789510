"""realtime.websocket: uvicorn's websocket protocol with shared frames and less memory,
tried on a real uvicorn server with a real websocket client."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
import uvicorn
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, ConnectionClosedError
from websockets.protocol import State
from websockets.server import ServerProtocol

from realtime.websocket import SHARED_FRAMES, Flag, LeanWebSocketProtocol, ReceiveQueue, SharedText
from tests.e2e.servers import free_port


def test_a_shared_frame_is_the_frame_websockets_would_send() -> None:
    for text in ["", "ä" * 10, '{"type":"event"}' * 40, "x" * 70_000]:
        server = ServerProtocol()
        server.state = State.OPEN
        server.send_text(text.encode())

        assert SharedText(text).frame == b"".join(server.data_to_send())


def test_a_shared_frame_is_built_once() -> None:
    shared = SharedText("hallo")

    assert shared.frame is shared.frame


async def test_the_receive_queue_hands_over_in_order_and_waits_when_empty() -> None:
    queue = ReceiveQueue()
    queue.put_nowait(1)
    queue.put_nowait(2)
    assert (await queue.get(), await queue.get(), queue.empty()) == (1, 2, True)

    waiting = asyncio.ensure_future(queue.get())
    await asyncio.sleep(0)
    assert not waiting.done()
    queue.put_nowait(3)
    assert await waiting == 3 and queue.qsize() == 0


async def test_the_flag_lets_waiters_through_only_when_set() -> None:
    flag = Flag()
    waiters = [asyncio.ensure_future(flag.wait()) for _ in range(2)]
    await asyncio.sleep(0)
    assert not any(w.done() for w in waiters) and not flag.is_set()

    flag.set()
    assert await asyncio.gather(*waiters) == [True, True]
    flag.clear()
    assert not flag.is_set()


# --- on a real server --------------------------------------------------------------
class Probe:
    """A tiny ASGI app: accepts, then sends what the test asks for, both ways."""

    def __init__(self) -> None:
        self.scope: dict[str, Any] = {}
        self.send: Any = None
        self.accepted = asyncio.Event()
        self.finished = asyncio.Event()  # the server told the app the client is gone

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        self.scope, self.send = scope, send
        assert (await receive())["type"] == "websocket.connect"
        await send({"type": "websocket.accept"})
        self.accepted.set()
        while (await receive())["type"] != "websocket.disconnect":
            pass
        self.finished.set()

    @property
    def write(self) -> Any:
        return self.scope["extensions"][SHARED_FRAMES]["write"]

    @property
    def protocol(self) -> LeanWebSocketProtocol:
        """The protocol object of the latest connection (the writer is its method)."""
        protocol: LeanWebSocketProtocol = self.write.__self__
        return protocol


MAX_SIZE = 1024  # the served probe's limit for a client's message


@pytest.fixture
async def served() -> AsyncIterator[tuple[Probe, int]]:
    probe = Probe()
    port = free_port()
    config = uvicorn.Config(
        probe,
        host="127.0.0.1",
        port=port,
        ws="realtime.websocket:LeanWebSocketProtocol",
        ws_max_size=MAX_SIZE,
        ws_per_message_deflate=False,
        lifespan="off",
        log_level="warning",
    )
    server = uvicorn.Server(config)
    task = asyncio.ensure_future(server.serve())
    async with asyncio.timeout(5):
        while not server.started:  # uvicorn offers no event for it
            await asyncio.sleep(0.01)
    try:
        yield probe, port
    finally:
        server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 5)


async def _received(client: Any, count: int) -> list[str]:
    return [await asyncio.wait_for(client.recv(), 5) for _ in range(count)]


@contextlib.asynccontextmanager
async def _connected(served: tuple[Probe, int], **options: Any) -> AsyncIterator[Any]:
    """A websocket client whose handshake the probe has accepted."""
    probe, port = served
    async with connect(f"ws://127.0.0.1:{port}/ws/", **options) as client:
        await asyncio.wait_for(probe.accepted.wait(), 5)
        yield client


async def test_shared_frames_and_asgi_sends_arrive_in_the_order_written(
    served: tuple[Probe, int],
) -> None:
    probe = served[0]
    async with _connected(served) as client:
        assert probe.write(SharedText("eins").frame) is True
        await probe.send({"type": "websocket.send", "text": "zwei"})
        assert probe.write(SharedText("drei: ä€" * 3000).frame) is True

        assert await _received(client, 3) == ["eins", "zwei", "drei: ä€" * 3000]


async def test_the_handshake_is_not_kept_but_the_scope_has_the_headers(
    served: tuple[Probe, int],
) -> None:
    probe = served[0]
    async with _connected(served, additional_headers={"X-Probe": "1"}):
        protocol = probe.protocol

        assert protocol.request is None and protocol.response is None
        assert (b"x-probe", b"1") in probe.scope["headers"]
        assert isinstance(protocol.queue, ReceiveQueue) and isinstance(protocol.writable, Flag)


async def test_the_writer_refuses_when_the_plain_send_would_wait_or_fail(
    served: tuple[Probe, int],
) -> None:
    probe = served[0]
    async with _connected(served) as client:
        protocol = probe.protocol
        frame = SharedText("x").frame

        protocol.pause_writing()  # the transport's buffer is over its high-water mark
        assert probe.write(frame) is False
        protocol.resume_writing()
        assert probe.write(frame) is True
        assert await _received(client, 1) == ["x"]

        await probe.send({"type": "websocket.close", "code": 4000})
        assert probe.write(frame) is False
    await asyncio.wait_for(probe.finished.wait(), 5)
    assert protocol.disconnected and probe.write(frame) is False


async def test_abort_drops_the_connection_without_a_close_frame(
    served: tuple[Probe, int],
) -> None:
    probe = served[0]
    async with _connected(served) as client:
        probe.scope["extensions"][SHARED_FRAMES]["abort"]()

        with pytest.raises(ConnectionClosedError) as closed:
            await asyncio.wait_for(client.recv(), 5)
        assert closed.value.rcvd is None  # no close frame: the TCP connection just ended


async def test_a_client_that_sends_on_after_an_oversized_message_still_gets_the_1009(
    served: tuple[Probe, int],
) -> None:
    """Not a TCP reset: the server reads on (and drops) until the client closes too. (The
    reset itself shows against a real server, whose consumer is slower to read:
    tests/e2e/test_ws_fuzz.py.)"""
    for _ in range(5):
        async with _connected(served) as client:
            await client.send("x" * (MAX_SIZE + 1))
            with contextlib.suppress(ConnectionClosed):
                for _ in range(200):
                    await client.send("y" * 100)
            with pytest.raises(ConnectionClosed) as closed:
                await asyncio.wait_for(client.recv(), 5)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009


async def test_invalid_utf8_closes_with_1007_and_logs_no_trace(
    served: tuple[Probe, int], caplog: pytest.LogCaptureFixture
) -> None:
    async with _connected(served) as client:
        protocol = served[0].protocol
        protocol.data_received(_masked_text_frame(b'{"ref":"\xff\xfe"}'))

        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(client.recv(), 5)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1007
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"


async def test_after_the_close_for_a_broken_frame_a_send_says_the_client_has_gone(
    served: tuple[Probe, int],
) -> None:
    """The application learns of the close from its queue; until it has read it, a send
    raises the OSError of a client that has gone (ASGI 2.4), not uvicorn's RuntimeError
    for a send after a close, which would be logged as a bug."""
    probe = served[0]
    async with _connected(served) as client:
        huge = b"\x81\xff" + (2**40).to_bytes(8, "big") + b"\0\0\0\0"  # a header says 1 TiB
        probe.protocol.data_received(huge)

        with pytest.raises(OSError):
            await probe.send({"type": "websocket.send", "text": "zu spät"})
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(client.recv(), 5)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009
    await asyncio.wait_for(probe.finished.wait(), 5)


def _masked_text_frame(payload: bytes) -> bytes:
    """A client's text frame as it arrives on the wire (mask 0: the payload as it is)."""
    assert len(payload) < 126
    return bytes([0x81, 0x80 | len(payload)]) + b"\0\0\0\0" + payload


def _count_writes(protocol: LeanWebSocketProtocol) -> list[bytes]:
    """What the protocol hands its transport, write by write (the transport still gets it)."""
    writes: list[bytes] = []
    transport_write = protocol.transport.write

    def write(data: bytes) -> None:
        writes.append(bytes(data))
        transport_write(data)

    protocol.transport.write = write  # type: ignore[method-assign]
    return writes


async def test_frames_of_one_loop_pass_go_out_in_one_write_in_order(
    served: tuple[Probe, int],
) -> None:
    probe = served[0]
    async with _connected(served) as client:
        protocol = probe.protocol
        writes = _count_writes(protocol)
        frames = [SharedText(text).frame for text in ("eins", "zwei", "drei")]

        assert all(probe.write(frame) for frame in frames)
        assert writes == []  # not yet: at the end of this pass
        assert await _received(client, 3) == ["eins", "zwei", "drei"]
        assert writes == [b"".join(frames)]

        assert probe.write(frames[0]) is True  # a lone frame: its own write, unjoined
        assert await _received(client, 1) == ["eins"]
        assert writes[1:] == [frames[0]]


async def test_an_aborted_connection_gets_none_of_the_frames_still_waiting(
    served: tuple[Probe, int],
) -> None:
    probe = served[0]
    async with _connected(served) as client:
        protocol = probe.protocol
        writes = _count_writes(protocol)

        assert probe.write(SharedText("zu spät").frame) is True
        probe.scope["extensions"][SHARED_FRAMES]["abort"]()

        with pytest.raises(ConnectionClosedError):
            await asyncio.wait_for(client.recv(), 5)
        assert writes == []


async def test_a_socket_whose_write_fails_does_not_keep_the_others_frames(
    served: tuple[Probe, int], caplog: pytest.LogCaptureFixture
) -> None:
    probe = served[0]
    async with _connected(served):
        broken = probe.protocol
        write_broken = probe.write
        probe.accepted.clear()
        async with _connected(served) as second:

            def fail(data: bytes) -> None:
                raise OSError("kaputt")

            broken.transport.write = fail  # type: ignore[method-assign]
            assert write_broken(SharedText("eins").frame) is True
            assert probe.write(SharedText("eins").frame) is True

            assert await _received(second, 1) == ["eins"]
            assert "writing to a websocket failed" in caplog.text
            del broken.transport.write  # the real one again, for a clean close
