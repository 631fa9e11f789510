"""A small terminal chat client of the protocol, for trying the server and for client authors.

    python -m rooms.client --user lena --room 1            # password: klima-demo
    python -m rooms.client --url http://host:8000 --user jonas --room 3

Lines you type are sent to the room; `/edit ID text`, `/delete ID`, `/react ID 👍`,
`/thread ID text` do what they say; `/quit` leaves. It keeps the room's order by
`seq`: on a gap it subscribes again with `since`, as docs/protocol.md asks of
every client, and on a dropped connection it reconnects and catches up.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
import urllib.error
import urllib.request
import uuid
from typing import Any

import websockets


def fetch_token(base_url: str, username: str, password: str) -> str:
    if not base_url.startswith(("http://", "https://")):
        raise SystemExit("--url muss mit http:// oder https:// beginnen")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        f"{base_url.rstrip('/')}/api/auth/token/",
        data=json.dumps({"username": username, "password": password}).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return str(json.load(response)["token"])
    except urllib.error.HTTPError as exc:
        detail = json.load(exc).get("detail", exc.reason)
        raise SystemExit(f"Anmeldung fehlgeschlagen: {detail}") from None


def websocket_url(base_url: str) -> str:
    return (
        base_url.rstrip("/").replace("http://", "ws://", 1).replace("https://", "wss://", 1)
        + "/ws/"
    )


def format_event(frame: dict[str, Any]) -> str:
    data = frame.get("data") or {}
    author = (data.get("author") or {}).get("display_name", "?")
    thread = f" ↳{data['thread']}" if data.get("thread") else ""
    body = data.get("body")
    if data.get("deleted"):
        body = "(gelöscht)"
    elif body is None:
        body = "(ausgeblendet)"
    reactions = " ".join(f"{e}{n}" for e, n in (data.get("reactions") or {}).items())
    return f"[{frame.get('seq')}] #{data.get('id')}{thread} {author}: {body} {reactions}".rstrip()


class RoomClient:
    """One room over one connection, in seq order, catching up by `since`."""

    def __init__(self, url: str, token: str, room: int) -> None:
        self.url, self.token, self.room = url, token, room
        self.last_seq: int | None = None
        self.ws: Any = None

    async def run(self) -> None:
        self.connected = asyncio.Event()
        self.done = False
        keyboard = asyncio.ensure_future(self.read_keyboard())
        try:
            while not self.done:
                try:
                    await self.session()
                except (OSError, websockets.ConnectionClosedError) as exc:
                    self.connected.clear()
                    print(f"-- Verbindung verloren ({exc}); neuer Versuch in 2 s", flush=True)
                    await asyncio.sleep(2)
        finally:
            keyboard.cancel()

    async def session(self) -> None:
        headers = {"Authorization": f"Token {self.token}"}
        async with websockets.connect(self.url, additional_headers=headers) as ws:
            self.ws = ws
            hello = json.loads(await ws.recv())
            print(f"-- angemeldet als {hello['user']['display_name']}", flush=True)
            await self.subscribe()
            async for raw in ws:
                await self.handle(json.loads(raw))

    async def subscribe(self) -> None:
        frame: dict[str, Any] = {"type": "subscribe", "room": self.room}
        if self.last_seq is not None:
            frame["since"] = self.last_seq
        await self.ws.send(json.dumps(frame))

    async def handle(self, frame: dict[str, Any]) -> None:
        kind = frame.get("type")
        if kind == "subscribed":
            for event in frame["messages"]:
                print(format_event(event), flush=True)
                self.last_seq = event["seq"]
            if frame["more"]:
                await self.subscribe()  # the rest of a long catch-up
            else:
                self.last_seq = frame["seq"]
                self.connected.set()
        elif kind == "event" and frame.get("room") == self.room:
            if self.last_seq is not None and frame["seq"] <= self.last_seq:
                return  # seen already
            if self.last_seq is not None and frame["seq"] != self.last_seq + 1:
                await self.subscribe()  # a gap: catch up from the log
                return
            print(format_event(frame), flush=True)
            self.last_seq = frame["seq"]
        elif kind == "error":
            print(f"-- Fehler ({frame['code']}): {frame['detail']}", flush=True)
        elif kind in {"presence", "typing", "moderation", "notification", "unsubscribed"}:
            print(f"-- {json.dumps(frame, ensure_ascii=False)}", flush=True)

    async def read_keyboard(self) -> None:
        """Send what is typed once the room is joined; end of input (or /quit) leaves."""
        loop = asyncio.get_running_loop()
        while True:
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line or line.strip() == "/quit":
                break
            frame = self.command(line.rstrip("\n"))
            if frame is None:
                continue
            await self.connected.wait()
            with contextlib.suppress(websockets.ConnectionClosed):
                await self.ws.send(json.dumps(frame))
        await asyncio.sleep(1)  # let the last answers arrive
        self.done = True
        if self.ws is not None:
            await self.ws.close()

    def command(self, line: str) -> dict[str, Any] | None:
        if not line.strip():
            return None
        head, _, rest = line.partition(" ")
        room = self.room
        try:
            if head == "/edit":
                mid, _, body = rest.partition(" ")
                return {"type": "edit", "room": room, "message": int(mid), "body": body}
            if head == "/delete":
                return {"type": "delete", "room": room, "message": int(rest)}
            if head == "/react":
                mid, _, emoji = rest.partition(" ")
                return {"type": "react", "room": room, "message": int(mid), "emoji": emoji}
            if head == "/thread":
                mid, _, body = rest.partition(" ")
                return {
                    "type": "send",
                    "room": room,
                    "thread": int(mid),
                    "body": body,
                    "client_id": str(uuid.uuid4()),
                }
        except ValueError:
            print("-- Nachrichten-ID muss eine Zahl sein", flush=True)
            return None
        return {"type": "send", "room": room, "body": line, "client_id": str(uuid.uuid4())}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Terminal chat client of the Klima-Community.")
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", default="klima-demo")
    parser.add_argument("--room", type=int, required=True)
    args = parser.parse_args(argv)
    token = fetch_token(args.url, args.user, args.password)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(RoomClient(websocket_url(args.url), token, args.room).run())


if __name__ == "__main__":
    main()
