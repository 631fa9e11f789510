"""Fixtures for the presence tests: short presence times, a fresh channel layer, hub and
presence keeper per async test, the presence stores, people, rooms and websocket clients."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
import pytest_asyncio
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token

from accounts.models import Profile
from initiatives import services as initiative_services
from initiatives.models import Category, Initiative
from presence.store import MemoryStore, RedisStore
from rooms import services as room_services
from rooms.models import Room
from tests.teardown import stop_realtime
from tests.rooms.helpers import open_socket

REDIS_URL = os.environ.get("REDIS_URL", "")

# Consumer tests commit for real (broadcasts wait for on_commit); `serialized_rollback`
# brings back the categories of the data migration that the flush removes.
realtime = pytest.mark.django_db(transaction=True, serialized_rollback=True)

RECV_TIMEOUT = 5.0
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


# --- people -------------------------------------------------------------------

MakePerson = Callable[..., User]


@pytest.fixture
def make_person() -> MakePerson:
    """A user with a profile (display name = title-cased username) and an API token."""
    numbers = itertools.count(1)

    def make(username: str | None = None) -> User:
        name = username or f"person{next(numbers)}"
        user = User.objects.create_user(username=name, email=f"{name}@example.org")
        Profile.objects.create(user=user, display_name=name.title())
        Token.objects.create(user=user)
        return user

    return make


def public(user: User) -> dict[str, Any]:
    """The `user` object of PROTOCOL.md for a user made by `make_person`."""
    return {"id": user.pk, "username": user.username, "display_name": user.username.title()}


# --- websocket clients ------------------------------------------------------------


class Client:
    """One websocket connection; unlike the rooms tests' client it sees every frame.

    One exception: right after its own `subscribe`, the server may or may not deliver
    announcements that the `subscribed` snapshot already shows (the subscriber's own
    arrival, or another's arrival announced a moment before): it depends on whether
    the fan-out delivers them before or after `subscribed`, which varies on Redis.
    docs/protocol.md allows it ("one may repeat what `subscribed.presence` showed").
    Such repeats are set aside while they come before the room's first real change."""

    def __init__(self, comm: WebsocketCommunicator, user: User) -> None:
        self.comm = comm
        self.user = user
        self.open = True
        self.repeats: dict[int, list[dict[str, Any]]] = {}
        self.repeats_seen = 0

    async def send(self, frame: dict[str, Any]) -> None:
        await self.comm.send_to(text_data=json.dumps(frame))

    def _is_repeat(self, frame: dict[str, Any]) -> bool:
        room = frame.get("room")
        if frame.get("type") not in ("presence", "typing") or room not in self.repeats:
            return False
        # The room's presence and typing frames come in the order they were announced:
        # once a real change arrives, no late repeat of the snapshot is left to come.
        allowed = self.repeats[room]
        if frame not in allowed:
            del self.repeats[room]
            return False
        allowed.remove(frame)
        if not allowed:
            del self.repeats[room]
        self.repeats_seen += 1
        return True

    async def recv(self, timeout: float = RECV_TIMEOUT) -> dict[str, Any]:
        while True:
            frame = await self.comm.receive_json_from(timeout=timeout)
            assert isinstance(frame, dict)
            if not self._is_repeat(frame):
                return frame

    async def collect(self, timeout: float) -> list[dict[str, Any]]:
        """Every frame that arrives within `timeout` (waits all of it)."""
        frames = []
        deadline = asyncio.get_running_loop().time() + timeout
        while (remaining := deadline - asyncio.get_running_loop().time()) > 0:
            if await self.comm.receive_nothing(timeout=remaining):
                break
            frame = await self.comm.receive_json_from(timeout=RECV_TIMEOUT)
            if not self._is_repeat(frame):
                frames.append(frame)
        return frames

    async def nothing(self, timeout: float = NOTHING_TIMEOUT) -> None:
        """No frame at all arrives within `timeout`."""
        assert await self.collect(timeout) == []

    async def request(self, frame: dict[str, Any]) -> dict[str, Any]:
        await self.send(frame)
        return await self.recv()

    async def subscribe(self, room: int) -> dict[str, Any]:
        reply = await self.request({"type": "subscribe", "room": room})
        assert reply["type"] == "subscribed", reply
        if "presence_counts" in reply:
            shown = [{"type": "presence", "room": room, "counts": reply["presence_counts"]}]
        else:
            shown = [{"type": "presence", "room": room, **entry} for entry in reply["presence"]]
        if shown:
            self.repeats[room] = shown
        return reply

    async def presence(self, timeout: float = RECV_TIMEOUT) -> dict[str, Any]:
        frame = await self.recv(timeout)
        assert frame["type"] == "presence", frame
        return frame

    async def close(self) -> None:
        self.open = False
        await self.comm.disconnect(timeout=RECV_TIMEOUT)


Connect = Callable[[User], Awaitable[Client]]


@pytest_asyncio.fixture
async def connect() -> AsyncIterator[Connect]:
    """Open token-authenticated connections, each past its `hello`; the ones still open
    are closed at the end of the test (before the hub and keeper stop)."""
    clients: list[Client] = []

    async def open_connection(user: User) -> Client:
        client = Client(await open_socket(user), user)
        clients.append(client)
        hello = await client.recv()
        assert hello["type"] == "hello", hello
        return client

    yield open_connection
    for client in reversed(clients):
        if client.open:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await client.comm.disconnect(timeout=RECV_TIMEOUT)


# --- people and rooms ---------------------------------------------------------------


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
    initiative = initiative_services.initiative_create(
        user=lena,
        title="Balkonkraftwerke Heslach",
        summary="Wir bauen Steckersolar auf Balkone.",
        category=Category.objects.get(slug="energie"),
        status=Initiative.Status.ACTIVE,
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
