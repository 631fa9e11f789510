"""The console's page, the guide, and a member's appeal: from the notification's link
to the outcome."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client

from accounts.models import Notification
from moderation.models import Appeal, ModerationAction
from moderation.services import appeals, restrictions
from rooms.models import Room
from tests.factories import InitiativeFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_console_is_for_moderators_and_leads_with_their_part(
    make_user: Callable[..., User],
) -> None:
    lead, member, moderator = make_user(), make_user(), make_user(moderator=True)
    initiative = InitiativeFactory(lead=lead)
    MembershipFactory(initiative=initiative, user=member)
    other = InitiativeFactory(lead=make_user(), title="Anderswo")

    assert signed_in(member).get("/moderation/").status_code == 403
    page = signed_in(lead).get("/moderation/").content.decode()
    state = json.loads(re.search(r'id="console-state"[^>]*>(.*?)</script>', page, re.S).group(1))
    assert state["moderator"] is False
    assert set(state["names"]["initiatives"]) == {str(initiative.pk)}
    assert "Einsprüche" not in page
    everything = signed_in(moderator).get("/moderation/").content.decode()
    assert "Einsprüche" in everything and other.title in everything
    assert 'href="/moderation/"' in signed_in(lead).get("/").content.decode()
    assert 'href="/moderation/"' not in signed_in(member).get("/").content.decode()
    assert "Leitfaden" in Client().get("/moderation/leitfaden/").content.decode()


def test_a_muted_member_appeals_from_the_notification_and_reads_the_outcome(
    make_user: Callable[..., User],
) -> None:
    lead, member, moderator = make_user(), make_user(), make_user(moderator=True)
    initiative = InitiativeFactory(lead=lead)
    MembershipFactory(initiative=initiative, user=member)
    room = Room.objects.get(initiative=initiative)
    restrictions.member_mute(
        actor=lead, user_id=member.pk, scope={"room": room.pk}, duration=3600, reason="Spam"
    )
    action = ModerationAction.objects.get(kind="mute", target_user=member)
    told = Notification.objects.get(user=member)
    assert told.url == f"/einspruch/{action.pk}/"

    client = signed_in(member)
    page = client.get(told.url).content.decode()
    assert "Spam" in page and "Einspruch einlegen" in page
    assert signed_in(lead).get(told.url).status_code == 404
    empty = client.post(told.url, {"text": ""})
    assert "field-error" in empty.content.decode()
    client.post(told.url, {"text": "Das war eine Frage, keine Werbung."})
    assert "prüft deinen Einspruch" in client.get(told.url).content.decode()
    appeal = Appeal.objects.get(user=member)
    assert client.post(told.url, {"text": "Noch einmal"}).status_code == 200
    assert Appeal.objects.filter(user=member).count() == 1

    appeals.appeal_decide(actor=moderator, appeal_id=appeal.pk, decision="reverse", reason="Stimmt")
    outcome = Notification.objects.filter(user=member, kind="appeal").get()
    assert outcome.url == told.url
    page = client.get(told.url).content.decode()
    assert "Ergebnis" in page and "Stimmt" in page
