"""Fixtures for the moderation tests: people in every role, an initiative with its room,
a second initiative, websocket clients, and rate-limit keys of each test's own (the
realtime teardown of every async test: tests/conftest.py)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest
import pytest_asyncio
from django.contrib.auth.models import Group, User
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import Profile
from accounts.selectors import MODERATORS_GROUP
from common import ratelimit
from initiatives import services as initiative_services
from initiatives.models import Category, Initiative
from moderation.models import Ban, Mute
from rooms import services as room_services
from rooms.models import Message, Room
from tests.rooms.helpers import RECV_TIMEOUT, Client, cid, open_socket

MakePerson = Callable[..., User]
Connect = Callable[[User], Awaitable[Client]]
ApiAs = Callable[[User | None], APIClient]

# Live tests commit for real: services broadcast with `transaction.on_commit`.
# `serialized_rollback` brings back the data migration's categories after the flush.
realtime = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROLES = [
    "anonymous",
    "member",
    "non_member",
    "lead_here",
    "lead_elsewhere",
    "moderator",
    "muted",
    "banned",
]


@pytest.fixture(autouse=True)
def _own_rate_limit_keys(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    """Rate limits on (the default), counted under keys no other test shares: user ids
    repeat between tests, and the cache (LocMem or Redis) outlives each test."""
    settings.KLIMA = {**settings.KLIMA, "RATE_LIMITS": True}
    monkeypatch.setattr(ratelimit, "KEY_PREFIX", f"rl-{uuid.uuid4().hex[:12]}")


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


def _initiative(lead: User, title: str) -> Initiative:
    category, _ = Category.objects.get_or_create(slug="energie", defaults={"name": "Energie"})
    return initiative_services.initiative_create(
        user=lead,
        title=title,
        summary="Gemeinsam etwas fürs Klima tun.",
        category=category,
        status=Initiative.Status.ACTIVE,
    )


@pytest.fixture
def lead(make_person: MakePerson) -> User:
    return make_person("lena")


@pytest.fixture
def initiative(lead: User) -> Initiative:
    return _initiative(lead, "Balkonkraftwerke Heslach")


@pytest.fixture
def room(initiative: Initiative) -> Room:
    """The initiative's open room "Allgemein"."""
    return initiative.rooms.get(title="Allgemein")


@pytest.fixture
def other_lead(make_person: MakePerson) -> User:
    return make_person("olga")


@pytest.fixture
def other_initiative(other_lead: User) -> Initiative:
    return _initiative(other_lead, "Repair-Café Ost")


@pytest.fixture
def city_room() -> Room:
    return room_services.room_create(initiative=None, title="Stuttgart")


def join(user: User, initiative: Initiative) -> User:
    initiative_services.initiative_join(user=user, initiative=initiative)
    return user


@pytest.fixture
def member(make_person: MakePerson, initiative: Initiative) -> User:
    return join(make_person("jonas"), initiative)


@pytest.fixture
def author(make_person: MakePerson, initiative: Initiative) -> User:
    """A member whose messages get reported, hidden, and who gets muted or banned."""
    return join(make_person("toni"), initiative)


@pytest.fixture
def outsider(make_person: MakePerson) -> User:
    """Signed in, in no initiative."""
    return make_person("otto")


@pytest.fixture
def site_moderator(make_person: MakePerson) -> User:
    return make_person("mira", moderator=True)


def mute(
    user: User,
    *,
    room: Room | None = None,
    minutes: int | None = 60,
    by: User | None = None,
    initiative: Initiative | None = None,
) -> Mute:
    """A mute straight in the database (the service is what the tests check)."""
    until = timezone.now() + timedelta(minutes=minutes) if minutes is not None else None
    return Mute.objects.create(
        user=user, room=room, initiative=initiative, until=until, reason="Test", created_by=by
    )


def ban(user: User, *, room: Room | None = None, by: User | None = None) -> Ban:
    return Ban.objects.create(user=user, room=room, until=None, reason="Test", created_by=by)


@pytest.fixture
def actor_for(
    make_person: MakePerson,
    initiative: Initiative,
    room: Room,
    lead: User,
    other_lead: User,
    other_initiative: Initiative,
    site_moderator: User,
) -> Callable[[str], User | None]:
    """The user acting in a role of ROLES (None: anonymous)."""

    def actor(role: str) -> User | None:
        if role == "anonymous":
            return None
        if role == "member":
            return join(make_person("mitglied"), initiative)
        if role == "non_member":
            return make_person("fremd")
        if role == "lead_here":
            return lead
        if role == "lead_elsewhere":
            return other_lead
        if role == "moderator":
            return site_moderator
        if role == "muted":
            user = join(make_person("stumm"), initiative)
            mute(user, room=room)
            return user
        if role == "banned":
            user = join(make_person("gesperrt"), initiative)
            ban(user, room=room)
            return user
        raise AssertionError(role)

    return actor


@pytest.fixture
def api_as() -> ApiAs:
    """An API client authenticated by the user's token (None: anonymous)."""

    def client(user: User | None) -> APIClient:
        api = APIClient()
        if user is not None:
            api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get(user=user).key}")
        return api

    return client


def post(user: User, room: Room, body: str = "Hallo zusammen") -> Message:
    """A message through the one send service."""
    return room_services.message_post(
        user=user, room_id=room.pk, body=body, client_id=cid()
    ).message


@pytest_asyncio.fixture
async def connect() -> AsyncIterator[Connect]:
    """Open websocket connections (token auth), each past its `hello`; all are closed at
    the end of the test, before the hub stops."""
    clients: list[Client] = []

    async def open_connection(user: User) -> Client:
        client = Client(await open_socket(user), user)
        clients.append(client)
        client.hello = await client.recv()
        return client

    yield open_connection
    for client in reversed(clients):
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await client.comm.disconnect(timeout=RECV_TIMEOUT)
