"""Rooms over REST: the room list with unread counts, one room, leads creating and changing
rooms, history pages, posting as a bot would, threads."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from initiatives.models import Initiative
from rooms import services
from rooms.models import Message, Room, RoomEvent
from tests.factories import ApiAs
from tests.rooms.helpers import MESSAGE_FIELDS, post, post_many
from tests.ws import cid

pytestmark = pytest.mark.django_db

ROOM_FIELDS = {
    "id",
    "title",
    "initiative",
    "members_only",
    "slow_mode_seconds",
    "archived",
    "last_seq",
    "unread",
}


def _messages_url(room: Room, **query: Any) -> str:
    url = f"/api/rooms/{room.pk}/messages/"
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


# --- GET rooms/ ---------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/rooms/", "/api/rooms/1/", "/api/rooms/1/messages/"])
def test_rooms_need_a_signed_in_user(room: Room, url: str) -> None:
    response = APIClient().get(url)

    assert response.status_code in (401, 403)
    assert response.json()["detail"]


def test_room_list_shows_open_and_city_wide_rooms_to_everyone(
    api_as: ApiAs, outsider: User, room: Room, other_room: Room, city_room: Room, private_room: Room
) -> None:
    response = api_as(outsider).get("/api/rooms/")

    assert response.status_code == 200
    ids = [r["id"] for r in response.json()["results"]]
    assert ids == [city_room.pk, room.pk, other_room.pk]  # city-wide first
    assert private_room.pk not in ids


@pytest.mark.parametrize("who", ["member", "lead", "site_moderator"])
def test_room_list_shows_members_only_rooms_to_members_and_moderators(
    api_as: ApiAs, request: pytest.FixtureRequest, private_room: Room, member: User, who: str
) -> None:
    user = request.getfixturevalue(who)

    ids = [r["id"] for r in api_as(user).get("/api/rooms/").json()["results"]]

    assert private_room.pk in ids


def test_room_objects_carry_the_protocol_fields(
    api_as: ApiAs, member: User, room: Room, city_room: Room, initiative: Initiative
) -> None:
    rooms = {r["id"]: r for r in api_as(member).get("/api/rooms/").json()["results"]}

    assert set(rooms[room.pk]) == ROOM_FIELDS
    assert rooms[room.pk] == {
        "id": room.pk,
        "title": "Allgemein",
        "initiative": {"id": initiative.pk, "slug": initiative.slug, "title": initiative.title},
        "members_only": False,
        "slow_mode_seconds": 0,
        "archived": False,
        "last_seq": 0,
        "unread": 0,
    }
    assert rooms[city_room.pk]["initiative"] is None


def test_room_list_counts_unread_per_user(
    api_as: ApiAs, lead: User, member: User, room: Room, other_room: Room
) -> None:
    post_many(lead, room, 4)
    post(member, room, "Meine")
    post(lead, other_room, "Dort")
    services.read_mark(user=member, room_id=room.pk, seq=1)

    for_member = {r["id"]: r["unread"] for r in api_as(member).get("/api/rooms/").json()["results"]}
    for_lead = {r["id"]: r["unread"] for r in api_as(lead).get("/api/rooms/").json()["results"]}

    assert (for_member[room.pk], for_member[other_room.pk]) == (3, 1)
    assert (for_lead[room.pk], for_lead[other_room.pk]) == (1, 0)


def test_unread_leaves_out_deleted_messages(
    api_as: ApiAs, lead: User, member: User, room: Room
) -> None:
    first, _second = post_many(lead, room, 2)
    services.message_delete(user=lead, room_id=room.pk, message_id=first.message.pk)

    rooms = api_as(member).get("/api/rooms/").json()["results"]

    assert {r["id"]: r["unread"] for r in rooms}[room.pk] == 1


# --- GET / PATCH rooms/{id}/ --------------------------------------------------------------


def test_room_detail(api_as: ApiAs, lead: User, member: User, room: Room) -> None:
    post_many(lead, room, 2)

    response = api_as(member).get(f"/api/rooms/{room.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == ROOM_FIELDS
    assert (body["id"], body["last_seq"], body["unread"]) == (room.pk, 2, 2)


@pytest.mark.parametrize("room_id", ["987654", "99999999999999999999"])
def test_unknown_room_is_404_with_a_readable_detail(
    api_as: ApiAs, member: User, room: Room, room_id: str
) -> None:
    response = api_as(member).get(f"/api/rooms/{room_id}/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_members_only_room_is_403_for_non_members(
    api_as: ApiAs, outsider: User, private_room: Room
) -> None:
    response = api_as(outsider).get(f"/api/rooms/{private_room.pk}/")

    assert response.status_code == 403
    assert response.json()["detail"]


def test_lead_changes_title_and_slow_mode_and_the_room_logs_room_updated(
    api_as: ApiAs, lead: User, room: Room
) -> None:
    post(lead, room)

    response = api_as(lead).patch(
        f"/api/rooms/{room.pk}/", {"title": "Plenum", "slow_mode_seconds": 30}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["title"], body["slow_mode_seconds"], body["last_seq"]) == ("Plenum", 30, 2)
    room.refresh_from_db()
    assert (room.title, room.slow_mode_seconds, room.last_seq) == ("Plenum", 30, 2)
    assert list(RoomEvent.objects.filter(room=room).values_list("seq", "kind")) == [
        (1, "message.created"),
        (2, "room.updated"),
    ]


def test_patch_without_a_change_logs_nothing(api_as: ApiAs, lead: User, room: Room) -> None:
    response = api_as(lead).patch(f"/api/rooms/{room.pk}/", {"title": "Allgemein"}, format="json")

    assert response.status_code == 200
    assert not RoomEvent.objects.filter(room=room).exists()


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_others_cannot_change_a_room(
    api_as: ApiAs, request: pytest.FixtureRequest, room: Room, who: str
) -> None:
    response = api_as(request.getfixturevalue(who)).patch(
        f"/api/rooms/{room.pk}/", {"title": "Meins"}, format="json"
    )

    assert response.status_code == 403
    room.refresh_from_db()
    assert room.title == "Allgemein"
    assert not RoomEvent.objects.filter(room=room).exists()


@pytest.mark.parametrize(
    "change",
    [{"title": ""}, {"title": "x" * 81}, {"slow_mode_seconds": -1}, {"archived": "vielleicht"}],
)
def test_invalid_room_changes_are_400(
    api_as: ApiAs, lead: User, room: Room, change: dict[str, Any]
) -> None:
    response = api_as(lead).patch(f"/api/rooms/{room.pk}/", change, format="json")

    assert response.status_code == 400
    assert response.json()["detail"]


# --- POST initiatives/{slug}/rooms/ ----------------------------------------------------


def test_lead_creates_a_members_only_room(
    api_as: ApiAs, lead: User, initiative: Initiative
) -> None:
    response = api_as(lead).post(
        f"/api/initiatives/{initiative.slug}/rooms/",
        {"title": "Orga-Team", "members_only": True},
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert set(body) == ROOM_FIELDS
    assert (body["title"], body["members_only"], body["last_seq"]) == ("Orga-Team", True, 0)
    assert body["initiative"]["slug"] == initiative.slug
    assert Room.objects.get(pk=body["id"]).members_only is True


def test_created_room_is_open_by_default(api_as: ApiAs, lead: User, initiative: Initiative) -> None:
    response = api_as(lead).post(
        f"/api/initiatives/{initiative.slug}/rooms/", {"title": "Werkstatt"}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["members_only"] is False


def test_member_cannot_create_rooms(api_as: ApiAs, member: User, initiative: Initiative) -> None:
    response = api_as(member).post(
        f"/api/initiatives/{initiative.slug}/rooms/", {"title": "Meiner"}, format="json"
    )

    assert response.status_code == 403
    assert initiative.rooms.count() == 1


def test_creating_a_room_of_an_unknown_initiative_is_404(api_as: ApiAs, lead: User) -> None:
    response = api_as(lead).post(
        "/api/initiatives/gibt-es-nicht/rooms/", {"title": "x"}, format="json"
    )

    assert response.status_code == 404
    assert response.json()["detail"]


@pytest.mark.parametrize("body", [{"title": ""}, {"title": "   "}, {}, {"title": "x" * 81}])
def test_room_title_is_required_and_short(
    api_as: ApiAs, lead: User, initiative: Initiative, body: dict[str, Any]
) -> None:
    response = api_as(lead).post(f"/api/initiatives/{initiative.slug}/rooms/", body, format="json")

    assert response.status_code == 400
    assert response.json()["detail"]
    assert initiative.rooms.count() == 1


# --- GET rooms/{id}/messages/ ---------------------------------------------------------


def test_history_defaults_to_the_latest_50_oldest_first_with_seq(
    api_as: ApiAs, lead: User, member: User, room: Room
) -> None:
    posted = post_many(lead, room, 55)

    response = api_as(member).get(_messages_url(room))

    assert response.status_code == 200
    body = response.json()
    results = body["results"]
    assert [m["seq"] for m in results] == list(range(6, 56))
    assert [m["id"] for m in results] == [p.message.pk for p in posted[5:]]
    assert set(results[0]) == MESSAGE_FIELDS | {"seq"}
    assert results[0]["body"] == "Nachricht 6"
    assert _query(body["next"]) == {"before": [str(posted[5].message.pk)], "limit": ["50"]}


def _query(url: str) -> dict[str, list[str]]:
    parts = urlsplit(url)
    assert parts.scheme in ("http", "https") and parts.netloc  # absolute
    return parse_qs(parts.query)


def test_history_pages_backwards_with_before_and_next(
    api_as: ApiAs, lead: User, member: User, room: Room
) -> None:
    ids = [p.message.pk for p in post_many(lead, room, 7)]
    api = api_as(member)

    pages = []
    url: str | None = _messages_url(room, before=ids[6], limit=3)
    while url is not None:
        body = api.get(url).json()
        pages.append([m["id"] for m in body["results"]])
        url = body["next"]

    assert pages == [ids[3:6], ids[0:3]]


def test_history_page_that_reaches_the_start_has_no_next(
    api_as: ApiAs, lead: User, member: User, room: Room
) -> None:
    ids = [p.message.pk for p in post_many(lead, room, 4)]

    body = api_as(member).get(_messages_url(room, before=ids[3], limit=3)).json()

    assert [m["id"] for m in body["results"]] == ids[:3]
    assert body["next"] is None


def test_history_pages_forward_with_after_seq(
    api_as: ApiAs, lead: User, member: User, room: Room
) -> None:
    ids = [p.message.pk for p in post_many(lead, room, 3)]
    services.reaction_add(user=member, room_id=room.pk, message_id=ids[0], emoji="👍")  # seq 4
    ids += [p.message.pk for p in post_many(lead, room, 4)]  # seq 5..8
    api = api_as(member)

    first = api.get(_messages_url(room, after_seq=2, limit=3)).json()
    second = api.get(first["next"]).json()

    assert [(m["id"], m["seq"]) for m in first["results"]] == [
        (ids[2], 3),
        (ids[3], 5),
        (ids[4], 6),
    ]
    assert [m["seq"] for m in second["results"]] == [7, 8]
    assert second["next"] is None
    assert first["results"][0]["reactions"] == {}
    assert api.get(_messages_url(room, after_seq=0)).json()["results"][0]["reactions"] == {"👍": 1}


def test_history_limit_is_capped_at_200(
    api_as: ApiAs, lead: User, member: User, room: Room
) -> None:
    post_many(lead, room, 205)

    body = api_as(member).get(_messages_url(room, limit=1000)).json()

    assert len(body["results"]) == 200
    assert body["results"][-1]["seq"] == 205
    assert _query(body["next"])["limit"] == ["200"]


def test_history_shows_deleted_messages_without_text(
    api_as: ApiAs, lead: User, member: User, room: Room
) -> None:
    message = post(lead, room, "Weg damit").message
    services.message_delete(user=lead, room_id=room.pk, message_id=message.pk)

    (shown,) = api_as(member).get(_messages_url(room)).json()["results"]

    assert (shown["id"], shown["body"], shown["html"], shown["deleted"]) == (
        message.pk,
        None,
        None,
        True,
    )


@pytest.mark.parametrize(
    "query",
    [
        {"before": "abc"},
        {"before": "0"},
        {"after_seq": "-1"},
        {"after_seq": "x"},
        {"limit": "0"},
        {"limit": "-5"},
        {"limit": "viele"},
        {"before": "1", "after_seq": "1"},
    ],
)
def test_bad_history_parameters_are_400_with_detail(
    api_as: ApiAs, member: User, room: Room, query: dict[str, str]
) -> None:
    response = api_as(member).get(_messages_url(room, **query))

    assert response.status_code == 400
    assert response.json()["detail"]


def test_history_of_a_members_only_room(
    api_as: ApiAs,
    lead: User,
    member: User,
    outsider: User,
    site_moderator: User,
    private_room: Room,
) -> None:
    post(lead, private_room, "Intern")

    assert api_as(outsider).get(_messages_url(private_room)).status_code == 403
    for user in (member, site_moderator):
        response = api_as(user).get(_messages_url(private_room))
        assert response.status_code == 200
        assert [m["body"] for m in response.json()["results"]] == ["Intern"]


def test_history_of_an_unknown_room_is_404(api_as: ApiAs, member: User) -> None:
    assert api_as(member).get("/api/rooms/987654/messages/").status_code == 404


# --- POST rooms/{id}/messages/ ---------------------------------------------------------


def test_post_message_is_201_with_the_message_and_its_seq(
    api_as: ApiAs, member: User, room: Room
) -> None:
    client_id = cid()

    response = api_as(member).post(
        _messages_url(room), {"body": "Per **API**", "client_id": client_id}, format="json"
    )

    assert response.status_code == 201
    body = response.json()
    assert set(body) == MESSAGE_FIELDS | {"seq"}
    message = Message.objects.get(pk=body["id"])
    assert (body["seq"], body["room"], body["client_id"], body["html"]) == (
        1,
        room.pk,
        client_id,
        "<p>Per <strong>API</strong></p>",
    )
    assert body["author"] == {"id": member.pk, "username": "jonas", "display_name": "Jonas"}
    assert message.seq == 1
    assert RoomEvent.objects.filter(room=room, seq=1, message=message).exists()


def test_post_retry_with_the_same_client_id_is_200_with_the_same_message(
    api_as: ApiAs, member: User, room: Room
) -> None:
    api = api_as(member)
    payload = {"body": "Einmal", "client_id": cid()}

    first = api.post(_messages_url(room), payload, format="json")
    retry = api.post(_messages_url(room), payload, format="json")

    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json() == first.json()
    assert Message.objects.count() == 1
    assert RoomEvent.objects.filter(room=room).count() == 1


def test_a_retry_gets_the_stored_message_even_where_a_new_post_is_refused_now(
    api_as: ApiAs, member: User, room: Room
) -> None:
    api = api_as(member)
    payload = {"body": "Einmal", "client_id": cid()}
    first = api.post(_messages_url(room), payload, format="json")
    room.slow_mode_seconds = 30
    room.save(update_fields=["slow_mode_seconds"])

    retry = api.post(_messages_url(room), payload, format="json")
    new = api.post(_messages_url(room), {"body": "Zwei", "client_id": cid()}, format="json")

    assert (retry.status_code, retry.json()) == (200, first.json())
    assert new.status_code == 429
    assert Message.objects.count() == 1


@pytest.mark.parametrize("body", ["a" * 5001, "", "   "])
def test_post_too_long_or_empty_body_is_400_too_long(
    api_as: ApiAs, member: User, room: Room, body: str
) -> None:
    response = api_as(member).post(
        _messages_url(room), {"body": body, "client_id": cid()}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "too_long"
    assert response.json()["detail"]
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"body": "x"},
        {"client_id": "c"},
        {"body": "x", "client_id": "c" * 65},
        {"body": "x", "client_id": "c", "thread": "eins"},
    ],
)
def test_post_with_missing_or_wrong_fields_is_400(
    api_as: ApiAs, member: User, room: Room, payload: dict[str, Any]
) -> None:
    response = api_as(member).post(_messages_url(room), payload, format="json")

    assert response.status_code == 400
    assert response.json()["detail"]
    assert not Message.objects.exists()


@pytest.mark.parametrize("language", ["de", "en"])
def test_post_with_malformed_json_is_400_with_a_translated_detail(
    api_as: ApiAs, member: User, room: Room, language: str
) -> None:
    response = api_as(member).post(
        _messages_url(room),
        data=b"{kaputt",
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assert response.status_code == 400
    assert response.json() == {
        "code": "parse_error",
        "detail": {"de": "Das ist kein gültiges JSON.", "en": "This is not valid JSON."}[language],
    }
    assert not Message.objects.exists()


def test_post_to_a_members_only_room_by_a_non_member_is_403(
    api_as: ApiAs, outsider: User, private_room: Room
) -> None:
    response = api_as(outsider).post(
        _messages_url(private_room), {"body": "Hallo?", "client_id": cid()}, format="json"
    )

    assert response.status_code == 403
    assert not Message.objects.exists()


def test_post_to_an_archived_room_is_403(
    api_as: ApiAs, lead: User, member: User, room: Room
) -> None:
    services.room_update(user=lead, room=room, archived=True)

    response = api_as(member).post(
        _messages_url(room), {"body": "Hallo?", "client_id": cid()}, format="json"
    )

    assert response.status_code == 403


def test_post_in_slow_mode_is_429_with_retry_after(api_as: ApiAs, member: User, room: Room) -> None:
    room.slow_mode_seconds = 30
    room.save(update_fields=["slow_mode_seconds"])
    api = api_as(member)
    api.post(_messages_url(room), {"body": "Eins", "client_id": cid()}, format="json")

    response = api.post(_messages_url(room), {"body": "Zwei", "client_id": cid()}, format="json")

    assert response.status_code == 429
    assert response.json()["code"] == "slow_mode"
    assert 0 < response.json()["retry_after"] <= 30
    assert 0 < int(response["Retry-After"]) <= 30


def test_post_reply_over_rest_counts_on_the_root(
    api_as: ApiAs, lead: User, member: User, room: Room
) -> None:
    root = post(lead, room, "Wer hat eine Leiter?").message
    api = api_as(member)

    reply = api.post(
        _messages_url(room), {"body": "Ich", "client_id": cid(), "thread": root.pk}, format="json"
    )
    nested = api.post(
        _messages_url(room),
        {"body": "Ich auch", "client_id": cid(), "thread": reply.json()["id"]},
        format="json",
    )

    assert (reply.status_code, nested.status_code) == (201, 201)
    assert reply.json()["thread"] == nested.json()["thread"] == root.pk
    history = {m["id"]: m for m in api.get(_messages_url(room)).json()["results"]}
    assert history[root.pk]["reply_count"] == 2


def test_post_reply_to_an_unknown_message_is_404(api_as: ApiAs, member: User, room: Room) -> None:
    response = api_as(member).post(
        _messages_url(room), {"body": "Ich", "client_id": cid(), "thread": 987654}, format="json"
    )

    assert response.status_code == 404


# --- GET rooms/{id}/threads/{message_id}/ -----------------------------------------------


def test_thread_has_the_root_and_its_replies_oldest_first(
    api_as: ApiAs, lead: User, member: User, room: Room
) -> None:
    root = post(lead, room, "Frage").message
    post(lead, room, "Etwas anderes")
    first = post(member, room, "Antwort 1", thread_id=root.pk).message
    second = post(lead, room, "Antwort 2", thread_id=first.pk).message

    for asked in (root, first):
        response = api_as(member).get(f"/api/rooms/{room.pk}/threads/{asked.pk}/")
        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"root", "replies"}
        assert (body["root"]["id"], body["root"]["reply_count"]) == (root.pk, 2)
        assert [m["id"] for m in body["replies"]] == [first.pk, second.pk]
        assert [m["seq"] for m in body["replies"]] == [3, 4]
        assert set(body["replies"][0]) == MESSAGE_FIELDS | {"seq"}


def test_thread_of_an_unknown_or_foreign_message_is_404(
    api_as: ApiAs, member: User, room: Room, other_room: Room
) -> None:
    elsewhere = post(member, other_room).message

    for message_id in (987654, elsewhere.pk):
        response = api_as(member).get(f"/api/rooms/{room.pk}/threads/{message_id}/")
        assert response.status_code == 404


def test_thread_of_a_members_only_room_is_403_for_non_members(
    api_as: ApiAs, lead: User, outsider: User, private_room: Room
) -> None:
    root = post(lead, private_room, "Intern").message

    response = api_as(outsider).get(f"/api/rooms/{private_room.pk}/threads/{root.pk}/")

    assert response.status_code == 403
