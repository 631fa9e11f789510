"""Every websocket frame type against every role (tests/authz/matrix.py, WEBSOCKET): on
one connection per role, each frame in turn, then a `ping`; the cell is what the frame
got: "ok" (served: its reply, or no error before the pong), an error code, or, for a
handshake that proves nobody, "closed 4401"."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from collab.asgi import application
from tests.authz.matrix import WEBSOCKET
from tests.authz.world import ROLES, World, build_world
from tests.ws import RECV_TIMEOUT, committing, open_socket

pytestmark = committing


@pytest.mark.parametrize("role", ROLES)
async def test_every_frame_type(role: str) -> None:
    world: World = await sync_to_async(build_world)()
    user = world.user(role)
    if user is None or not user.is_active:
        await _assert_closed_4401(user)
        assert {row.cells[role] for row in WEBSOCKET} == {"closed 4401"}
        return

    comm = await open_socket(user)
    try:
        assert (await comm.receive_json_from(timeout=RECV_TIMEOUT))["type"] == "hello"
        got = {row.type: await _outcome(comm, row.type, row.frame(world)) for row in WEBSOCKET}
    finally:
        await comm.disconnect(timeout=RECV_TIMEOUT)

    assert got == {row.type: row.cells[role] for row in WEBSOCKET}


async def _outcome(comm: WebsocketCommunicator, kind: str, frame: dict[str, object]) -> str:
    """Send the frame, then a ping; what came back for the frame before the pong."""
    await comm.send_json_to({**frame, "ref": kind})
    await comm.send_json_to({"type": "ping", "ref": f"after-{kind}"})
    outcome = "ok"
    while True:
        reply = await comm.receive_json_from(timeout=RECV_TIMEOUT)
        if reply.get("type") == "pong" and reply.get("ref") == f"after-{kind}":
            return outcome
        if reply.get("type") == "error" and reply.get("ref") == kind:
            outcome = str(reply["code"])


async def _assert_closed_4401(user: object) -> None:
    headers = []
    if user is not None:  # an account switched off: its token proves nobody
        key = await sync_to_async(lambda: user.auth_token.key)()  # type: ignore[attr-defined]
        headers = [(b"authorization", f"Token {key}".encode())]
    comm = WebsocketCommunicator(application, "/ws/", headers=headers)
    connected, _ = await comm.connect(timeout=RECV_TIMEOUT)
    try:
        assert connected
        assert await comm.receive_output(timeout=RECV_TIMEOUT) == {
            "type": "websocket.close",
            "code": 4401,
        }
    finally:
        await comm.disconnect()
