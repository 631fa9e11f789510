"""factory_boy factories for every model the tests make directly: users (with a profile
and an API token), initiatives, memberships, rooms, reports, mutes and bans.

Categories and districts are not made here: a data migration loads them from
initiatives/data/stuttgart.json, so tests use them by slug. Messages come from the send
service (tests/rooms/helpers.py `post`), which also writes the room's log. Also here:
API clients that authenticate as a user, and the types of the fixtures that make
people and clients (tests/conftest.py), for test modules to import.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import factory
from django.contrib.auth.models import Group, User
from django.utils import timezone
from factory.django import DjangoModelFactory
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import Profile
from accounts.selectors import MODERATORS_GROUP
from initiatives import services
from initiatives.models import Category, District, Initiative, Membership
from moderation.models import Ban, Mute, Report
from rooms.models import Room

PASSWORD = "pw-Klima-2035!"

MakeUser = Callable[..., User]  # the `make_user` fixture (tests/conftest.py)
MakePerson = Callable[..., User]  # the `make_person` fixture
ApiAs = Callable[[User | None], APIClient]  # the `api_as` fixture


def token_client(user: User | None) -> APIClient:
    """An API client that authenticates as `user` with `Authorization: Token <key>`
    (None: anonymous)."""
    client = APIClient()
    if user is not None:
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


class ProfileFactory(DjangoModelFactory):
    class Meta:
        model = Profile

    user = factory.SubFactory("tests.factories.UserFactory", profile=None)
    # tests/presence's `public()` relies on it: the protocol's user object without a query.
    display_name = factory.LazyAttribute(lambda p: p.user.username.title())


class TokenFactory(DjangoModelFactory):
    class Meta:
        model = Token

    user = factory.SubFactory("tests.factories.UserFactory", token=None)


class UserFactory(DjangoModelFactory):
    """A user with the password PASSWORD, a profile and an API token (websocket and REST
    tests authenticate with it).

    `token=None` leaves the token out, as after registering: the first login makes it.
    `moderator=True` puts the user in the group of site moderators."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password(PASSWORD)
    profile = factory.RelatedFactory(ProfileFactory, factory_related_name="user")
    token = factory.RelatedFactory(TokenFactory, factory_related_name="user")

    @factory.post_generation
    def moderator(self, create: bool, extracted: bool | None, **kwargs: Any) -> None:
        if create and extracted:
            # accounts' post_migrate makes the group; this does not rely on it.
            group, _created = Group.objects.get_or_create(name=MODERATORS_GROUP)
            self.groups.add(group)


class InitiativeFactory(factory.Factory):
    """Goes through `initiative_create`, so the lead membership and room "Allgemein" exist."""

    class Meta:
        model = Initiative

    lead = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Initiative Nummer {n}")
    summary = "Gemeinsam etwas fürs Klima tun."
    description = ""
    category = factory.LazyFunction(lambda: Category.objects.get(slug="energie"))
    district = factory.LazyFunction(lambda: District.objects.get(slug="mitte"))
    status = Initiative.Status.ACTIVE

    @classmethod
    def _build(cls, model_class: type[Initiative], *args: Any, **kwargs: Any) -> Initiative:
        raise NotImplementedError("initiatives are only made through initiative_create")

    @classmethod
    def _create(cls, model_class: type[Initiative], *args: Any, **kwargs: Any) -> Initiative:
        return services.initiative_create(user=kwargs.pop("lead"), **kwargs)


class MembershipFactory(DjangoModelFactory):
    """A membership straight in the database, in any role (`initiative_join` makes
    members only)."""

    class Meta:
        model = Membership

    initiative = factory.SubFactory(InitiativeFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER


class RoomFactory(DjangoModelFactory):
    """A room straight in the database, city-wide unless given an `initiative`."""

    class Meta:
        model = Room

    initiative = None
    title = factory.Sequence(lambda n: f"Raum {n}")


class ReportFactory(DjangoModelFactory):
    """A report of `message` (required: messages come from the send service)."""

    class Meta:
        model = Report

    reporter = factory.SubFactory(UserFactory)
    reason = Report.Reason.SPAM


class _RestrictionFactory(DjangoModelFactory):
    """A mute or ban straight in the database (tests of the moderation services go through
    those): global unless given a `room` or an `initiative`."""

    class Meta:
        abstract = True

    user = factory.SubFactory(UserFactory)
    room = None
    initiative = None
    until = None
    reason = "Test"
    created_by = None


class MuteFactory(_RestrictionFactory):
    """For `minutes` (60 by default; None: for ever)."""

    class Meta:
        model = Mute

    class Params:
        minutes = 60

    until = factory.LazyAttribute(
        lambda m: None if m.minutes is None else timezone.now() + timedelta(minutes=m.minutes)
    )


class BanFactory(_RestrictionFactory):
    """For ever."""

    class Meta:
        model = Ban
