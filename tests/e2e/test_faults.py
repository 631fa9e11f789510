"""Faults survived with real processes: two uvicorn workers on PostgreSQL + Redis under a
steady load of 50 clients in 5 rooms (tests/e2e/load.py), while Redis restarts, a client
stops reading for two minutes, or the database goes away for a moment. In every case
nothing stored is lost, no seq has a gap, every reader ends with every event of its
room exactly once, in order, and no send hangs. (A worker killed mid-stream:
test_realtime_e2e.py.)

The figures each test measures (how soon delivery resumed, the others' latencies while
one client did not read) are printed; run with `-s` to see them.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import dj_database_url
import psycopg
import pytest

from tests.e2e.load import Load, Reader, Sent, percentile
from tests.e2e.servers import (
    Deployment,
    free_port,
    postgres_admin,
    postgres_redis_deployment,
)

pytestmark = [pytest.mark.e2e, pytest.mark.services]

STEADY_SECONDS = 5.0
OUTAGE_SECONDS = 3.0
RESUME_WITHIN_SECONDS = 10.0
SLOW_SECONDS = 120.0
BASELINE_SECONDS = 20.0


class PrivateRedis:
    """A Redis server of the test's own, which it may kill and start again."""

    def __init__(self, tmp: Path) -> None:
        self.port = free_port()
        self.tmp = tmp
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.tmp),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while (
            subprocess.run(
                ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, check=False
            ).stdout.strip()
            != b"PONG"
        ):
            assert time.monotonic() < deadline, "Redis did not start"
            time.sleep(0.05)

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


@pytest.fixture
def tmp(tmp_path: Path) -> Path:
    return tmp_path


def _two_workers(tmp: Path, redis_url: str) -> Deployment:
    """As production runs: rate limits on (counted in Redis), set high enough that this
    load never meets them."""
    deployment = postgres_redis_deployment(tmp, os.environ["DATABASE_URL"], redis_url)
    deployment.env.update(
        KLIMA_RATE_LIMITS="on", KLIMA_POST_RATE_LIMIT="1000000", KLIMA_API_RATE_USER="100000/min"
    )
    deployment.start_worker("uvicorn")
    deployment.start_worker("uvicorn")
    return deployment


@pytest.fixture
def deployment(tmp: Path) -> Iterator[Deployment]:
    deployment = _two_workers(tmp, os.environ["REDIS_URL"])
    try:
        yield deployment
    finally:
        deployment.close()


def _assert_nothing_lost(load: Load, stored: dict[int, list[tuple[int, str]]]) -> None:
    """What every fault test demands in the end."""
    acked = {p.client_id for p in load.sent.values() if p.outcome == "ack"}
    in_store = {client_id for messages in stored.values() for _seq, client_id in messages}
    assert acked <= in_store, "an acknowledged post is not stored"
    refused = {p.client_id for p in load.sent.values() if p.outcome not in ("ack", "pending")}
    assert refused & in_store == set(), "`unavailable` said nothing was stored, but it was"
    for room, messages in stored.items():
        assert [seq for seq, _ in messages] == list(range(1, len(messages) + 1)), room
    for reader in load.readers:
        expected = list(range(1, len(stored[reader.room]) + 1))
        assert reader.seqs == expected, (reader.room, reader.seqs[-5:], len(expected))
        assert reader.duplicates == 0


def _hung(posts: list[Sent]) -> list[Sent]:
    return [p for p in posts if p.outcome in ("timeout", "pending")]


def _resumed_after(load: Load, moment: float) -> float | None:
    """Seconds from `moment` until a post sent after it had reached every reader of its
    room (on both workers), or None."""
    posts = sorted((p for p in load.sent.values() if p.at >= moment), key=lambda p: p.at)
    for post in posts:
        room = next(s.room for s in load.senders if post in s.mine)
        readers = [r for r in load.readers if r.room == room]
        arrivals = [r.arrived.get(post.client_id) for r in readers]
        if all(a is not None for a in arrivals):
            return max(a for a in arrivals if a is not None) - moment
    return None


# --- Redis restarted ---------------------------------------------------------------------


async def test_a_redis_restart_mid_traffic_loses_nothing_and_delivery_resumes(
    tmp: Path,
) -> None:
    redis = PrivateRedis(tmp)
    redis.start()
    deployment = _two_workers(tmp, redis.url)
    try:
        load = Load.of(deployment, "Redis weg")
        load.start()
        await asyncio.sleep(STEADY_SECONDS)

        down = time.monotonic()
        redis.kill()
        await asyncio.sleep(OUTAGE_SECONDS)
        redis.start()
        up = time.monotonic()
        await asyncio.sleep(RESUME_WITHIN_SECONDS + 2)
        resumed = _resumed_after(load, up)
        stored = await load.finish()
        logs = deployment.logs()
    finally:
        deployment.close()
        redis.kill()

    during = [p for p in load.sent.values() if down <= p.at < up]
    outcomes = {p.outcome for p in during}
    print(
        f"\nRedis away {up - down:.1f} s: {len(during)} sends then, outcomes {sorted(outcomes)}; "
        f"delivery on both workers again {resumed:.2f} s after Redis was back; "
        f"{sum(len(m) for m in stored.values())} messages stored, "
        f"{sum(r.reconnects for r in load.readers)} reconnects, "
        f"{sum(r.resubscribes for r in load.readers)} resubscribes"
        if resumed is not None
        else "\ndelivery did not resume"
    )
    assert during, "no sends were made while Redis was away"
    assert _hung(during) == [], "a send hung while Redis was away"
    assert outcomes <= {"ack", "unavailable"}
    assert resumed is not None and resumed <= RESUME_WITHIN_SECONDS
    assert "Traceback" not in logs, "an outage is logged in one line, not as a bug"
    _assert_nothing_lost(load, stored)


