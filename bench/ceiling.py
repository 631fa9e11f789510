"""The ceiling: a minimal raw `websockets` broadcast server (asyncio), no framework.

    python -m bench.ceiling --host 127.0.0.1 --port 8765

Its protocol is the smallest subset of ours the load client needs:
`{"type": "subscribe", "room": R}` is answered with `{"type": "subscribed", "room": R}`;
`{"type": "send", "room": R, "body": ..., "client_id": ...}` is written, exactly as
received, to every connection in room R (the sender included) with
`websockets.broadcast`: one frame encoded once, no per-recipient work, nothing
stored, no authentication. What our server does beyond this is what it costs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from typing import Any

from websockets.asyncio.server import ServerConnection, broadcast, serve

rooms: dict[Any, set[ServerConnection]] = {}


async def handler(ws: ServerConnection) -> None:
    joined: set[Any] = set()
    try:
        async for message in ws:
            try:
                frame = json.loads(message)
                kind = frame.get("type")
                room = frame.get("room")
            except (ValueError, AttributeError, TypeError):
                continue
            if kind == "send":
                members = rooms.get(room)
                if members:
                    broadcast(members, message)
            elif kind == "subscribe" and isinstance(room, (int, str)):
                rooms.setdefault(room, set()).add(ws)
                joined.add(room)
                await ws.send(json.dumps({"type": "subscribed", "room": room}))
    finally:
        for room in joined:
            members = rooms.get(room)
            if members is not None:
                members.discard(ws)
                if not members:
                    del rooms[room]


async def main(host: str, port: int) -> None:
    async with serve(
        handler, host, port, compression=None, max_size=65_536, backlog=4096
    ) as server:
        await server.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    asyncio.run(main(args.host, args.port))
