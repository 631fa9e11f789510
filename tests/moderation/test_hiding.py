"""Hide and unhide: the room event, what REST history, threads and replay show to whom,
and the live event on every subscriber's socket."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from moderation import services
from moderation.models import ModerationAction
from rooms import selectors as room_selectors
from rooms import services as room_services
from rooms.models import Message, Room, RoomEvent
from tests.factories import ApiAs
from tests.moderation.conftest import post
from tests.ws import Connect, cid, committing, orm

HIDE = "/api/moderation/messages/{}/hide/"
UNHIDE = "/api/moderation/messages/{}/unhide/"


def history(api_as: ApiAs, user: User, room: Room) -> list[dict[str, Any]]:
    response = api_as(user).get(f"/api/rooms/{room.pk}/messages/")
    assert response.status_code == 200
    return list(response.json()["results"])


@pytest.mark.django_db
def test_hide_logs_the_event_and_history_shows_null_to_members_and_text_to_moderators(
    api_as: ApiAs, room: Room, author: User, member: User, lead: User, site_moderator: User
) -> None:
    message = post(author, room, "Geheimer Pöbeltext")

    response = api_as(lead).post(HIDE.format(message.pk), {"reason": "Beleidigung"}, format="json")

    assert response.status_code == 200
    event = RoomEvent.objects.filter(room=room).latest("seq")
    assert (event.kind, event.message_id) == ("message.hidden", message.pk)
    [seen_by_member] = history(api_as, member, room)
    assert (seen_by_member["body"], seen_by_member["html"], seen_by_member["hidden"]) == (
        None,
        None,
        True,
    )
    assert "hidden_reason" not in seen_by_member
    [seen_by_moderator] = history(api_as, site_moderator, room)
    assert seen_by_moderator["body"] == "Geheimer Pöbeltext"
    assert seen_by_moderator["hidden_reason"] == "Beleidigung"
    assert ModerationAction.objects.get().kind == "hide"


@pytest.mark.django_db
def test_hidden_text_stays_out_of_threads_and_replay_for_members(
    api_as: ApiAs, room: Room, author: User, member: User, lead: User
) -> None:
    root = post(author, room, "Frage")
    message = room_services.message_post(
        user=author, room_id=room.pk, body="böse Antwort", client_id=cid(), thread_id=root.pk
    ).message
    services.message_hide(actor=lead, message_id=message.pk, reason="Beleidigung")

    thread = api_as(member).get(f"/api/rooms/{room.pk}/threads/{root.pk}/").json()
    replay = room_selectors.replay(room=room, since=0, for_moderator=False)

    assert thread["replies"][0]["body"] is None
    assert [e["data"]["id"] for e in replay.events][-1] == message.pk
    assert all(e["data"]["body"] != "böse Antwort" for e in replay.events)


@pytest.mark.django_db
def test_unhide_logs_the_event_and_shows_the_text_again(
    api_as: ApiAs, room: Room, author: User, member: User, lead: User
) -> None:
    message = post(author, room, "Doch harmlos")
    services.message_hide(actor=lead, message_id=message.pk, reason="Irrtum?")

    response = api_as(lead).post(UNHIDE.format(message.pk), {"reason": "war ok"}, format="json")

    assert response.status_code == 200 and response.json()["hidden"] is False
    assert RoomEvent.objects.filter(room=room).latest("seq").kind == "message.unhidden"
    assert history(api_as, member, room)[0]["body"] == "Doch harmlos"
    message.refresh_from_db()
    assert (message.hidden_at, message.hidden_by, message.hidden_reason) == (None, None, "")


@pytest.mark.django_db
def test_hiding_twice_writes_one_event(api_as: ApiAs, room: Room, author: User, lead: User) -> None:
    message = post(author, room)
    for _ in range(2):
        api_as(lead).post(HIDE.format(message.pk), {"reason": "x"}, format="json")

    assert RoomEvent.objects.filter(kind="message.hidden").count() == 1
    assert ModerationAction.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "x" * 301}])
def test_hiding_needs_a_reason(
    api_as: ApiAs, room: Room, author: User, lead: User, body: dict[str, Any]
) -> None:
    message = post(author, room)

    response = api_as(lead).post(HIDE.format(message.pk), body, format="json")

    assert response.status_code == 400
    message.refresh_from_db()
    assert message.hidden_at is None


@pytest.mark.django_db
def test_deleted_or_unknown_messages_cannot_be_hidden(
    api_as: ApiAs, room: Room, author: User, site_moderator: User
) -> None:
    message = post(author, room)
    Message.objects.filter(pk=message.pk).update(deleted_at=message.created_at)

    for message_id in (message.pk, 987654, 2**64):
        response = api_as(site_moderator).post(
            HIDE.format(message_id), {"reason": "x"}, format="json"
        )
        assert response.status_code == 404, message_id


@committing
async def test_hide_reaches_every_subscriber_at_once_with_text_only_for_moderators(
    connect: Connect,
    api_as: ApiAs,
    room: Room,
    author: User,
    member: User,
    lead: User,
    site_moderator: User,
) -> None:
    message = await orm(post, author, room, "Das nimmst du zurück")
    watching_member = await connect(member)
    watching_moderator = await connect(site_moderator)
    await watching_member.subscribe(room.pk)
    await watching_moderator.subscribe(room.pk)

    response = await orm(
        lambda: api_as(lead).post(HIDE.format(message.pk), {"reason": "Drohung"}, format="json")
    )
    assert response.status_code == 200

    # Within a second of the commit (the REST call returned after it).
    to_member = await watching_member.event(timeout=1.0)
    to_moderator = await watching_moderator.event(timeout=1.0)
    assert to_member["event"] == to_moderator["event"] == "message.hidden"
    assert to_member["seq"] == to_moderator["seq"]
    assert (to_member["data"]["body"], to_member["data"]["hidden"]) == (None, True)
    assert "hidden_reason" not in to_member["data"]
    assert to_moderator["data"]["body"] == "Das nimmst du zurück"
    assert to_moderator["data"]["hidden_reason"] == "Drohung"

    # A client that fetches afresh sees what the events said (old state + events).
    fresh = await orm(history, api_as, member, room)
    assert fresh[0]["body"] is None and fresh[0]["hidden"] is True


@committing
async def test_unhide_restores_the_text_live(
    connect: Connect, api_as: ApiAs, room: Room, author: User, member: User, lead: User
) -> None:
    message = await orm(post, author, room, "Doch in Ordnung")
    await orm(services.message_hide, actor=lead, message_id=message.pk, reason="?")
    watching = await connect(member)
    subscribed = await watching.subscribe(room.pk)
    assert subscribed["messages"][-1]["data"]["body"] is None  # replay: hidden

    await orm(lambda: api_as(lead).post(UNHIDE.format(message.pk), {}, format="json"))

    event = await watching.event(timeout=1.0)
    assert (event["event"], event["data"]["body"]) == ("message.unhidden", "Doch in Ordnung")
