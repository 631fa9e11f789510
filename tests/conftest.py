"""Shared fixtures: API clients, users, moderators, websocket clients."""

from __future__ import annotations

import asyncio
import contextlib
import faulthandler
import inspect
import os
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import pytest_asyncio
from channels.layers import channel_layers
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from rooms import grants
from tests.factories import ApiAs, MakePerson, MakeUser, UserFactory, token_client
from tests.teardown import stop_realtime
from tests.ws import NOTHING_TIMEOUT, RECV_TIMEOUT, SIDE_FRAMES, Client, Connect, open_socket

# CI's second pass: PostgreSQL and Redis (tests marked `services` run only there).
SERVICES = os.environ.get("DATABASE_URL", "").startswith("postgres") and bool(
    os.environ.get("REDIS_URL")
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if SERVICES:
        same = [item for item in items if item.get_closest_marker("embedded_only")]
        if same:
            config.hook.pytest_deselected(items=same)
            items[:] = [item for item in items if not item.get_closest_marker("embedded_only")]
            print(f"\n{len(same)} tests of their own SQLite server ran in the embedded pass.")
        return
    needing = [item for item in items if item.get_closest_marker("services")]
    if needing:
        config.hook.pytest_deselected(items=needing)
        items[:] = [item for item in items if not item.get_closest_marker("services")]
        print(
            f"\n{len(needing)} tests need DATABASE_URL=postgres://... and "
            "REDIS_URL; they run in CI's second pass."
        )


def pytest_configure(config: pytest.Config) -> None:
    # WhiteNoise looks for STATIC_ROOT, which only `collectstatic` (make demo) fills.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """A test marked to run longer than the suite's 120 s (`@pytest.mark.timeout(N)`)
    gets its stacks dumped 20 s before its own limit, not at the suite's 100 s."""
    marker = item.get_closest_marker("timeout")
    if marker and marker.args:
        faulthandler.dump_traceback_later(float(marker.args[0]) - 20, file=sys.__stderr__ or 2)
    return (yield)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # The production hasher costs ~0.5 s per hash; tests only need hashing to work.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _uploads_elsewhere(tmp_path_factory: pytest.TempPathFactory) -> None:
    # Pictures that tests upload (and seed_demo draws) go to a folder of the run's own,
    # set before any storage is made; never into the checkout's media/.
    django_settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _no_grants_from_earlier_tests() -> None:
    # Ids come again after a rollback, and each test has cache keys of its own.
    grants.forget_all()


@pytest.fixture(autouse=True)
def _cache_of_its_own(settings: Any) -> None:
    # Rate limits and throttles count in the cache, which outlives a test (and, on Redis,
    # the process). A key prefix per test starts every test from zero without flushing a
    # Redis that others may share.
    default = settings.CACHES["default"]
    prefix = f"{default.get('KEY_PREFIX', '')}:test-{uuid.uuid4().hex}"
    settings.CACHES = {**settings.CACHES, "default": {**default, "KEY_PREFIX": prefix}}


@pytest.fixture(autouse=True)
def _fresh_realtime(request: pytest.FixtureRequest) -> Iterator[None]:
    """Async tests get a new channel layer (the cached one belongs to an earlier test's
    event loop) and, at their end, the realtime machinery of their loop stopped."""
    if inspect.iscoroutinefunction(request.function):
        channel_layers.backends.clear()
        request.getfixturevalue("_realtime_stopped_after")
    yield


@pytest_asyncio.fixture
async def _realtime_stopped_after() -> AsyncIterator[None]:
    yield
    await stop_realtime()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def make_user(db: None) -> MakeUser:
    """Create a user with a profile, an API token and the password
    `tests.factories.PASSWORD` (fields and options: `tests.factories.UserFactory`)."""

    def make(**fields: Any) -> User:
        return UserFactory(**fields)

    return make


@pytest.fixture
def make_person(make_user: MakeUser) -> MakePerson:
    """`make_user` with the username first, as the realtime tests name their people:
    `make_person("lena")`, `make_person("mira", moderator=True)`."""

    def make(username: str | None = None, **fields: Any) -> User:
        if username is not None:
            fields["username"] = username
        return make_user(**fields)

    return make


@pytest.fixture
def api_as() -> ApiAs:
    """`token_client` as a fixture."""
    return token_client


@pytest.fixture
def moderator(make_user: MakeUser) -> User:
    """A user in the group `moderators`."""
    return make_user(username="moderatorin", moderator=True)


@pytest.fixture
def ws_side_frames() -> frozenset[str]:
    """The frame types `connect`'s clients set aside (tests/ws.py `Client`): presence and
    typing, which tests about the room's log do not look at. tests/presence sees them."""
    return SIDE_FRAMES


@pytest.fixture
def ws_nothing_timeout() -> float:
    """How long `Client.nothing()` waits by default."""
    return NOTHING_TIMEOUT


@pytest_asyncio.fixture
async def connect(
    ws_side_frames: frozenset[str], ws_nothing_timeout: float
) -> AsyncIterator[Connect]:
    """Open websocket connections (token auth), each past its `hello`; the ones still open
    are disconnected at the end of the test, before the hub stops."""
    clients: list[Client] = []

    async def open_connection(user: User) -> Client:
        client = Client(
            await open_socket(user),
            user,
            side_frames=ws_side_frames,
            nothing_timeout=ws_nothing_timeout,
        )
        clients.append(client)
        client.hello = await client.recv()
        assert client.hello["type"] == "hello", client.hello
        return client

    yield open_connection
    for client in reversed(clients):
        if client.open:
            # A test that timed out on a receive has already cancelled its application.
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await client.comm.disconnect(timeout=RECV_TIMEOUT)
