"""Fixtures for the rooms tests: people in their roles, an initiative with its rooms
(people and websocket clients: tests/conftest.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from initiatives import services as initiative_services
from initiatives.models import Initiative
from rooms import services as room_services
from rooms.models import Room
from tests.factories import InitiativeFactory, MakePerson


@pytest.fixture(autouse=True)
def _no_rate_limits(settings: Any) -> None:
    # DESIGN.md: KLIMA_RATE_LIMITS=off lifts the per-user limits "for benchmarks and
    # protocol tests"; several tests here post more than 20 messages in 30 s.
    settings.KLIMA = {**settings.KLIMA, "RATE_LIMITS": False}


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
    return InitiativeFactory(
        lead=lead,
        title="Balkonkraftwerke Heslach",
        summary="Wir bauen Steckersolar auf Balkone.",
        district=None,
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
