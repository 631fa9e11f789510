"""Appeals: once per action, by the person affected, while the action holds; site
moderators uphold or reverse; reversal undoes the action live; the person is told."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from accounts.models import Notification
from moderation import selectors, services
from moderation.models import Appeal, ModerationAction
from rooms.models import Room
from tests.factories import ApiAs
from tests.moderation.conftest import post
from tests.ws import Connect, committing, orm

APPEALS = "/api/moderation/appeals/"


def appeal(api_as: ApiAs, user: User, **body: Any) -> Any:
    return api_as(user).post(
        APPEALS, {"text": "Das war ein Missverständnis.", **body}, format="json"
    )


def decide(api_as: ApiAs, user: User, appeal_id: int, decision: str, **body: Any) -> Any:
    return api_as(user).post(
        f"{APPEALS}{appeal_id}/decide/", {"decision": decision, **body}, format="json"
    )


@pytest.fixture
def hidden(room: Room, author: User, lead: User) -> Any:
    message = post(author, room, "Streitbarer Satz")
    services.message_hide(actor=lead, message_id=message.pk, reason="Ton")
    return message


@pytest.mark.django_db
def test_the_author_appeals_a_hide_once(api_as: ApiAs, author: User, hidden: Any) -> None:
    first = appeal(api_as, author, message=hidden.pk)
    second = appeal(api_as, author, message=hidden.pk)
    by_action = appeal(api_as, author, action=ModerationAction.objects.get(kind="hide").pk)

    assert first.status_code == 201
    body = first.json()
    assert (body["status"], body["action"]["kind"], body["action"]["message"]) == (
        "open",
        "hide",
        hidden.pk,
    )
    assert (second.status_code, by_action.status_code) == (409, 409)
    assert Appeal.objects.count() == 1


@pytest.mark.django_db
def test_only_the_person_affected_may_appeal(
    api_as: ApiAs, member: User, site_moderator: User, hidden: Any
) -> None:
    assert appeal(api_as, member, message=hidden.pk).status_code == 403
    assert appeal(api_as, site_moderator, message=hidden.pk).status_code == 403


@pytest.mark.django_db
def test_an_action_no_longer_in_force_cannot_be_appealed(
    api_as: ApiAs, author: User, lead: User, hidden: Any
) -> None:
    services.message_unhide(actor=lead, message_id=hidden.pk)

    response = appeal(api_as, author, message=hidden.pk)

    assert response.status_code == 409


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [{}, {"message": 1, "mute": 1}, {"text": ""}, {"text": "x" * 2001}, {"message": "x"}],
)
def test_an_appeal_names_one_action_and_gives_a_text(
    api_as: ApiAs, author: User, hidden: Any, body: dict[str, Any]
) -> None:
    response = api_as(author).post(APPEALS, {"text": "Bitte prüfen", **body}, format="json")

    assert response.status_code == 400, response.content


@pytest.mark.django_db
def test_a_muted_and_a_banned_person_appeal_with_their_token(
    api_as: ApiAs, room: Room, author: User, member: User, lead: User, site_moderator: User
) -> None:
    mute = services.member_mute(
        actor=lead, user_id=author.pk, scope={"room": room.pk}, duration=None, reason="x"
    )
    ban = services.member_ban(
        actor=site_moderator, user_id=member.pk, scope="global", duration=None, reason="x"
    )

    assert appeal(api_as, author, mute=mute.pk).status_code == 201
    assert appeal(api_as, member, ban=ban.pk).status_code == 201


@pytest.mark.django_db
def test_moderators_see_every_appeal_open_first_and_others_their_own(
    api_as: ApiAs,
    room: Room,
    author: User,
    member: User,
    lead: User,
    site_moderator: User,
    hidden: Any,
) -> None:
    first = services.appeal_create(user=author, message_id=hidden.pk, text="1")
    services.appeal_decide(actor=site_moderator, appeal_id=first.pk, decision="uphold")
    other = post(member, room)
    services.message_hide(actor=lead, message_id=other.pk, reason="x")
    second = services.appeal_create(user=member, message_id=other.pk, text="2")

    listed = api_as(site_moderator).get(APPEALS).json()["results"]
    own = api_as(author).get(APPEALS).json()["results"]
    open_only = api_as(site_moderator).get(f"{APPEALS}?status=open").json()["results"]

    assert [a["id"] for a in listed] == [second.pk, first.pk]
    assert [a["id"] for a in own] == [first.pk]
    assert [a["id"] for a in open_only] == [second.pk]
    assert api_as(lead).get(APPEALS).json()["count"] == 0


@pytest.mark.django_db
def test_uphold_keeps_the_action_and_tells_the_person(
    api_as: ApiAs, author: User, site_moderator: User, hidden: Any
) -> None:
    appeal_id = appeal(api_as, author, message=hidden.pk).json()["id"]

    response = decide(api_as, site_moderator, appeal_id, "uphold", reason="Klarer Verstoß")

    assert response.status_code == 200 and response.json()["status"] == "upheld"
    hidden.refresh_from_db()
    assert hidden.hidden_at is not None
    told = Notification.objects.filter(user=author, kind="appeal").get()
    assert "bleibt" in told.text and "Klarer Verstoß" in told.text
    assert decide(api_as, site_moderator, appeal_id, "reverse").status_code == 409


@pytest.mark.django_db
def test_reversing_a_mute_lifts_it(
    api_as: ApiAs, room: Room, author: User, lead: User, site_moderator: User
) -> None:
    mute = services.member_mute(
        actor=lead, user_id=author.pk, scope={"room": room.pk}, duration=None, reason="x"
    )
    appeal_id = appeal(api_as, author, mute=mute.pk).json()["id"]

    assert decide(api_as, site_moderator, appeal_id, "reverse").json()["status"] == "reversed"

    assert not selectors.mute_state(author, room).active
    kinds = list(ModerationAction.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["mute", "unmute", "appeal_reversed"]


@committing
async def test_reversal_undoes_a_hide_live_and_tells_the_author(
    connect: Connect,
    api_as: ApiAs,
    room: Room,
    author: User,
    member: User,
    lead: User,
    site_moderator: User,
) -> None:
    message = await orm(post, author, room, "Doch sachlich")
    await orm(services.message_hide, actor=lead, message_id=message.pk, reason="Ton")
    created = await orm(appeal, api_as, author, message=message.pk)
    watching = await connect(member)
    await watching.subscribe(room.pk)
    author_socket = await connect(author)

    response = await orm(decide, api_as, site_moderator, created.json()["id"], "reverse")

    assert response.status_code == 200
    event = await watching.event(timeout=1.0)
    assert (event["event"], event["data"]["body"]) == ("message.unhidden", "Doch sachlich")
    frames = [await author_socket.recv(), await author_socket.recv()]
    kinds = sorted(f["kind"] for f in frames if f["type"] == "notification")
    assert kinds == ["appeal", "moderation"]  # "visible again", then the outcome


@committing
async def test_reversing_a_mute_sends_unmuted_live(
    connect: Connect, api_as: ApiAs, room: Room, author: User, lead: User, site_moderator: User
) -> None:
    mute = await orm(
        services.member_mute,
        actor=lead,
        user_id=author.pk,
        scope={"room": room.pk},
        duration=None,
        reason="x",
    )
    created = await orm(appeal, api_as, author, mute=mute.pk)
    socket = await connect(author)

    await orm(decide, api_as, site_moderator, created.json()["id"], "reverse")

    frame = await socket.recv(timeout=1.0)
    assert (frame["type"], frame["action"]) == ("moderation", "unmuted")
    told = [await socket.recv(), await socket.recv()]
    assert sorted(f["kind"] for f in told) == ["appeal", "moderation"]
    await socket.post(room.pk, "Danke!")
