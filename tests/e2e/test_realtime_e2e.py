"""The realtime guarantees against real server processes, as a client sees them."""

from __future__ import annotations

import asyncio
import json
import uuid

import pytest
import websockets

from tests.e2e.protocol import Client
from tests.e2e.servers import Deployment

pytestmark = pytest.mark.e2e


def seqs(events: list[dict]) -> list[int]:
    return [e["seq"] for e in events]


# --- (1) one daphne on SQLite ------------------------------------------------------------


async def test_two_members_chat_live_on_one_sqlite_worker(sqlite_server: Deployment) -> None:
    room = sqlite_server.new_room("E2E Plaudern")
    url = sqlite_server.workers[0].ws
    lena = await Client.connect(url, sqlite_server.token("lena"))
    jonas = await Client.connect(url, sqlite_server.token("jonas"))
    try:
        assert (await lena.subscribe(room))["seq"] == 0
        assert (await jonas.subscribe(room))["seq"] == 0
        client_id = await lena.post(room, "Wer bringt **Werkzeug** mit?")
        ack = await lena.recv_type("ack")
        assert ack["client_id"] == client_id and ack["seq"] == 1
        [event] = await jonas.events(room, 1)
        assert event["event"] == "message.created"
        assert event["data"]["html"] == "<p>Wer bringt <strong>Werkzeug</strong> mit?</p>"
        assert event["data"]["author"]["username"] == "lena"

        status, body = sqlite_server.request(
            "POST",
            f"/api/rooms/{room}/messages/",
            {"body": "Ich, per REST", "client_id": str(uuid.uuid4())},
            token=sqlite_server.token("jonas"),
        )
        assert status == 201, body
        own, from_rest = await lena.events(room, 2)
        assert own["seq"] == 1 and own["data"]["client_id"] == client_id
        assert from_rest["seq"] == 2 and from_rest["data"]["body"] == "Ich, per REST"
    finally:
        await lena.close()
        await jonas.close()


async def test_concurrent_senders_on_sqlite_keep_seq_order(sqlite_server: Deployment) -> None:
    room = sqlite_server.new_room("E2E SQLite parallel")
    url = sqlite_server.workers[0].ws
    senders = [await Client.connect(url, sqlite_server.token(n)) for n in ("lena", "jonas")]
    reader = await Client.connect(url, sqlite_server.token("mira"))
    try:
        await reader.subscribe(room)
        await asyncio.gather(*(send_many(c, room, 50) for c in senders))
        events = await reader.events(room, 100)
        assert seqs(events) == list(range(1, 101))
    finally:
        for client in [*senders, reader]:
            await client.close()


async def test_protocol_limits_on_a_real_server(sqlite_server: Deployment) -> None:
    url = sqlite_server.workers[0].ws
    async with websockets.connect(url) as anonymous:
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await anonymous.recv()
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401

    client = await Client.connect(url, sqlite_server.token("jonas"))
    await client.ws.send(b"\x00\x01")
    assert (await client.recv())["code"] == "invalid"
    await client.ws.send(json.dumps({"type": "ping", "pad": "x" * 70_000}))
    with pytest.raises(websockets.ConnectionClosed) as closed:
        await client.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009

    with pytest.raises(websockets.InvalidStatus) as refused:
        await websockets.connect(url, additional_headers={"Cookie": "sessionid=abc"})
    assert refused.value.response.status_code == 403
    assert "Traceback" not in sqlite_server.logs()


async def test_a_frame_just_before_an_oversized_one_logs_no_trace(
    sqlite_server: Deployment,
) -> None:
    # The reply to the first frame crosses the 1009 close the second one causes: a
    # send to a client that has gone must not be logged as the server's failure.
    url = sqlite_server.workers[0].ws
    room = sqlite_server.new_room("E2E zu groß")
    for _ in range(5):
        client = await Client.connect(url, sqlite_server.token("jonas"))
        await client.send({"type": "subscribe", "room": room})
        await client.send({"type": "ping", "ref": 1})
        await client.ws.send("x" * 70_000)
        with pytest.raises(websockets.ConnectionClosed) as closed:
            while True:
                await client.recv()
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009
    await asyncio.sleep(0.5)  # what the server does after the close is in its log too
    assert "Traceback" not in sqlite_server.logs()
    assert "Exception" not in sqlite_server.logs()


async def send_many(client: Client, room: int, n: int) -> list[dict]:
    """Send n messages without waiting in between; return the n acks."""
    for i in range(n):
        await client.post(room, f"Nachricht {i}")
    return [await client.recv_type("ack") for _ in range(n)]


