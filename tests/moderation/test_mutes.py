"""Mutes: imposed over REST, refused sends on REST and socket alike, the `moderation` frame,
lifting, expiry, scopes, and what a muted person may still do."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from common.errors import DomainError
from initiatives.models import Initiative
from moderation import selectors, services
from moderation.models import ModerationAction, Mute
from rooms import selectors as room_selectors
from rooms import services as room_services
from rooms.models import Room
from tests.factories import ApiAs, MuteFactory, RoomFactory
from tests.moderation.conftest import post
from tests.ws import Connect, cid, committing, orm

MUTES = "/api/moderation/mutes/"


def _muted(user: User, room: Room) -> bool:
    return selectors.mute_state(user, room).active


def mute_body(user: User, scope: Any, duration: int | None = 600, **extra: Any) -> dict[str, Any]:
    return {"user": user.pk, "scope": scope, "duration": duration, "reason": "Zu laut", **extra}


def rest_send(api_as: ApiAs, user: User, room: Room, body: str = "Hallo") -> Any:
    return api_as(user).post(
        f"/api/rooms/{room.pk}/messages/", {"body": body, "client_id": cid()}, format="json"
    )


def expire(mute_id: int) -> None:
    Mute.objects.filter(pk=mute_id).update(until=timezone.now() - timedelta(seconds=1))


@pytest.mark.django_db
def test_a_mute_refuses_the_next_rest_send_with_retry_after(
    api_as: ApiAs, room: Room, author: User, lead: User
) -> None:
    response = api_as(lead).post(MUTES, mute_body(author, {"room": room.pk}), format="json")
    assert response.status_code == 201
    created = response.json()
    assert created["id"] == Mute.objects.get().pk
    assert (created["scope"], created["active"], created["reason"]) == (
        {"room": room.pk},
        True,
        "Zu laut",
    )
    assert created["until"] is not None and created["action"] is not None

    refused = rest_send(api_as, author, room)

    assert refused.status_code == 403
    assert refused.json()["code"] == "muted"
    assert 590 <= refused.json()["retry_after"] <= 600
    assert refused["Retry-After"] == str(refused.json()["retry_after"])
    assert ModerationAction.objects.get().kind == "mute"


@pytest.mark.django_db
def test_a_mute_until_lifted_has_no_retry_after(
    api_as: ApiAs, room: Room, author: User, site_moderator: User
) -> None:
    api_as(site_moderator).post(MUTES, mute_body(author, "global", None), format="json")

    refused = rest_send(api_as, author, room)

    assert refused.json()["code"] == "muted"
    assert "retry_after" not in refused.json() and not refused.has_header("Retry-After")


@pytest.mark.django_db
def test_unmute_restores_posting(api_as: ApiAs, room: Room, author: User, lead: User) -> None:
    mute_id = (
        api_as(lead).post(MUTES, mute_body(author, {"room": room.pk}), format="json").json()["id"]
    )

    lifted = api_as(lead).delete(f"{MUTES}{mute_id}/")

    assert lifted.status_code == 200 and lifted.json()["active"] is False
    assert rest_send(api_as, author, room).status_code == 201
    kinds = list(ModerationAction.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["mute", "unmute"]


@pytest.mark.django_db
def test_a_mute_expires_by_itself(api_as: ApiAs, room: Room, author: User, lead: User) -> None:
    item = services.member_mute(
        actor=lead, user_id=author.pk, scope={"room": room.pk}, duration=60, reason="kurz"
    )
    assert rest_send(api_as, author, room).status_code == 403

    expire(item.pk)

    assert rest_send(api_as, author, room).status_code == 201
    assert not _muted(author, room)


@pytest.mark.django_db
def test_a_mute_refuses_edit_and_react_but_not_reading_or_taking_a_reaction_back(
    api_as: ApiAs, room: Room, author: User, member: User
) -> None:
    own = post(author, room, "Tippfeler")
    other = post(member, room, "Guten Morgen")
    room_services.reaction_add(user=author, room_id=room.pk, message_id=other.pk, emoji="👍")
    MuteFactory(user=author, room=room)

    with pytest.raises(DomainError) as edit:
        room_services.message_edit(
            user=author, room_id=room.pk, message_id=own.pk, body="Tippfehler"
        )
    with pytest.raises(DomainError) as react:
        room_services.reaction_add(user=author, room_id=room.pk, message_id=other.pk, emoji="🎉")

    assert (edit.value.code, react.value.code) == ("muted", "muted")
    assert room_services.reaction_remove(
        user=author, room_id=room.pk, message_id=other.pk, emoji="👍"
    )
    assert api_as(author).get(f"/api/rooms/{room.pk}/messages/").status_code == 200


@pytest.mark.django_db
def test_mute_scopes_cover_what_they_name(
    room: Room,
    initiative: Initiative,
    other_initiative: Initiative,
    city_room: Room,
    author: User,
) -> None:
    workshop = RoomFactory(initiative=initiative, title="Werkstatt")
    elsewhere = other_initiative.rooms.get()

    MuteFactory(user=author, room=room)
    assert [_muted(author, r) for r in (room, workshop, elsewhere, city_room)] == [
        True,
        False,
        False,
        False,
    ]
    Mute.objects.all().delete()
    MuteFactory(user=author, initiative=initiative)
    assert [_muted(author, r) for r in (room, workshop, elsewhere, city_room)] == [
        True,
        True,
        False,
        False,
    ]
    Mute.objects.all().delete()
    MuteFactory(user=author)
    assert [_muted(author, r) for r in (room, workshop, elsewhere, city_room)] == [
        True,
        True,
        True,
        True,
    ]


@pytest.mark.django_db
def test_a_room_mute_in_a_city_wide_room_does_not_mute_other_city_wide_rooms(
    city_room: Room, author: User
) -> None:
    second = room_services.room_create(initiative=None, title="Fahrrad")
    MuteFactory(user=author, room=city_room)

    assert (
        _muted(author, city_room),
        _muted(author, second),
    ) == (
        True,
        False,
    )


@pytest.mark.django_db
def test_you_in_shows_the_mute(room: Room, author: User) -> None:
    item = MuteFactory(user=author, room=room, minutes=5)

    you = room_selectors.you_in(user=author, room=room)

    assert you["muted"] is True and you["can_post"] is False
    assert you["muted_until"] == item.until.isoformat().replace("+00:00", "Z")  # type: ignore[union-attr]
    expire(item.pk)
    assert room_selectors.you_in(user=author, room=room)["muted"] is False


@pytest.mark.django_db
def test_muting_again_in_the_same_scope_replaces_the_mute(
    api_as: ApiAs, room: Room, author: User, lead: User
) -> None:
    for duration in (60, 3600):
        api_as(lead).post(MUTES, mute_body(author, {"room": room.pk}, duration), format="json")

    assert Mute.objects.filter(Mute.in_force_q()).count() == 1
    assert 3590 <= rest_send(api_as, author, room).json()["retry_after"] <= 3600


@pytest.mark.django_db
def test_the_mute_list_shows_each_viewer_what_they_oversee(
    api_as: ApiAs,
    room: Room,
    author: User,
    member: User,
    lead: User,
    site_moderator: User,
    other_lead: User,
    other_initiative: Initiative,
) -> None:
    services.member_mute(
        actor=lead, user_id=author.pk, scope={"room": room.pk}, duration=None, reason="x"
    )

    def listed(user: User) -> int:
        return int(api_as(user).get(MUTES).json()["count"])

    assert [listed(u) for u in (site_moderator, lead, author, member, other_lead)] == [
        1,
        1,
        1,
        0,
        0,
    ]
    own = api_as(author).get(f"{MUTES}?active=true").json()["results"][0]
    assert own["action"] == ModerationAction.objects.get(kind="mute").pk


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"scope": "everywhere"}, 400),
        ({"scope": {"room": "x"}}, 400),
        ({"scope": {"room": 1, "initiative": 1}}, 400),
        ({"scope": {"room": 987654}}, 404),
        ({"duration": 0}, 400),
        ({"duration": -5}, 400),
        ({"reason": ""}, 400),
        ({"user": 987654}, 404),
    ],
)
def test_invalid_mutes_are_refused(
    api_as: ApiAs,
    room: Room,
    author: User,
    site_moderator: User,
    body: dict[str, Any],
    status: int,
) -> None:
    response = api_as(site_moderator).post(
        MUTES, {**mute_body(author, {"room": room.pk}), **body}, format="json"
    )

    assert response.status_code == status, response.content
    assert Mute.objects.count() == 0


@pytest.mark.django_db
def test_nobody_mutes_themself(api_as: ApiAs, room: Room, site_moderator: User) -> None:
    response = api_as(site_moderator).post(
        MUTES, mute_body(site_moderator, "global"), format="json"
    )

    assert response.status_code == 403


# --- live ----------------------------------------------------------------------------


@committing
async def test_the_muted_socket_gets_the_moderation_frame_and_its_next_send_is_refused(
    connect: Connect, api_as: ApiAs, room: Room, author: User, lead: User
) -> None:
    socket = await connect(author)
    await socket.subscribe(room.pk)

    response = await orm(
        lambda: api_as(lead).post(MUTES, mute_body(author, {"room": room.pk}), format="json")
    )

    frame = await socket.recv(timeout=1.0)
    assert frame == {
        "type": "moderation",
        "action": "muted",
        "scope": {"room": room.pk},
        "until": response.json()["until"],
        "reason": "Zu laut",
    }
    notification = await socket.recv()
    assert (notification["type"], notification["kind"]) == ("notification", "moderation")
    error = await socket.error(
        {"type": "send", "room": room.pk, "body": "Trotzdem!", "client_id": cid(), "ref": 7}
    )
    assert (error["code"], error["ref"]) == ("muted", 7)
    assert 590 <= error["retry_after"] <= 600


@committing
async def test_unmute_is_announced_live_and_posting_works_again(
    connect: Connect, api_as: ApiAs, room: Room, author: User, lead: User
) -> None:
    item = await orm(
        services.member_mute,
        actor=lead,
        user_id=author.pk,
        scope={"room": room.pk},
        duration=None,
        reason="x",
    )
    socket = await connect(author)
    assert (
        await socket.error({"type": "send", "room": room.pk, "body": "Hallo?", "client_id": cid()})
    )["code"] == "muted"

    await orm(lambda: api_as(lead).delete(f"{MUTES}{item.pk}/"))

    frame = await socket.recv(timeout=1.0)
    assert (frame["type"], frame["action"], frame["scope"], frame["until"]) == (
        "moderation",
        "unmuted",
        {"room": room.pk},
        None,
    )
    assert (await socket.recv())["type"] == "notification"
    await socket.post(room.pk, "Wieder da")
