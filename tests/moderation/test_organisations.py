"""Verifying organisations: someone asks from their profile (the moderators are told), a
site moderator verifies or refuses with a reason (audit entry, notification), and only
then, and only while verified, their offers publish and show."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from accounts.models import Notification, Profile
from community import selectors as community
from community import services as community_services
from moderation.models import ModerationAction
from tests.factories import ApiAs, MakeUser

pytestmark = pytest.mark.django_db


@pytest.fixture
def mira(make_user: MakeUser) -> User:
    return make_user(username="mira", moderator=True)


def test_a_request_a_decision_and_what_it_allows(
    api_as: ApiAs, make_user: MakeUser, mira: User
) -> None:
    firma = make_user(username="stiftung", profile__display_name="Stiftung Grün")
    offer = {"kind": "advice", "title": "Energieberatung", "valid_until": str(timezone.localdate())}
    assert api_as(firma).post("/api/offers/", offer, format="json").status_code == 403

    asked = api_as(firma).post("/api/auth/me/verification/")
    assert asked.status_code == 200
    assert asked.json()["kind"] == "organisation" and asked.json()["verified"] is False
    assert asked.json()["verification_requested_at"]
    told = Notification.objects.get(user=mira)
    assert "Stiftung Grün" in told.text and told.url == "/moderation/organisationen/"
    assert api_as(firma).post("/api/auth/me/verification/").status_code == 200  # again: same
    assert Notification.objects.filter(user=mira).count() == 1

    waiting = api_as(mira).get("/api/moderation/organisations/").json()["results"]
    assert [o["user"]["username"] for o in waiting] == ["stiftung"]
    decide = f"/api/moderation/organisations/{firma.pk}/verification/"
    assert api_as(firma).post(decide, {"verified": True}, format="json").status_code == 403
    assert (
        api_as(mira).post(decide, {"verified": False}, format="json").status_code == 400
    )  # reason
    assert api_as(mira).post(decide, {"verified": "ja"}, format="json").status_code == 400
    answer = api_as(mira).post(decide, {"verified": True}, format="json")
    assert answer.status_code == 200 and answer.json()["verified_at"]
    assert ModerationAction.objects.get(kind="verify").target_user == firma
    assert "bestätigt" in Notification.objects.filter(user=firma).latest("pk").text
    assert api_as(firma).post("/api/auth/me/verification/").status_code == 409

    created = api_as(firma).post("/api/offers/", offer, format="json")
    assert created.status_code == 201
    assert community.offers_valid().count() == 1
    taken_back = api_as(mira).post(
        decide, {"verified": False, "reason": "Keine Organisation"}, format="json"
    )
    assert taken_back.status_code == 200
    assert community.offers_valid().count() == 0  # its offers leave the lists at once
    entry = ModerationAction.objects.get(kind="unverify")
    assert entry.reason == "Keine Organisation"
    assert (
        api_as(mira)
        .post(
            f"/api/moderation/organisations/{mira.pk}/verification/",
            {"verified": True},
            format="json",
        )
        .status_code
        == 404
    )  # not an organisation


def test_the_profile_and_the_moderators_page(make_user: MakeUser, mira: User) -> None:
    firma = make_user(username="stiftung", profile__display_name="Stiftung Grün")
    client = Client()
    client.force_login(firma)
    assert "Als Organisation bestätigen lassen" in client.get("/profil/").content.decode()
    assert client.post("/profil/organisation/").status_code == 302
    assert "die Moderation prüft" in client.get("/profil/").content.decode()
    assert client.get("/moderation/organisationen/").status_code == 403

    moderator = Client()
    moderator.force_login(mira)
    page = moderator.get("/moderation/organisationen/").content.decode()
    assert "Stiftung Grün" in page and "Bestätigen" in page
    assert "Organisationen prüfen" in moderator.get("/moderation/").content.decode()
    moderator.post("/moderation/organisationen/", {"user": firma.pk, "verified": "true"})
    firma.profile.refresh_from_db()
    assert firma.profile.is_verified_organisation
    assert "Angebot einstellen" in client.get("/profil/").content.decode()
    community_services.offer_create(
        user=firma, kind="space", title="Saal", valid_until=timezone.localdate() + timedelta(days=3)
    )
    assert Profile.objects.get(user=firma).verification_requested_at is None
