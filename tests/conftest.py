"""Shared fixtures: API clients, users, moderators."""

from __future__ import annotations

import inspect
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
import pytest_asyncio
from channels.layers import channel_layers
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.selectors import MODERATORS_GROUP
from rooms import grants
from tests.factories import UserFactory
from tests.teardown import stop_realtime


def pytest_configure(config: pytest.Config) -> None:
    # WhiteNoise looks for STATIC_ROOT, which only `collectstatic` (make demo) fills.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # The production hasher costs ~0.5 s per hash; tests only need hashing to work.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
def make_user(db: None) -> Callable[..., User]:
    """Create a user with a profile and the password `tests.factories.PASSWORD`."""

    def make(**fields: Any) -> User:
        return UserFactory(**fields)

    return make


def token_client(user: User) -> APIClient:
    """An API client that authenticates as `user` with `Authorization: Token <key>`."""
    token, _created = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def moderator(make_user: Callable[..., User]) -> User:
    """A user in the group `moderators` (the group itself comes from accounts' post_migrate)."""
    user = make_user(username="moderatorin")
    user.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    return user
