"""Fixtures for the presence tests: short presence times, a fresh channel layer, hub and
presence keeper per async test, the presence stores, people, rooms, and websocket clients
that see every frame (the `connect` fixture: tests/conftest.py)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from django.contrib.auth.models import User

from initiatives import services as initiative_services
from initiatives.models import Initiative
from presence.store import MemoryStore, RedisStore
from rooms import services as room_services
from rooms.models import Room
from tests.factories import InitiativeFactory, MakePerson
from tests.teardown import stop_realtime

REDIS_URL = os.environ.get("REDIS_URL", "")

# `Client.nothing()` waits 0.3 s here and 0.2 s in the rooms tests, as each suite did
# before they shared one client: no test waits out a shorter or longer quiet than it did.
NOTHING_TIMEOUT = 0.3

# Short enough that tests wait sub-second for a grace, never a real 5 s. The heartbeat
# is off by default (its first beat would come after the test), so that a test about
# the grace is not also one about the beat; `fast_beat` switches it on.
GRACE = 0.3
TTL = 60
SWEEP = 60
FAST_TTL = 1
# Long enough to be sure that nothing more comes once a grace is over.
AFTER_GRACE = GRACE + 0.3
FAST_SWEEP = 0.2


@pytest.fixture(autouse=True)
def _presence_settings(settings: Any) -> str:
    """Short presence times and, per test, a Redis key prefix of its own."""
    settings.KLIMA = {
        **settings.KLIMA,
        "RATE_LIMITS": False,
        "PRESENCE_GRACE_SECONDS": GRACE,
        "PRESENCE_TTL_SECONDS": TTL,
        "PRESENCE_SWEEP_SECONDS": SWEEP,
        "PRESENCE_LARGE_ROOM": 100,
        "TYPING_THROTTLE_SECONDS": 3,
    }
    settings.REDIS_PREFIX = f"klima-test-presence-{uuid.uuid4().hex[:10]}"
    return settings.REDIS_PREFIX


@pytest.fixture
def fast_beat(settings: Any) -> None:
    """Entries live FAST_TTL seconds unless refreshed; the keeper beats every FAST_SWEEP."""
    settings.KLIMA = {
        **settings.KLIMA,
        "PRESENCE_TTL_SECONDS": FAST_TTL,
        "PRESENCE_SWEEP_SECONDS": FAST_SWEEP,
    }


def _delete_keys(prefix: str) -> None:
    if not REDIS_URL:
        return
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        keys = list(client.scan_iter(f"{prefix}:presence:*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest_asyncio.fixture
async def _realtime_stopped_after(_presence_settings: str) -> AsyncIterator[None]:
    """tests/conftest.py's, and then this test's presence keys deleted."""
    yield
    await stop_realtime()
    _delete_keys(_presence_settings)


# --- stores -----------------------------------------------------------------

STORES = ["memory", *(["redis"] if REDIS_URL else [])]


@pytest_asyncio.fixture(params=STORES)
async def store(request: pytest.FixtureRequest) -> AsyncIterator[MemoryStore | RedisStore]:
    """Each available presence store, empty: MemoryStore always, RedisStore with REDIS_URL
    (under a prefix of its own, whose keys are deleted afterwards)."""
    if request.param == "memory":
        yield MemoryStore()
        return
    prefix = f"klima-test-store-{uuid.uuid4().hex[:10]}"
    redis_store = RedisStore(REDIS_URL, prefix)
    try:
        yield redis_store
    finally:
        await redis_store.redis.aclose()
        _delete_keys(prefix)


# --- websocket clients ------------------------------------------------------------


@pytest.fixture
def ws_side_frames() -> frozenset[str]:
    """Presence and typing are what these tests are about: their clients see every frame
    (but repeats of a `subscribed` snapshot: tests/ws.py `Client`)."""
    return frozenset()


@pytest.fixture
def ws_nothing_timeout() -> float:
    """See NOTHING_TIMEOUT."""
    return NOTHING_TIMEOUT


# --- people and rooms ---------------------------------------------------------------


def public(user: User) -> dict[str, Any]:
    """The `user` object of PROTOCOL.md for a user made by `make_person`."""
    return {"id": user.pk, "username": user.username, "display_name": user.username.title()}


@pytest.fixture
def lena(make_person: MakePerson) -> User:
    """Leads the initiative (when a test uses `initiative`)."""
    return make_person("lena")


@pytest.fixture
def jonas(make_person: MakePerson) -> User:
    return make_person("jonas")


@pytest.fixture
def otto(make_person: MakePerson) -> User:
    """Signed in, in no initiative."""
    return make_person("otto")


@pytest.fixture
def city_room() -> Room:
    return room_services.room_create(initiative=None, title="Test")


@pytest.fixture
def initiative(lena: User, jonas: User) -> Initiative:
    """Lena leads it, Jonas is a member."""
    initiative = InitiativeFactory(
        lead=lena,
        title="Balkonkraftwerke Heslach",
        summary="Wir bauen Steckersolar auf Balkone.",
        district=None,
    )
    initiative_services.initiative_join(user=jonas, initiative=initiative)
    return initiative


@pytest.fixture
def open_room(initiative: Initiative) -> Room:
    """The initiative's room "Allgemein": any signed-in user may read it."""
    return initiative.rooms.get(title="Allgemein")


@pytest.fixture
def private_room(initiative: Initiative, lena: User) -> Room:
    return room_services.room_create_by_lead(
        user=lena, initiative=initiative, title="Orga", members_only=True
    )
