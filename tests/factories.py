"""factory_boy factories for the foundation: users with profiles, and initiatives.

Categories and districts are not made here: a data migration loads them from
initiatives/data/stuttgart.json, so tests use them by slug.
"""

from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth.models import User
from factory.django import DjangoModelFactory

from accounts.models import Profile
from initiatives import services
from initiatives.models import Category, District, Initiative

PASSWORD = "pw-Klima-2035!"


class ProfileFactory(DjangoModelFactory):
    class Meta:
        model = Profile

    user = factory.SubFactory("tests.factories.UserFactory", profile=None)
    display_name = factory.LazyAttribute(lambda p: p.user.username.title())


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password(PASSWORD)
    profile = factory.RelatedFactory(ProfileFactory, factory_related_name="user")


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
