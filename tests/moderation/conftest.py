"""Fixtures for the moderation tests: people in every role, an initiative with its room,
a second initiative, and rate-limit keys of each test's own (people and websocket
clients: tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User

from initiatives import services as initiative_services
from initiatives.models import Initiative
from rooms import services as room_services
from rooms.models import Message, Room
from tests.factories import BanFactory, InitiativeFactory, MakePerson, MuteFactory
from tests.ws import cid

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
def _rate_limits_on(settings: Any) -> None:
    """Rate limits on, as by default (the rooms tests switch them off); each test counts
    under a cache prefix of its own (tests/conftest.py)."""
    settings.KLIMA = {**settings.KLIMA, "RATE_LIMITS": True}


@pytest.fixture
def lead(make_person: MakePerson) -> User:
    return make_person("lena")


@pytest.fixture
def initiative(lead: User) -> Initiative:
    return InitiativeFactory(lead=lead, title="Balkonkraftwerke Heslach", district=None)


@pytest.fixture
def room(initiative: Initiative) -> Room:
    """The initiative's open room "Allgemein"."""
    return initiative.rooms.get(title="Allgemein")


@pytest.fixture
def other_lead(make_person: MakePerson) -> User:
    return make_person("olga")


@pytest.fixture
def other_initiative(other_lead: User) -> Initiative:
    return InitiativeFactory(lead=other_lead, title="Repair-Café Ost", district=None)


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
            MuteFactory(user=user, room=room)
            return user
        if role == "banned":
            user = join(make_person("gesperrt"), initiative)
            BanFactory(user=user, room=room)
            return user
        raise AssertionError(role)

    return actor


def post(user: User, room: Room, body: str = "Hallo zusammen") -> Message:
    """A message through the one send service."""
    return room_services.message_post(
        user=user, room_id=room.pk, body=body, client_id=cid()
    ).message