# --- (2)-(4) two workers on PostgreSQL + Redis ----------------------------------------------


@pytest.mark.services
async def test_every_client_on_both_workers_gets_every_event_once_in_order(
    redis_workers: Deployment,
) -> None:
    room = redis_workers.new_room("E2E zwei Worker")
    a, b = redis_workers.workers
    readers = [
        await Client.connect(worker.ws, redis_workers.token(name))
        for worker in (a, b)
        for name in ("mira", "tobias", "frieda")
    ]
    senders = [
        await Client.connect(a.ws, redis_workers.token("lena")),
        await Client.connect(b.ws, redis_workers.token("jonas")),
    ]
    try:
        for client in [*readers, *senders]:
            assert (await client.subscribe(room))["seq"] == 0
        acks = await asyncio.gather(*(send_many(s, room, 100) for s in senders))
        assert sorted(ack["seq"] for batch in acks for ack in batch) == list(range(1, 201))
        for client in [*readers, *senders]:
            events = await client.events(room, 200)
            assert seqs(events) == list(range(1, 201))
            assert {e["event"] for e in events} == {"message.created"}
        for client in readers:  # nothing more than the 200
            await client.assert_no_events(room)
    finally:
        for client in [*readers, *senders]:
            await client.close()
    assert "Traceback" not in redis_workers.logs()


@pytest.mark.services
async def test_reconnect_with_since_gets_exactly_what_was_missed(redis_workers: Deployment) -> None:
    room = redis_workers.new_room("E2E verpasst")
    a, b = redis_workers.workers
    away = await Client.connect(a.ws, redis_workers.token("jonas"))
    last_seen = (await away.subscribe(room))["seq"]
    await away.close()

    sender = await Client.connect(a.ws, redis_workers.token("lena"))
    try:
        await sender.subscribe(room)
        acks = await send_many(sender, room, 50)
        sent_ids = [ack["client_id"] for ack in acks]
    finally:
        await sender.close()

    back = await Client.connect(b.ws, redis_workers.token("jonas"))
    try:
        subscribed = await back.subscribe(room, since=last_seen)
        replayed = subscribed["messages"]
        assert seqs(replayed) == list(range(last_seen + 1, last_seen + 51))
        assert [e["data"]["client_id"] for e in replayed] == sent_ids
        assert subscribed["more"] is False and subscribed["reset"] is False
    finally:
        await back.close()


@pytest.mark.services
async def test_a_retried_client_id_creates_nothing_new(redis_workers: Deployment) -> None:
    room = redis_workers.new_room("E2E Wiederholung")
    a, b = redis_workers.workers
    watcher = await Client.connect(b.ws, redis_workers.token("mira"))
    first = await Client.connect(a.ws, redis_workers.token("lena"))
    try:
        await watcher.subscribe(room)
        client_id = str(uuid.uuid4())
        await first.post(room, "Einmal, bitte", client_id)
        ack = await first.recv_type("ack")
        await first.close()
        retry = await Client.connect(b.ws, redis_workers.token("lena"))  # after a reconnect
        await retry.post(room, "Einmal, bitte", client_id)
        assert await retry.recv_type("ack") == ack
        await retry.close()

        assert len(await watcher.events(room, 1)) == 1
        await watcher.assert_no_events(room)
        status, page = redis_workers.request(
            "GET", f"/api/rooms/{room}/messages/", token=redis_workers.token("lena")
        )
        assert status == 200
        assert [m["client_id"] for m in page["results"]] == [client_id]
    finally:
        await watcher.close()


async def test_a_replay_larger_than_64_kib_still_arrives(sqlite_server: Deployment) -> None:
    """The 64 KiB limit is for client frames; the server's own frames may be larger."""
    room = sqlite_server.new_room("E2E lange Nachrichten")
    url = sqlite_server.workers[0].ws
    writer = await Client.connect(url, sqlite_server.token("lena"))
    try:
        for i in range(50):
            await writer.post(room, f"{i} " + "Klimaschutz " * 250)
            await writer.recv_type("ack")
    finally:
        await writer.close()
    reader = await Client.connect(url, sqlite_server.token("jonas"))
    try:
        subscribed = await reader.subscribe(room)
        assert len(json.dumps(subscribed)) > 65_536
        assert seqs(subscribed["messages"]) == list(range(1, 51))
    finally:
        await reader.close()
