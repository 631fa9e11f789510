"""Fixtures for the rooms tests: people in their roles, an initiative with its rooms,
websocket clients (the realtime teardown of every async test: tests/conftest.py)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
import pytest_asyncio
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import Profile
from accounts.selectors import MODERATORS_GROUP
from initiatives import services as initiative_services
from initiatives.models import Category, Initiative
from rooms import services as room_services
from rooms.models import Room
from tests.rooms.helpers import RECV_TIMEOUT, Client, open_socket

MakePerson = Callable[..., User]
Connect = Callable[[User], Awaitable[Client]]


@pytest.fixture(autouse=True)
def _no_rate_limits(settings: Any) -> None:
    # DESIGN.md: KLIMA_RATE_LIMITS=off lifts the per-user limits "for benchmarks and
    # protocol tests"; several tests here post more than 20 messages in 30 s.
    settings.KLIMA = {**settings.KLIMA, "RATE_LIMITS": False}


@pytest.fixture
def make_person() -> MakePerson:
    """A user with a profile and an API token; `moderator=True` puts them in `moderators`."""
    numbers = itertools.count(1)

    def make(username: str | None = None, *, moderator: bool = False) -> User:
        name = username or f"person{next(numbers)}"
        user = User.objects.create_user(username=name, email=f"{name}@example.org")
        Profile.objects.create(user=user, display_name=name.title())
        Token.objects.create(user=user)
        if moderator:
            user.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
        return user

    return make


@pytest.fixture
def lead(make_person: MakePerson) -> User:
    return make_person("lena")


@pytest.fixture
def member(make_person: MakePerson, initiative: Initiative) -> User:
    """A member (not lead) of `initiative`."""
    user = make_person("jonas")
    initiative_services.initiative_join(user=user, initiative=initiative)
    return user


@pytest.fixture
def outsider(make_person: MakePerson) -> User:
    """Signed in, but in no initiative."""
    return make_person("otto")


@pytest.fixture
def site_moderator(make_person: MakePerson) -> User:
    return make_person("mira", moderator=True)


@pytest.fixture
def initiative(lead: User) -> Initiative:
    return initiative_services.initiative_create(
        user=lead,
        title="Balkonkraftwerke Heslach",
        summary="Wir bauen Steckersolar auf Balkone.",
        category=Category.objects.get(slug="energie"),
        status=Initiative.Status.ACTIVE,
    )


@pytest.fixture
def room(initiative: Initiative) -> Room:
    """The initiative's open room "Allgemein" (its log is empty)."""
    return initiative.rooms.get(title="Allgemein")


@pytest.fixture
def other_room(initiative: Initiative, lead: User) -> Room:
    return room_services.room_create_by_lead(user=lead, initiative=initiative, title="Werkstatt")


@pytest.fixture
def private_room(initiative: Initiative, lead: User) -> Room:
    return room_services.room_create_by_lead(
        user=lead, initiative=initiative, title="Orga", members_only=True
    )


@pytest.fixture
def city_room() -> Room:
    return room_services.room_create(initiative=None, title="Stuttgart")


@pytest.fixture
def api_as() -> Callable[[User], APIClient]:
    """An API client that authenticates as the user with their token."""

    def client(user: User) -> APIClient:
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get(user=user).key}")
        return api

    return client


@pytest_asyncio.fixture
async def connect() -> AsyncIterator[Connect]:
    """Open websocket connections (token auth), each past its `hello`; all of them are
    disconnected at the end of the test, before the hub stops."""
    clients: list[Client] = []

    async def open_connection(user: User) -> Client:
        client = Client(await open_socket(user), user)
        clients.append(client)
        client.hello = await client.recv()
        return client

    yield open_connection
    for client in reversed(clients):
        # A test that timed out on a receive has already cancelled its application.
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await client.comm.disconnect(timeout=RECV_TIMEOUT)
