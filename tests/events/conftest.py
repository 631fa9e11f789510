"""Fixtures and makers of the events tests: lena leads "Foodsharing Mitte"; events and
shifts are made through the services, as the API and pages make them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from events import services
from events.models import Event, Shift
from initiatives.models import Initiative
from tests.factories import InitiativeFactory, MakeUser

SOON = timedelta(days=3)


@pytest.fixture
def lead(make_user: MakeUser) -> User:
    return make_user(username="lena", profile__display_name="Lena")


@pytest.fixture
def initiative(lead: User) -> Initiative:
    return InitiativeFactory(lead=lead, title="Foodsharing Mitte")


def make_event(
    lead: User, initiative: Initiative | None, capacity: int = 0, **fields: object
) -> Event:
    start = timezone.now() + SOON
    return services.event_create(
        user=lead,
        initiative=initiative,
        title=str(fields.pop("title", "Kochtag")),
        start=start,
        end=start + timedelta(hours=3),
        place=str(fields.pop("place", "Gemeindesaal West")),
        capacity=capacity,
        **fields,  # type: ignore[arg-type]
    )


def make_shift(
    lead: User, initiative: Initiative, capacity: int, event: Event | None = None
) -> Shift:
    start = timezone.now() + SOON
    return services.shift_create(
        user=lead,
        initiative=initiative,
        title="Aufbau",
        start=start,
        end=start + timedelta(hours=2),
        capacity=capacity,
        event=event,
    )
