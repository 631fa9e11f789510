"""Notifications: the list (unread first), marking read, and the live `notification` frame."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import translation

from accounts.models import Notification
from accounts.notifications import notification_create
from moderation import services
from moderation.services import restrictions
from tests.factories import ApiAs
from tests.ws import Connect, committing, orm

NOTIFICATIONS = "/api/notifications/"


@pytest.mark.django_db
def test_the_list_shows_unread_first_then_newest(api_as: ApiAs, member: User, author: User) -> None:
    old = notification_create(user=member, kind="moderation", text="alt")
    read = notification_create(user=member, kind="appeal", text="gelesen")
    new = notification_create(user=member, kind="moderation", text="neu")
    notification_create(user=author, kind="moderation", text="nicht meine")
    api_as(member).post(f"{NOTIFICATIONS}{read.pk}/read/")

    body = api_as(member).get(NOTIFICATIONS).json()

    assert body["count"] == 3
    assert [n["id"] for n in body["results"]] == [new.pk, old.pk, read.pk]
    assert body["results"][2]["read_at"] is not None
    assert set(body["results"][0]) == {
        "id",
        "kind",
        "text",
        "quote",
        "url",
        "created_at",
        "read_at",
    }


@pytest.mark.django_db
def test_marking_read_is_for_ones_own_notifications(
    api_as: ApiAs, member: User, author: User
) -> None:
    theirs = notification_create(user=author, kind="moderation", text="x")

    assert api_as(member).post(f"{NOTIFICATIONS}{theirs.pk}/read/").status_code == 404
    assert api_as(member).post(f"{NOTIFICATIONS}{2**64}/read/").status_code == 404
    assert api_as(None).get(NOTIFICATIONS).status_code == 401
    mine = api_as(author).post(f"{NOTIFICATIONS}{theirs.pk}/read/")
    assert mine.status_code == 200 and mine.json()["read_at"] is not None
    theirs.refresh_from_db()
    assert theirs.read_at is not None


@pytest.mark.django_db
def test_the_text_is_written_in_the_recipients_language(
    monkeypatch: pytest.MonkeyPatch, author: User, site_moderator: User
) -> None:
    author.profile.language = "en"
    author.profile.save()
    languages = []
    original = restrictions._notification_text

    def spy(*args: Any) -> str:
        languages.append(translation.get_language())
        return original(*args)

    monkeypatch.setattr(restrictions, "_notification_text", spy)
    with translation.override("de"):  # the moderator's language
        services.member_mute(
            actor=site_moderator, user_id=author.pk, scope="global", duration=None, reason="x"
        )

    assert languages == ["en"]
    assert Notification.objects.get(user=author).kind == "moderation"


@committing
async def test_a_notification_reaches_every_connection_of_the_user(
    connect: Connect, member: User
) -> None:
    first = await connect(member)
    second = await connect(member)

    created = await orm(
        notification_create, user=member, kind="moderation", text="Hallo", url="/raeume/1/"
    )

    for socket in (first, second):
        frame = await socket.recv(timeout=1.0)
        assert frame == {
            "type": "notification",
            "id": created.pk,
            "kind": "moderation",
            "text": "Hallo",
            "quote": "",
            "url": "/raeume/1/",
            "created_at": created.created_at.isoformat().replace("+00:00", "Z"),
        }
