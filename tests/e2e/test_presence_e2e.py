"""Presence across worker processes, including a worker killed with SIGKILL."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from tests.e2e.protocol import Client
from tests.e2e.servers import Deployment, postgres_redis_deployment

pytestmark = [pytest.mark.e2e, pytest.mark.services]


@pytest.fixture(scope="module")
def crash_workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """Two workers of their own (daphne, uvicorn): this module kills the uvicorn one."""
    deployment = postgres_redis_deployment(
        Path(tmp_path_factory.mktemp("e2e-presence")),
        os.environ["DATABASE_URL"],
        os.environ["REDIS_URL"],
    )
    try:
        deployment.start_worker("daphne")
        deployment.start_worker("uvicorn")
        yield deployment
    finally:
        deployment.close()


def presence_keys(deployment: Deployment) -> list[str]:
    client = redis.Redis.from_url(deployment.env["REDIS_URL"])
    prefix = deployment.env["KLIMA_REDIS_PREFIX"]
    return [key.decode() for key in client.scan_iter(f"{prefix}:presence:*")]


async def next_presence(client: Client, user: str, timeout: float) -> dict:
    while True:
        frame = await client.recv_type("presence", timeout=timeout)
        if frame["user"]["username"] == user:
            return frame


async def test_users_on_two_workers_see_each_other_and_leave_no_keys(
    crash_workers: Deployment,
) -> None:
    room = crash_workers.new_room("E2E Anwesenheit")
    a, b = crash_workers.workers
    lena = await Client.connect(a.ws, crash_workers.token("lena"))
    jonas = await Client.connect(b.ws, crash_workers.token("jonas"))
    await lena.subscribe(room)
    seen = await jonas.subscribe(room)
    assert {p["user"]["username"]: p["status"] for p in seen["presence"]} == {
        "lena": "online",
        "jonas": "online",
    }
    assert (await next_presence(lena, "jonas", 10))["status"] == "online"

    await jonas.send({"type": "presence", "status": "idle"})
    assert (await next_presence(lena, "jonas", 10))["status"] == "idle"
    await jonas.send({"type": "typing", "room": room})
    typing = await lena.recv_type("typing", timeout=10)
    assert typing["user"]["username"] == "jonas" and typing["room"] == room

    await jonas.close()
    assert (await next_presence(lena, "jonas", 15))["status"] == "offline"
    await lena.close()
    deadline = time.monotonic() + 15
    while presence_keys(crash_workers) and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    assert presence_keys(crash_workers) == []


# The one test that may legitimately wait longer than the suite's 120 s per test:
# up to 90 s for the sweep, after starting two workers.
@pytest.mark.timeout(240)
async def test_users_of_a_killed_worker_go_offline_within_90_seconds(
    crash_workers: Deployment,
) -> None:
    room = crash_workers.new_room("E2E Absturz")
    a, b = crash_workers.workers
    lena = await Client.connect(a.ws, crash_workers.token("lena"))
    jonas = await Client.connect(b.ws, crash_workers.token("jonas"))
    try:
        await lena.subscribe(room)
        await jonas.subscribe(room)
        assert (await next_presence(lena, "jonas", 10))["status"] == "online"
        killed_at = time.monotonic()
        b.stop(signal.SIGKILL)
        offline = await next_presence(lena, "jonas", 90)
        took = time.monotonic() - killed_at
        assert offline["status"] == "offline"
        print(f"\nSIGKILL to offline: {took:.1f} s")
        assert took < 90
    finally:
        await lena.close()