# --- a client that stops reading ---------------------------------------------------------


# 2 minutes not reading, after 25 s of steady traffic, and the catching up.
@pytest.mark.timeout(400)
async def test_a_client_that_stops_reading_holds_up_nobody_and_catches_up(
    deployment: Deployment,
) -> None:
    load = Load.of(deployment, "Langsam")
    load.start()
    await asyncio.sleep(STEADY_SECONDS)  # every reader subscribed, steady traffic
    baseline_from = time.monotonic()
    await asyncio.sleep(BASELINE_SECONDS)
    slow: Reader = load.readers[0]
    slow.paused.set()
    slow_from = time.monotonic()
    await asyncio.sleep(SLOW_SECONDS)
    slow_until = time.monotonic()
    slow.paused.clear()
    stored = await load.finish(catch_up_seconds=120)

    baseline = load.latencies(baseline_from, slow_from, skip=slow)
    during = load.latencies(slow_from, slow_until, skip=slow)
    p99_base, p99_slow = percentile(baseline, 0.99), percentile(during, 0.99)
    print(
        f"\nothers' delivery p99: {p99_base * 1000:.1f} ms before, {p99_slow * 1000:.1f} ms "
        f"while one client did not read for {SLOW_SECONDS:.0f} s "
        f"({p99_slow / p99_base:.2f} x; {len(baseline)} and {len(during)} deliveries); "
        f"the slow client reconnected {slow.reconnects} times and caught up to seq {slow.last}"
    )
    assert _hung(list(load.sent.values())) == []
    assert {p.outcome for p in load.sent.values()} <= {"ack"}
    _assert_nothing_lost(load, stored)


# --- the database gone for a moment ---------------------------------------------------------


def _database_connections(deployment: Deployment, allow: bool) -> None:
    """Let nobody (or everybody again) connect to the deployment's database, and end the
    connections it has: for its workers, the database is gone."""
    name = dj_database_url.parse(deployment.env["DATABASE_URL"])["NAME"]
    with psycopg.connect(**postgres_admin(deployment.env["DATABASE_URL"])) as conn:
        conn.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS {str(allow).lower()}')
        if not allow:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                [name],
            )


def _ready(deployment: Deployment) -> list[tuple[int, bytes]]:
    answers = []
    for worker in deployment.workers:
        try:
            with urllib.request.urlopen(f"{worker.http}/readyz", timeout=5) as response:
                answers.append((response.status, response.read()))
        except urllib.error.HTTPError as error:
            answers.append((error.code, error.read()))
    return answers


async def test_the_database_gone_for_a_moment_half_writes_nothing(
    deployment: Deployment,
) -> None:
    load = Load.of(deployment, "DB weg")
    load.start()
    await asyncio.sleep(STEADY_SECONDS)

    down = time.monotonic()
    await asyncio.to_thread(_database_connections, deployment, False)
    await asyncio.sleep(1.0)
    ready_while_away = await asyncio.to_thread(_ready, deployment)
    await asyncio.sleep(OUTAGE_SECONDS - 1.0)
    await asyncio.to_thread(_database_connections, deployment, True)
    up = time.monotonic()
    await asyncio.sleep(RESUME_WITHIN_SECONDS)
    resumed = _resumed_after(load, up)
    ready_after = await asyncio.to_thread(_ready, deployment)
    stored = await load.finish()
    logs = deployment.logs()

    during = [p for p in load.sent.values() if down <= p.at < up]
    print(
        f"\ndatabase away {up - down:.1f} s: readyz {[s for s, _ in ready_while_away]}, then "
        f"{[s for s, _ in ready_after]}; {len(during)} sends then, outcomes "
        f"{sorted({p.outcome for p in during})}; delivery again after {resumed:.2f} s"
    )
    assert all(s == 503 and b"database" in body for s, body in ready_while_away)
    assert all(s == 200 for s, _ in ready_after)
    assert _hung(during) == [] and {p.outcome for p in during} <= {"ack", "unavailable"}
    assert "unavailable" in {p.outcome for p in during}
    assert resumed is not None and resumed <= RESUME_WITHIN_SECONDS
    assert "Traceback" not in logs, "an outage is logged in one line, not as a bug"
    _assert_nothing_lost(load, stored)
