"""Moderation acts live across two workers on PostgreSQL + Redis, as clients see it."""

from __future__ import annotations

import time
import uuid

import pytest

from tests.e2e.protocol import Client
from tests.e2e.servers import Deployment

pytestmark = [pytest.mark.e2e, pytest.mark.services]


async def test_a_hidden_message_disappears_from_subscribers_on_both_workers(
    redis_workers: Deployment,
) -> None:
    room = redis_workers.new_room("E2E Ausblenden")
    a, b = redis_workers.workers
    lena = await Client.connect(a.ws, redis_workers.token("lena"))
    jonas = await Client.connect(b.ws, redis_workers.token("jonas"))
    mira = await Client.connect(b.ws, redis_workers.token("mira"))
    try:
        for client in (lena, jonas, mira):
            await client.subscribe(room)
        await jonas.post(room, "Das ist Werbung für Ölheizungen")
        ack = await jonas.recv_type("ack")
        for client in (lena, jonas, mira):
            await client.events(room, 1)

        moderator_token = redis_workers.token("mira")
        started = time.monotonic()
        status, body = redis_workers.request(
            "POST",
            f"/api/moderation/messages/{ack['message']}/hide/",
            {"reason": "Werbung"},
            token=moderator_token,
        )
        assert status == 200, body
        hidden_for = {}
        for name, client in (("lena", lena), ("jonas", jonas), ("mira", mira)):
            [event] = await client.events(room, 1, timeout=5)
            hidden_for[name] = time.monotonic() - started
            assert event["event"] == "message.hidden"
            assert event["data"]["hidden"] is True
            if name == "mira":  # moderators keep the text and the reason
                assert event["data"]["body"] == "Das ist Werbung für Ölheizungen"
                assert event["data"]["hidden_reason"] == "Werbung"
            else:
                assert event["data"]["body"] is None and event["data"]["html"] is None
        print(f"\nhide to client (REST call included): {hidden_for}")
        assert max(hidden_for.values()) < 1.0

        status, page = redis_workers.request(
            "GET", f"/api/rooms/{room}/messages/", token=redis_workers.token("lena")
        )
        assert status == 200 and page["results"][0]["body"] is None
        replay = await (await Client.connect(a.ws, redis_workers.token("tobias"))).subscribe(room)
        assert replay["messages"][0]["data"]["body"] is None
    finally:
        for client in (lena, jonas, mira):
            await client.close()


async def test_a_mute_refuses_the_next_send_on_another_worker_and_by_rest(
    redis_workers: Deployment,
) -> None:
    room = redis_workers.new_room("E2E Stummschalten")
    b = redis_workers.workers[1]  # REST goes to workers[0]
    jonas = await Client.connect(b.ws, redis_workers.token("jonas"))
    try:
        await jonas.subscribe(room)
        status, mute = redis_workers.request(  # through worker A
            "POST",
            "/api/moderation/mutes/",
            {
                "user": jonas.hello["user"]["id"],
                "scope": "global",
                "duration": 600,
                "reason": "Bitte kurz durchatmen",
            },
            token=redis_workers.token("mira"),
        )
        assert status == 201, mute
        told = await jonas.recv_type("moderation", timeout=5)
        assert told["action"] == "muted" and told["scope"] == "global"
        assert told["reason"] == "Bitte kurz durchatmen" and told["until"]

        await jonas.post(room, "Darf ich noch?")
        refused = await jonas.recv_type("error")
        assert refused["code"] == "muted" and refused["retry_after"] > 0
        status, body = redis_workers.request(
            "POST",
            f"/api/rooms/{room}/messages/",
            {"body": "Und per REST?", "client_id": str(uuid.uuid4())},
            token=redis_workers.token("jonas"),
        )
        assert status == 403 and body["code"] == "muted"

        status, _ = redis_workers.request(
            "DELETE", f"/api/moderation/mutes/{mute['id']}/", token=redis_workers.token("mira")
        )
        assert status in (200, 204)
        assert (await jonas.recv_type("moderation", timeout=5))["action"] == "unmuted"
        await jonas.post(room, "Danke!")
        assert (await jonas.recv_type("ack"))["seq"] == 1
    finally:
        await jonas.close()
