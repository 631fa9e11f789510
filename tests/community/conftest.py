"""The community tests' people: lena leads "Foodsharing Mitte" (district mitte), jonas
is a member, mira a site moderator, "Stadtwerke Stuttgart" a verified organisation and
"Neue Firma" one that is not verified yet."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from accounts.models import Profile
from initiatives.models import Initiative, Membership
from tests.factories import InitiativeFactory, MakeUser


@dataclass
class People:
    lena: User
    jonas: User
    mira: User
    stadtwerke: User
    neue_firma: User
    other_lead: User
    initiative: Initiative


@pytest.fixture
def people(make_user: MakeUser) -> People:
    lena = make_user(username="lena", profile__display_name="Lena")
    initiative = InitiativeFactory(lead=lena, title="Foodsharing Mitte")
    jonas = make_user(username="jonas")
    Membership.objects.create(user=jonas, initiative=initiative)
    mira = make_user(username="mira", moderator=True)
    stadtwerke = make_user(
        username="stadtwerke",
        profile__kind=Profile.Kind.ORGANISATION,
        profile__display_name="Stadtwerke Stuttgart",
        profile__verified_at=timezone.now(),
    )
    neue_firma = make_user(username="neuefirma", profile__kind=Profile.Kind.ORGANISATION)
    other_lead = make_user(username="olga")
    InitiativeFactory(lead=other_lead, title="Repair Café Ost")
    return People(lena, jonas, mira, stadtwerke, neue_firma, other_lead, initiative)
