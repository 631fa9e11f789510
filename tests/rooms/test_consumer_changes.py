"""`edit`, `delete`, `react`/`unreact` and `read`: who may, the events they log, no-ops."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from rooms import services
from rooms.models import Message, Reaction, ReadState, Revision, Room, RoomEvent
from tests.rooms.helpers import MESSAGE_FIELDS, post, post_many
from tests.ws import Client, Connect, cid, committing, orm

pytestmark = committing


async def _posted_in(client: Client, room: Room, body: str = "Original") -> int:
    """Subscribe `client` to `room`, post `body` through it, return the message id."""
    await client.subscribe(room.pk)
    ack, _event = await client.post_and_event(room.pk, body)
    return int(ack["message"])


def _event_count(room: Room) -> int:
    return RoomEvent.objects.filter(room=room).count()


def _age(message_id: int, seconds: int) -> None:
    Message.objects.filter(pk=message_id).update(
        created_at=timezone.now() - timedelta(seconds=seconds)
    )


# --- edit -------------------------------------------------------------------------


async def test_author_edits_within_the_window(
    connect: Connect, member: User, outsider: User, room: Room
) -> None:
    author = await connect(member)
    reader = await connect(outsider)
    message_id = await _posted_in(author, room, "Treffen um 9")
    await reader.subscribe(room.pk)

    await author.send({"type": "edit", "room": room.pk, "message": message_id, "body": "Um *10*"})
    own, seen = await author.event(), await reader.event()

    assert own == seen
    assert (seen["seq"], seen["event"]) == (2, "message.edited")
    data = seen["data"]
    assert set(data) == MESSAGE_FIELDS
    assert (data["id"], data["body"], data["html"]) == (
        message_id,
        "Um *10*",
        "<p>Um <em>10</em></p>",
    )
    assert data["edited_at"] is not None
    assert data["edited_at"] >= data["created_at"]
    revisions = await orm(
        lambda: list(Revision.objects.filter(message_id=message_id).values_list("body", flat=True))
    )
    assert revisions == ["Treffen um 9"]


async def test_each_edit_keeps_the_text_before_it(
    connect: Connect, member: User, room: Room
) -> None:
    author = await connect(member)
    message_id = await _posted_in(author, room, "v1")

    for body in ("v2", "v3"):
        await author.send({"type": "edit", "room": room.pk, "message": message_id, "body": body})
        assert (await author.event())["data"]["body"] == body

    revisions = await orm(
        lambda: list(Revision.objects.filter(message_id=message_id).values_list("body", flat=True))
    )
    assert revisions == ["v1", "v2"]


async def test_editing_to_the_same_text_changes_nothing(
    connect: Connect, member: User, room: Room
) -> None:
    author = await connect(member)
    message_id = await _posted_in(author, room, "Gleich")

    await author.send({"type": "edit", "room": room.pk, "message": message_id, "body": "Gleich"})

    await author.alive()  # handled, without an event before the pong ...
    await author.nothing()  # ... or after it
    assert await orm(_event_count, room) == 1


async def test_editing_another_users_message_is_forbidden(
    connect: Connect, member: User, outsider: User, lead: User, room: Room
) -> None:
    message_id = (await orm(post, member, room, "Meins")).message.pk

    for user in (outsider, lead):
        client = await connect(user)
        error = await client.error(
            {"type": "edit", "room": room.pk, "message": message_id, "body": "Deins", "ref": 3}
        )
        assert (error["code"], error["ref"]) == ("forbidden", 3)
    assert await orm(lambda: Message.objects.get(pk=message_id).body) == "Meins"


@pytest.mark.parametrize(("age", "allowed"), [(590, True), (610, False)])
async def test_edit_window_is_ten_minutes(
    connect: Connect, member: User, room: Room, age: int, allowed: bool
) -> None:
    author = await connect(member)
    message_id = await _posted_in(author, room)
    await orm(_age, message_id, age)

    await author.send({"type": "edit", "room": room.pk, "message": message_id, "body": "Neu"})
    frame = await author.recv()

    if allowed:
        assert (frame["type"], frame["event"]) == ("event", "message.edited")
    else:
        assert (frame["type"], frame["code"]) == ("error", "forbidden")
        assert await orm(lambda: Message.objects.get(pk=message_id).body) == "Original"


async def test_edit_window_is_a_setting(
    connect: Connect, member: User, room: Room, settings: Any
) -> None:
    settings.KLIMA = {**settings.KLIMA, "EDIT_WINDOW_SECONDS": 60}
    author = await connect(member)
    message_id = await _posted_in(author, room)
    await orm(_age, message_id, 61)

    error = await author.error(
        {"type": "edit", "room": room.pk, "message": message_id, "body": "x"}
    )

    assert error["code"] == "forbidden"


async def test_editing_an_unknown_message_is_not_found(
    connect: Connect, member: User, room: Room
) -> None:
    client = await connect(member)

    error = await client.error({"type": "edit", "room": room.pk, "message": 987_654, "body": "x"})

    assert error["code"] == "not_found"


async def test_editing_a_message_through_another_room_is_not_found(
    connect: Connect, member: User, room: Room, other_room: Room
) -> None:
    message_id = (await orm(post, member, other_room, "Dort")).message.pk
    client = await connect(member)

    error = await client.error(
        {"type": "edit", "room": room.pk, "message": message_id, "body": "x"}
    )

    assert error["code"] == "not_found"
    assert await orm(lambda: Message.objects.get(pk=message_id).body) == "Dort"


async def test_editing_a_deleted_message_is_not_found(
    connect: Connect, member: User, room: Room
) -> None:
    message_id = (await orm(post, member, room)).message.pk
    await orm(services.message_delete, user=member, room_id=room.pk, message_id=message_id)
    client = await connect(member)

    error = await client.error(
        {"type": "edit", "room": room.pk, "message": message_id, "body": "x"}
    )

    assert error["code"] == "not_found"


async def test_edit_body_is_checked_as_for_send(connect: Connect, member: User, room: Room) -> None:
    message_id = (await orm(post, member, room)).message.pk
    client = await connect(member)

    for body, code in (("a" * 5001, "too_long"), ("  ", "too_long"), (None, "invalid")):
        error = await client.error(
            {"type": "edit", "room": room.pk, "message": message_id, "body": body}
        )
        assert error["code"] == code, body
    assert await orm(lambda: Message.objects.get(pk=message_id).body) == "Hallo"


# --- delete -----------------------------------------------------------------------


async def test_author_deletes_and_everyone_sees_the_place_without_text(
    connect: Connect, member: User, outsider: User, room: Room
) -> None:
    author = await connect(member)
    reader = await connect(outsider)
    message_id = await _posted_in(author, room, "Ups")
    await reader.subscribe(room.pk)

    await author.send({"type": "delete", "room": room.pk, "message": message_id})
    own, seen = await author.event(), await reader.event()

    assert own == seen
    assert (seen["seq"], seen["event"]) == (2, "message.deleted")
    data = seen["data"]
    assert set(data) == MESSAGE_FIELDS
    assert (data["id"], data["body"], data["html"], data["deleted"]) == (
        message_id,
        None,
        None,
        True,
    )


async def test_delete_erases_the_edit_history_too(
    connect: Connect, member: User, room: Room
) -> None:
    author = await connect(member)
    message_id = await _posted_in(author, room, "Geheim")
    await author.send(
        {"type": "edit", "room": room.pk, "message": message_id, "body": "Auch geheim"}
    )
    await author.event()

    await author.send({"type": "delete", "room": room.pk, "message": message_id})
    await author.event()

    assert await orm(Revision.objects.filter(message_id=message_id).count) == 0
    assert await orm(lambda: Message.objects.get(pk=message_id).body) == ""


async def test_moderator_deletes_anothers_message(
    connect: Connect, member: User, site_moderator: User, room: Room
) -> None:
    message_id = (await orm(post, member, room, "Spam")).message.pk
    moderator = await connect(site_moderator)
    await moderator.subscribe(room.pk)

    await moderator.send({"type": "delete", "room": room.pk, "message": message_id})
    event = await moderator.event()

    assert (event["event"], event["data"]["id"], event["data"]["deleted"]) == (
        "message.deleted",
        message_id,
        True,
    )


async def test_member_cannot_delete_anothers_message(
    connect: Connect, member: User, outsider: User, room: Room
) -> None:
    message_id = (await orm(post, member, room, "Bleibt")).message.pk
    client = await connect(outsider)

    error = await client.error({"type": "delete", "room": room.pk, "message": message_id})

    assert error["code"] == "forbidden"
    assert await orm(lambda: Message.objects.get(pk=message_id).deleted_at) is None
    assert await orm(_event_count, room) == 1


async def test_deleting_twice_logs_one_event(connect: Connect, member: User, room: Room) -> None:
    author = await connect(member)
    message_id = await _posted_in(author, room)
    await author.send({"type": "delete", "room": room.pk, "message": message_id})
    await author.event()

    await author.send({"type": "delete", "room": room.pk, "message": message_id})

    await author.alive()
    await author.nothing()
    assert await orm(_event_count, room) == 2


async def test_deleting_an_unknown_or_foreign_rooms_message_is_not_found(
    connect: Connect, member: User, room: Room, other_room: Room
) -> None:
    elsewhere = (await orm(post, member, other_room)).message.pk
    client = await connect(member)

    for message_id in (987_654, elsewhere):
        error = await client.error({"type": "delete", "room": room.pk, "message": message_id})
        assert error["code"] == "not_found"


# --- react / unreact ------------------------------------------------------------------


def _react(room: Room, message_id: int, emoji: Any = "👍", kind: str = "react") -> dict[str, Any]:
    return {"type": kind, "room": room.pk, "message": message_id, "emoji": emoji}


async def test_react_logs_reaction_added_with_the_counts(
    connect: Connect, member: User, outsider: User, room: Room
) -> None:
    author = await connect(member)
    other = await connect(outsider)
    message_id = await _posted_in(author, room)
    await other.subscribe(room.pk)

    await other.send(_react(room, message_id))
    first = await author.event()
    assert await other.event() == first
    await author.send(_react(room, message_id))
    second = await author.event()

    assert (first["seq"], first["event"]) == (2, "reaction.added")
    assert set(first["data"]) == MESSAGE_FIELDS
    assert first["data"]["reactions"] == {"👍": 1}
    assert (second["seq"], second["data"]["reactions"]) == (3, {"👍": 2})


async def test_repeating_a_reaction_is_a_silent_no_op(
    connect: Connect, member: User, outsider: User, room: Room
) -> None:
    author = await connect(member)
    other = await connect(outsider)
    message_id = await _posted_in(author, room)
    await other.subscribe(room.pk)
    await other.send(_react(room, message_id))
    await other.event()
    await author.event()

    await other.send(_react(room, message_id))

    await other.alive()  # no error, no event
    await other.nothing()
    await author.nothing()
    assert await orm(Reaction.objects.count) == 1
    assert await orm(_event_count, room) == 2


async def test_unreact_logs_reaction_removed(connect: Connect, member: User, room: Room) -> None:
    client = await connect(member)
    message_id = await _posted_in(client, room)
    await client.send(_react(room, message_id, "🌱"))
    await client.event()

    await client.send(_react(room, message_id, "🌱", kind="unreact"))
    event = await client.event()

    assert (event["seq"], event["event"], event["data"]["reactions"]) == (
        3,
        "reaction.removed",
        {},
    )
    assert await orm(Reaction.objects.count) == 0


async def test_unreact_without_a_reaction_is_a_silent_no_op(
    connect: Connect, member: User, outsider: User, room: Room
) -> None:
    author = await connect(member)
    other = await connect(outsider)
    message_id = await _posted_in(author, room)
    await author.send(_react(room, message_id))
    await author.event()
    await other.subscribe(room.pk)

    await other.send(_react(room, message_id, "👍", kind="unreact"))  # author's stays

    await other.alive()
    await other.nothing()
    await author.nothing()
    assert await orm(Reaction.objects.count) == 1


async def test_invalid_emoji_is_invalid(connect: Connect, member: User, room: Room) -> None:
    message_id = (await orm(post, member, room)).message.pk
    client = await connect(member)

    for kind in ("react", "unreact"):
        for emoji in ("", " ", "👍 👍", "a b", "x" * 100, "\n", "a\x00", 5, None, ["👍"]):
            error = await client.error(_react(room, message_id, emoji, kind=kind))
            assert error["code"] == "invalid", (kind, emoji)
    assert await orm(_event_count, room) == 1
    assert await orm(Reaction.objects.count) == 0


async def test_reacting_to_unknown_or_deleted_messages_is_not_found(
    connect: Connect, member: User, room: Room
) -> None:
    gone = (await orm(post, member, room)).message.pk
    await orm(services.message_delete, user=member, room_id=room.pk, message_id=gone)
    client = await connect(member)

    for message_id in (987_654, gone):
        assert (await client.error(_react(room, message_id)))["code"] == "not_found"


async def test_non_member_cannot_react_in_a_members_only_room(
    connect: Connect, member: User, outsider: User, private_room: Room
) -> None:
    message_id = (await orm(post, member, private_room)).message.pk
    client = await connect(outsider)

    assert (await client.error(_react(private_room, message_id)))["code"] == "forbidden"


# --- read -------------------------------------------------------------------------------


async def test_read_goes_to_the_users_other_connections_only(
    connect: Connect, lead: User, member: User, room: Room
) -> None:
    await orm(post_many, lead, room, 5)
    here = await connect(member)
    there = await connect(member)
    someone_else = await connect(lead)

    await here.send({"type": "read", "room": room.pk, "seq": 3})

    assert await there.recv() == {"type": "read", "room": room.pk, "seq": 3}
    await here.alive()
    await here.nothing()
    await someone_else.nothing()


async def test_read_reaches_other_connections_that_are_not_subscribed(
    connect: Connect, lead: User, member: User, room: Room
) -> None:
    await orm(post_many, lead, room, 2)
    here = await connect(member)
    there = await connect(member)
    await here.subscribe(room.pk)

    await here.send({"type": "read", "room": room.pk, "seq": 2})

    assert await there.recv() == {"type": "read", "room": room.pk, "seq": 2}


async def test_read_never_moves_backwards(
    connect: Connect, lead: User, member: User, room: Room
) -> None:
    await orm(post_many, lead, room, 5)
    here = await connect(member)
    there = await connect(member)

    await here.send({"type": "read", "room": room.pk, "seq": 4})
    assert (await there.recv())["seq"] == 4
    await here.send({"type": "read", "room": room.pk, "seq": 2})
    await here.send({"type": "read", "room": room.pk, "seq": 4})
    await here.alive()  # both handled

    await there.nothing()
    state = await orm(lambda: ReadState.objects.get(user=member, room=room).last_read_seq)
    assert state == 4
    assert (await (await connect(member)).subscribe(room.pk))["unread"] == 1


async def test_read_beyond_the_latest_seq_reads_up_to_the_latest(
    connect: Connect, lead: User, member: User, room: Room
) -> None:
    await orm(post_many, lead, room, 3)
    here = await connect(member)
    there = await connect(member)

    await here.send({"type": "read", "room": room.pk, "seq": 99})

    assert await there.recv() == {"type": "read", "room": room.pk, "seq": 3}
    assert (await (await connect(member)).subscribe(room.pk))["unread"] == 0


async def test_unread_counts_others_live_messages_after_the_read_mark(
    connect: Connect, lead: User, member: User, room: Room, api_as: Any
) -> None:
    posted = await orm(post_many, lead, room, 6)
    await orm(post, member, room, "Meine")  # seq 7: own messages are never unread
    await orm(services.message_delete, user=lead, room_id=room.pk, message_id=posted[5].message.pk)
    client = await connect(member)

    await client.send({"type": "read", "room": room.pk, "seq": 2})
    await client.alive()  # `read` has no reply: the pong says it was handled

    # 3, 4, 5 are unread; 6 is deleted, 7 is mine.
    assert (await client.subscribe(room.pk))["unread"] == 3
    rooms = await orm(lambda: api_as(member).get("/api/rooms/").json()["results"])
    assert {r["id"]: r["unread"] for r in rooms}[room.pk] == 3


async def test_read_of_a_room_one_may_not_read_is_forbidden(
    connect: Connect, lead: User, outsider: User, private_room: Room
) -> None:
    await orm(post, lead, private_room)
    client = await connect(outsider)

    error = await client.error({"type": "read", "room": private_room.pk, "seq": 1, "ref": cid()})

    assert error["code"] == "forbidden"
