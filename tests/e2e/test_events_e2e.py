"""Seats and live counters against real server processes: 20 people ask for 5 places
at the same moment over REST (SQLite: its own server; PostgreSQL: the two workers), and
a shift's counter reaches a watcher on the other worker."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests.e2e.protocol import Client
from tests.e2e.servers import Deployment, sqlite_deployment

pytestmark = pytest.mark.e2e

INITIATIVE = "repair-cafe-stuttgart-west"  # lena leads it (demo data)


@pytest.fixture(scope="module")
def sqlite_daphne(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """One worker on the embedded default, as `make demo` runs it."""
    deployment = sqlite_deployment(Path(tmp_path_factory.mktemp("e2e-events")))
    try:
        deployment.start_worker("daphne")
        yield deployment
    finally:
        deployment.close()


def _when(days: int, hours: int = 0) -> str:
    return (timezone.now() + timedelta(days=days, hours=hours)).isoformat()


def _create(deployment: Deployment, path: str, body: dict[str, Any]) -> int:
    status, created = deployment.request("POST", path, body, token=deployment.token("lena"))
    assert status == 201, created
    return int(created["id"])


def _five_places(deployment: Deployment) -> tuple[int, int]:
    event = _create(
        deployment,
        "/api/events/",
        {
            "title": "Kochtag mit Resten",
            "start": _when(5),
            "end": _when(5, 4),
            "place": "Gemeindesaal West",
            "initiative": INITIATIVE,
            "capacity": 5,
        },
    )
    shift = _create(
        deployment,
        f"/api/initiatives/{INITIATIVE}/shifts/",
        {"title": "Schnippeln", "start": _when(5), "end": _when(5, 2), "capacity": 5},
    )
    return event, shift


def _all_at_once(deployment: Deployment, path: str, tokens: list[str]) -> list[str]:
    """Every token POSTs `path` at the same moment; their answers' statuses in order."""
    with ThreadPoolExecutor(max_workers=len(tokens)) as pool:
        answers = list(pool.map(lambda t: deployment.request("POST", path, token=t), tokens))
    assert {code for code, _body in answers} <= {200, 201}, answers
    return [body["status"] for _code, body in answers]


def twenty_for_five(deployment: Deployment, label: str) -> None:
    event, shift = _five_places(deployment)
    tokens = deployment.people(label, 20)

    for seats, counters in (
        (f"/api/events/{event}/rsvp/", f"/api/events/{event}/"),
        (f"/api/shifts/{shift}/signup/", f"/api/initiatives/{INITIATIVE}/shifts/"),
    ):
        statuses = _all_at_once(deployment, seats, tokens)
        assert Counter(statuses) == {"going": 5, "waitlist": 15}, seats
        code, body = deployment.request("GET", counters)
        assert code == 200
        item = body if "rsvp" in seats else next(s for s in body["results"] if s["id"] == shift)
        assert (item["going"], item["waitlist"], item["free"]) == (5, 15, 0)

        # A freed seat moves exactly one person up, and tells them (once: the same
        # person may have moved up for the event already, one loop before).
        told_before = {t: _waitlist_notes(deployment, t) for t in tokens}
        leaving = tokens[statuses.index("going")]
        assert deployment.request("DELETE", seats, token=leaving) == (200, {"status": None})
        now = [deployment.request("GET", seats, token=t)[1]["status"] for t in tokens]
        waiting_before = [t for t, s in zip(tokens, statuses, strict=True) if s == "waitlist"]
        moved = [t for t in waiting_before if now[tokens.index(t)] == "going"]
        assert len(moved) == 1 and Counter(now) == {"going": 5, "waitlist": 14, None: 1}
        told = {t: _waitlist_notes(deployment, t) - told_before[t] for t in tokens}
        assert told == {t: int(t == moved[0]) for t in tokens}
        # The same moment again: nobody gets a second seat, nobody loses theirs.
        assert _all_at_once(deployment, seats, tokens) == [s or "waitlist" for s in now]


@pytest.mark.embedded_only
def test_twenty_people_for_five_places_at_once_on_sqlite(sqlite_daphne: Deployment) -> None:
    twenty_for_five(sqlite_daphne, "sqlite")


@pytest.mark.services
def test_twenty_people_for_five_places_at_once_on_postgresql(redis_workers: Deployment) -> None:
    twenty_for_five(redis_workers, "postgres")


@pytest.mark.services
async def test_a_shifts_counter_reaches_a_watcher_on_the_other_worker(
    redis_workers: Deployment,
) -> None:
    _event, shift = _five_places(redis_workers)
    volunteers = redis_workers.people("live", 3)
    code, initiative = redis_workers.request("GET", f"/api/initiatives/{INITIATIVE}/")
    assert code == 200
    b = redis_workers.workers[1]  # REST goes to workers[0]
    jonas = await Client.connect(b.ws, redis_workers.token("jonas"))
    try:
        await jonas.send({"type": "watch", "initiative": initiative["id"], "ref": "w"})
        watching = await jonas.recv_type("watching")
        [counter] = [c for c in watching["counters"] if c["kind"] == "shift" and c["id"] == shift]
        assert (counter["going"], counter["free"]) == (0, 5)

        signup = f"/api/shifts/{shift}/signup/"
        redis_workers.request("POST", signup, token=volunteers[0])
        frame = await jonas.recv_type("seats", timeout=5)
        assert frame["counter"]["id"] == shift
        assert (frame["counter"]["going"], frame["counter"]["free"]) == (1, 4)
    finally:
        await jonas.close()

    # Away while two more sign up: watching again gives the counts as they are now.
    for token in volunteers[1:]:
        redis_workers.request("POST", signup, token=token)
    jonas = await Client.connect(b.ws, redis_workers.token("jonas"))
    try:
        await jonas.send({"type": "watch", "initiative": initiative["id"]})
        watching = await jonas.recv_type("watching")
        [counter] = [c for c in watching["counters"] if c["kind"] == "shift" and c["id"] == shift]
        assert (counter["going"], counter["free"], counter["version"]) == (3, 2, 3)
    finally:
        await jonas.close()


def _waitlist_notes(deployment: Deployment, token: str) -> int:
    """How many `waitlist` notifications this person has (moved up from a waiting list)."""
    code, notes = deployment.request("GET", "/api/notifications/", token=token)
    assert code == 200
    return sum(1 for n in notes["results"] if n["kind"] == "waitlist")
