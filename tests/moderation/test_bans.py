"""Bans: a room or initiative ban ends subscriptions live and keeps its person out; a global
ban closes their sockets with 4403 and blocks sign-in on every path."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client as PageClient
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from collab.ws_auth import user_for_token, user_with_profile
from initiatives.models import Initiative
from moderation import selectors, services
from moderation.models import Ban
from rooms import selectors as room_selectors
from rooms.models import Room
from tests.factories import PASSWORD, ApiAs, RoomFactory
from tests.ws import RECV_TIMEOUT, Client, Connect, cid, committing, open_socket, orm

BANS = "/api/moderation/bans/"


def ban_body(user: User, scope: Any, duration: int | None = None) -> dict[str, Any]:
    return {"user": user.pk, "scope": scope, "duration": duration, "reason": "Hetze"}


def with_password(user: User) -> User:
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


async def frames_until(client: Client, wanted: dict[str, Any], limit: int = 10) -> list[dict]:
    """Frames up to and including the first that contains `wanted`."""
    seen = []
    for _ in range(limit):
        frame = await client.recv()
        seen.append(frame)
        if wanted.items() <= frame.items():
            return seen
    raise AssertionError(f"{wanted} not among {seen}")


@committing
async def test_a_room_ban_ends_the_subscription_live_and_blocks_subscribing_again(
    connect: Connect, api_as: ApiAs, room: Room, author: User, site_moderator: User
) -> None:
    socket = await connect(author)
    await socket.subscribe(room.pk)

    response = await orm(
        lambda: api_as(site_moderator).post(
            BANS, ban_body(author, {"room": room.pk}), format="json"
        )
    )
    assert response.status_code == 201

    seen = await frames_until(socket, {"type": "unsubscribed", "room": room.pk})
    assert seen[-1] == {"type": "unsubscribed", "room": room.pk, "reason": "banned"}
    assert {
        "type": "moderation",
        "action": "banned",
        "scope": {"room": room.pk},
        "until": None,
        "reason": "Hetze",
    } in seen
    error = await socket.error({"type": "subscribe", "room": room.pk, "ref": "again"})
    assert (error["code"], error["ref"]) == ("banned", "again")
    refused = await socket.error({"type": "send", "room": room.pk, "body": "x", "client_id": cid()})
    assert refused["code"] == "banned"


@committing
async def test_an_initiative_ban_ends_every_room_of_the_initiative(
    connect: Connect, room: Room, initiative: Initiative, author: User, site_moderator: User
) -> None:
    workshop = await orm(RoomFactory, initiative=initiative, title="Werkstatt")
    socket = await connect(author)
    await socket.subscribe(room.pk)
    await socket.subscribe(workshop.pk)

    await orm(
        services.member_ban,
        actor=site_moderator,
        user_id=author.pk,
        scope={"initiative": initiative.pk},
        duration=3600,
        reason="Hetze",
    )

    seen = await frames_until(socket, {"type": "unsubscribed", "room": workshop.pk})
    ended = {f["room"] for f in seen if f["type"] == "unsubscribed" and f["reason"] == "banned"}
    assert ended == {room.pk, workshop.pk}
    await socket.alive()


@pytest.mark.django_db
def test_a_banned_person_cannot_read_or_post_in_the_room_and_does_not_see_it_listed(
    api_as: ApiAs, room: Room, city_room: Room, author: User, site_moderator: User
) -> None:
    services.member_ban(
        actor=site_moderator,
        user_id=author.pk,
        scope={"room": room.pk},
        duration=None,
        reason="x",
    )
    client = api_as(author)

    history = client.get(f"/api/rooms/{room.pk}/messages/")
    sent = client.post(
        f"/api/rooms/{room.pk}/messages/", {"body": "x", "client_id": cid()}, format="json"
    )
    listed = [r["id"] for r in client.get("/api/rooms/").json()["results"]]

    assert (history.status_code, history.json()["code"]) == (403, "banned")
    assert (sent.status_code, sent.json()["code"]) == (403, "banned")
    assert room.pk not in listed and city_room.pk in listed


@pytest.mark.django_db
def test_lifting_a_ban_lets_the_person_back_in(
    api_as: ApiAs, room: Room, author: User, site_moderator: User
) -> None:
    item = services.member_ban(
        actor=site_moderator,
        user_id=author.pk,
        scope={"room": room.pk},
        duration=None,
        reason="x",
    )

    lifted = api_as(site_moderator).delete(f"{BANS}{item.pk}/")

    assert lifted.status_code == 200 and lifted.json()["active"] is False
    assert room_selectors.may_read_room(user=author, room_id=room.pk)
    assert not selectors.ban_state(author, room).active


@committing
async def test_a_global_ban_closes_the_persons_sockets_with_4403(
    connect: Connect, api_as: ApiAs, room: Room, author: User, site_moderator: User
) -> None:
    first = await connect(author)
    second = await connect(author)
    await first.subscribe(room.pk)

    await orm(lambda: api_as(site_moderator).post(BANS, ban_body(author, "global"), format="json"))

    for socket in (first, second):
        assert await socket.close_code() == 4403


@committing
async def test_deactivating_an_account_closes_its_sockets_with_4403_and_no_others(
    connect: Connect, room: Room, author: User, member: User
) -> None:
    theirs = await connect(author)
    await theirs.subscribe(room.pk)
    others = await connect(member)

    def deactivate() -> None:  # as an admin does it in /admin/
        author.is_active = False
        author.save()

    await orm(deactivate)

    assert await theirs.close_code() == 4403
    await others.alive()


@committing
async def test_a_globally_banned_person_connecting_anew_gets_4401(
    author: User, site_moderator: User
) -> None:
    await orm(
        services.member_ban,
        actor=site_moderator,
        user_id=author.pk,
        scope="global",
        duration=None,
        reason="x",
    )
    comm = await open_socket(author)  # the handshake is accepted, then closed

    assert (await comm.receive_output(timeout=RECV_TIMEOUT))["code"] == 4401
    key = await orm(lambda: Token.objects.get(user=author).key)
    assert not (await user_for_token(key)).is_authenticated
    assert not (await user_with_profile(author)).is_authenticated


@pytest.mark.django_db
def test_a_global_ban_blocks_token_login_and_the_login_page_with_a_clear_message(
    room: Room, author: User, site_moderator: User
) -> None:
    with_password(author)
    services.member_ban(
        actor=site_moderator,
        user_id=author.pk,
        scope="global",
        duration=3600,
        reason="Spam-Konto",
    )

    token = APIClient().post(
        "/api/auth/token/", {"username": author.username, "password": PASSWORD}, format="json"
    )
    page = PageClient().post("/login/", {"username": author.username, "password": PASSWORD})

    assert token.status_code == 403
    assert token.json()["code"] == "banned" and "Spam-Konto" in token.json()["detail"]
    assert page.status_code == 200  # the form again, with the message; nobody signed in
    assert "gesperrt" in page.content.decode() and "_auth_user_id" not in page.client.session


@pytest.mark.django_db
def test_after_a_global_ban_is_lifted_login_works_again(author: User, site_moderator: User) -> None:
    with_password(author)
    item = services.member_ban(
        actor=site_moderator, user_id=author.pk, scope="global", duration=None, reason="x"
    )
    services.ban_lift(actor=site_moderator, ban_id=item.pk)

    token = APIClient().post(
        "/api/auth/token/", {"username": author.username, "password": PASSWORD}, format="json"
    )

    assert token.status_code == 200


@pytest.mark.django_db
def test_bans_are_listed_to_moderators_the_initiatives_leads_and_the_banned_person(
    api_as: ApiAs, room: Room, author: User, member: User, lead: User, site_moderator: User
) -> None:
    services.member_ban(
        actor=site_moderator,
        user_id=author.pk,
        scope={"room": room.pk},
        duration=None,
        reason="x",
    )

    people = (site_moderator, lead, author, member)
    counts = [api_as(u).get(BANS).json()["count"] for u in people]

    assert counts == [1, 1, 1, 0]
    assert Ban.objects.get().created_by == site_moderator
