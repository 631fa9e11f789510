"""`subscribe` and `unsubscribe`: the `subscribed` frame, replay with and without `since`,
`more`, `reset`, and who may subscribe where."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from rooms import services
from rooms.models import Message, Reaction, Room, RoomEvent
from tests.rooms.helpers import (
    MESSAGE_FIELDS,
    REPLAY_ITEM_FIELDS,
    SUBSCRIBED_FIELDS,
    post,
    post_many,
)
from tests.ws import Connect, cid, committing, orm

pytestmark = committing


def _seqs(frame: dict[str, Any]) -> list[int]:
    return [item["seq"] for item in frame["messages"]]


# --- without since: the latest 50 messages -------------------------------------


async def test_subscribe_without_since_has_exactly_the_protocol_fields(
    connect: Connect, member: User, lead: User, room: Room
) -> None:
    await orm(post_many, lead, room, 3)
    client = await connect(member)

    subscribed = await client.subscribe(room.pk)

    assert set(subscribed) == SUBSCRIBED_FIELDS
    assert subscribed["room"] == room.pk
    assert subscribed["seq"] == 3
    assert subscribed["more"] is False
    assert subscribed["reset"] is False
    assert isinstance(subscribed["presence"], list)
    assert subscribed["unread"] == 3
    assert subscribed["you"]["role"] == "member"
    assert subscribed["you"]["muted"] is False
    for item in subscribed["messages"]:
        assert set(item) == REPLAY_ITEM_FIELDS
        assert item["event"] == "message.created"
        assert set(item["data"]) == MESSAGE_FIELDS


async def test_subscribe_without_since_replays_the_latest_50_messages_oldest_first(
    connect: Connect, lead: User, member: User, room: Room
) -> None:
    posted = await orm(post_many, lead, room, 55)
    client = await connect(member)

    subscribed = await client.subscribe(room.pk)

    assert subscribed["seq"] == 55
    assert len(subscribed["messages"]) == 50
    assert _seqs(subscribed) == list(range(6, 56))
    assert [m["data"]["id"] for m in subscribed["messages"]] == [p.message.pk for p in posted[5:]]
    assert subscribed["messages"][0]["data"]["body"] == "Nachricht 6"
    assert subscribed["more"] is False
    assert subscribed["reset"] is False


async def test_subscribe_without_since_replays_only_message_created_events(
    connect: Connect, lead: User, member: User, room: Room
) -> None:
    first, second = await orm(post_many, lead, room, 2)
    await orm(_edit, lead, room, first.message.pk, "Nachricht 1, korrigiert")
    await orm(_react, member, room, second.message.pk, "👍")
    client = await connect(member)

    subscribed = await client.subscribe(room.pk)

    assert subscribed["seq"] == 4
    assert [(m["seq"], m["event"]) for m in subscribed["messages"]] == [
        (1, "message.created"),
        (2, "message.created"),
    ]
    # ... each in its current state.
    assert subscribed["messages"][0]["data"]["body"] == "Nachricht 1, korrigiert"
    assert subscribed["messages"][1]["data"]["reactions"] == {"👍": 1}


async def test_subscribe_to_an_empty_room(connect: Connect, member: User, room: Room) -> None:
    client = await connect(member)

    subscribed = await client.subscribe(room.pk)

    assert (subscribed["seq"], subscribed["messages"], subscribed["unread"]) == (0, [], 0)


# --- with since: every event after it, from current state ----------------------


def _edit(user: User, room: Room, message_id: int, body: str) -> None:
    services.message_edit(user=user, room_id=room.pk, message_id=message_id, body=body)


def _react(user: User, room: Room, message_id: int, emoji: str) -> None:
    services.reaction_add(user=user, room_id=room.pk, message_id=message_id, emoji=emoji)


def _delete(user: User, room: Room, message_id: int) -> None:
    services.message_delete(user=user, room_id=room.pk, message_id=message_id)


def _history_with_every_kind(lead: User, member: User, room: Room) -> list[int]:
    """seq 1-3 created, 4 edited (1), 5 reaction (2), 6 deleted (3), 7 reaction removed (2)."""
    ids = [p.message.pk for p in post_many(lead, room, 3)]
    _edit(lead, room, ids[0], "Nachricht 1, korrigiert")
    _react(member, room, ids[1], "👍")
    _delete(lead, room, ids[2])
    _react(lead, room, ids[1], "🌱")
    services.reaction_remove(user=member, room_id=room.pk, message_id=ids[1], emoji="👍")
    return ids


async def test_subscribe_with_since_replays_every_later_event_in_order(
    connect: Connect, lead: User, member: User, room: Room
) -> None:
    ids = await orm(_history_with_every_kind, lead, member, room)
    client = await connect(member)

    subscribed = await client.subscribe(room.pk, since=0)

    assert subscribed["seq"] == 8
    assert (subscribed["more"], subscribed["reset"]) == (False, False)
    assert [(m["seq"], m["event"], m["data"]["id"]) for m in subscribed["messages"]] == [
        (1, "message.created", ids[0]),
        (2, "message.created", ids[1]),
        (3, "message.created", ids[2]),
        (4, "message.edited", ids[0]),
        (5, "reaction.added", ids[1]),
        (6, "message.deleted", ids[2]),
        (7, "reaction.added", ids[1]),
        (8, "reaction.removed", ids[1]),
    ]
    for item in subscribed["messages"]:
        assert set(item) == REPLAY_ITEM_FIELDS
        assert set(item["data"]) == MESSAGE_FIELDS


async def test_replay_renders_each_event_from_the_messages_current_state(
    connect: Connect, lead: User, member: User, room: Room
) -> None:
    await orm(_history_with_every_kind, lead, member, room)
    client = await connect(member)

    data = {m["seq"]: m["data"] for m in (await client.subscribe(room.pk, since=0))["messages"]}

    # The edited message's `message.created` shows the edited text.
    assert data[1]["body"] == "Nachricht 1, korrigiert"
    assert data[1]["html"] == "<p>Nachricht 1, korrigiert</p>"
    assert data[1]["edited_at"] is not None
    assert data[1] == data[4]
    # The reactions as they are now, also in the older events of that message.
    assert data[2]["reactions"] == data[5]["reactions"] == {"🌱": 1}
    # The deleted message keeps its place without its text, also in its `message.created`.
    for deleted in (data[3], data[6]):
        assert deleted["body"] is None
        assert deleted["html"] is None
        assert deleted["deleted"] is True


async def test_subscribe_with_since_replays_only_events_after_since(
    connect: Connect, lead: User, member: User, room: Room
) -> None:
    await orm(_history_with_every_kind, lead, member, room)
    client = await connect(member)

    subscribed = await client.subscribe(room.pk, since=5)

    assert _seqs(subscribed) == [6, 7, 8]
    assert subscribed["seq"] == 8


async def test_subscribe_with_since_at_the_latest_seq_replays_nothing(
    connect: Connect, lead: User, member: User, room: Room
) -> None:
    await orm(post_many, lead, room, 4)
    client = await connect(member)

    subscribed = await client.subscribe(room.pk, since=4)

    assert (subscribed["seq"], subscribed["messages"], subscribed["reset"]) == (4, [], False)


def _many_events(user: User, room: Room, n: int) -> None:
    """n events quickly: a message and 9 reactions through the services, then log entries
    (reaction.added of that message) in bulk up to seq n; replay reads only the log."""
    message = post(user, room, "Reagiert mal").message
    for i in range(9):
        _react(user, room, message.pk, f"r{i}")
    RoomEvent.objects.bulk_create(
        RoomEvent(room=room, seq=seq, kind=RoomEvent.Kind.REACTION_ADDED, message=message)
        for seq in range(11, n + 1)
    )
    Room.objects.filter(pk=room.pk).update(last_seq=n)


async def test_more_than_500_events_after_since_come_in_pages_with_more(
    connect: Connect, lead: User, member: User, room: Room
) -> None:
    await orm(_many_events, lead, room, 520)
    client = await connect(member)

    first = await client.subscribe(room.pk, since=0)

    assert first["seq"] == 520
    assert first["more"] is True
    assert _seqs(first) == list(range(1, 501))
    assert first["messages"][499]["data"]["reactions"] == {f"r{i}": 1 for i in range(9)}

    rest = await client.subscribe(room.pk, since=_seqs(first)[-1])

    assert rest["more"] is False
    assert _seqs(rest) == list(range(501, 521))


async def test_exactly_500_events_after_since_have_no_more(
    connect: Connect, lead: User, member: User, room: Room
) -> None:
    await orm(_many_events, lead, room, 501)
    client = await connect(member)

    subscribed = await client.subscribe(room.pk, since=1)

    assert subscribed["more"] is False
    assert _seqs(subscribed) == list(range(2, 502))


async def test_after_more_the_next_subscribe_includes_what_happened_meanwhile_and_goes_live(
    connect: Connect, lead: User, member: User, room: Room
) -> None:
    await orm(_many_events, lead, room, 510)
    client = await connect(member)
    writer = await connect(lead)
    first = await client.subscribe(room.pk, since=0)
    assert first["more"] is True

    await writer.post(room.pk, "Während des Aufholens")  # seq 511
    rest = await client.subscribe(room.pk, since=500)
    await writer.post(room.pk, "Danach")  # seq 512

    assert _seqs(rest) == list(range(501, 512))
    assert rest["messages"][-1]["data"]["body"] == "Während des Aufholens"
    live = await client.event()
    assert (live["seq"], live["data"]["body"]) == (512, "Danach")
    await client.nothing()


# --- reset: since too far behind, or ahead ------------------------------------


def _long_log(user: User, room: Room, *, messages: int, last_seq: int) -> None:
    """`messages` real messages, then room.updated entries up to `last_seq` in bulk (the
    replay decides by `room.last_seq` and reads the log; no need for 5,000 real writes)."""
    post_many(user, room, messages)
    RoomEvent.objects.bulk_create(
        RoomEvent(room=room, seq=seq, kind=RoomEvent.Kind.ROOM_UPDATED)
        for seq in range(messages + 1, last_seq + 1)
    )
    Room.objects.filter(pk=room.pk).update(last_seq=last_seq)


async def test_since_more_than_5000_behind_resets_to_the_latest_50(
    connect: Connect, lead: User, member: User, room: Room
) -> None:
    await orm(_long_log, lead, room, messages=3, last_seq=5010)
    client = await connect(member)

    subscribed = await client.subscribe(room.pk, since=9)  # 5,001 behind

    assert subscribed["reset"] is True
    assert subscribed["more"] is False
    assert subscribed["seq"] == 5010
    assert [(m["seq"], m["event"]) for m in subscribed["messages"]] == [
        (1, "message.created"),
        (2, "message.created"),
        (3, "message.created"),
    ]


async def test_since_exactly_5000_behind_is_replayed_not_reset(
    connect: Connect, lead: User, member: User, room: Room
) -> None:
    await orm(_long_log, lead, room, messages=3, last_seq=5010)
    client = await connect(member)

    subscribed = await client.subscribe(room.pk, since=10)

    assert subscribed["reset"] is False
    assert subscribed["more"] is True
    assert _seqs(subscribed) == list(range(11, 511))
    assert subscribed["messages"][0]["event"] == "room.updated"
    assert subscribed["messages"][0]["data"]["id"] == room.pk


async def test_since_above_the_latest_seq_resets_to_the_latest_messages(
    connect: Connect, lead: User, member: User, room: Room
) -> None:
    await orm(post_many, lead, room, 55)
    client = await connect(member)

    subscribed = await client.subscribe(room.pk, since=56)

    assert subscribed["reset"] is True
    assert subscribed["seq"] == 55
    assert _seqs(subscribed) == list(range(6, 56))
    assert {m["event"] for m in subscribed["messages"]} == {"message.created"}


# --- live events after subscribing ------------------------------------------------


async def test_events_after_subscribing_arrive_live_with_the_next_seq(
    connect: Connect, lead: User, member: User, room: Room
) -> None:
    await orm(post_many, lead, room, 2)
    reader = await connect(member)
    writer = await connect(lead)
    await reader.subscribe(room.pk)

    ack = await writer.post(room.pk, "Live")

    event = await reader.event()
    assert (event["room"], event["seq"], event["event"]) == (room.pk, 3, "message.created")
    assert event["data"]["id"] == ack["message"]


async def test_unsubscribe_stops_the_rooms_events(
    connect: Connect, lead: User, member: User, outsider: User, room: Room
) -> None:
    leaving = await connect(member)
    staying = await connect(outsider)
    writer = await connect(lead)
    await leaving.subscribe(room.pk)
    await staying.subscribe(room.pk)

    reply = await leaving.request({"type": "unsubscribe", "room": room.pk})
    await writer.post(room.pk, "Noch jemand da?")

    assert reply == {"type": "unsubscribed", "room": room.pk, "reason": "requested"}
    assert (await staying.event())["data"]["body"] == "Noch jemand da?"
    await leaving.nothing()


async def test_unsubscribe_keeps_the_other_rooms(
    connect: Connect, lead: User, member: User, room: Room, other_room: Room
) -> None:
    client = await connect(member)
    writer = await connect(lead)
    await client.subscribe(room.pk)
    await client.subscribe(other_room.pk)

    await client.request({"type": "unsubscribe", "room": room.pk})
    await writer.post(room.pk, "Hier")
    await writer.post(other_room.pk, "Dort")

    event = await client.event()
    assert (event["room"], event["data"]["body"]) == (other_room.pk, "Dort")
    await client.nothing()


async def test_a_refused_second_subscribe_keeps_the_existing_subscription(
    connect: Connect, lead: User, member: User, room: Room
) -> None:
    # An `invalid` frame changes nothing: the room stays subscribed (PROTOCOL.md: errors
    # never close anything but the listed cases; a client has no way to know it lost it).
    client = await connect(member)
    writer = await connect(lead)
    await client.subscribe(room.pk)

    error = await client.error({"type": "subscribe", "room": room.pk, "since": "gestern"})
    await writer.post(room.pk, "Immer noch da?")

    assert error["code"] == "invalid"
    assert (await client.event())["data"]["body"] == "Immer noch da?"


async def test_one_connection_receives_several_rooms(
    connect: Connect, lead: User, member: User, room: Room, other_room: Room, city_room: Room
) -> None:
    client = await connect(member)
    writer = await connect(lead)
    for r in (room, other_room, city_room):
        await client.subscribe(r.pk)

    for r in (room, other_room, city_room):
        await writer.post(r.pk, f"In {r.title}")

    events = [await client.event() for _ in range(3)]
    assert [(e["room"], e["seq"]) for e in events] == [
        (room.pk, 1),
        (other_room.pk, 1),
        (city_room.pk, 1),
    ]


# --- who may subscribe ------------------------------------------------------------


async def test_non_member_cannot_subscribe_to_a_members_only_room(
    connect: Connect, outsider: User, private_room: Room
) -> None:
    client = await connect(outsider)

    error = await client.error({"type": "subscribe", "room": private_room.pk})

    assert error["code"] == "forbidden"
    await client.alive()


async def test_member_subscribes_to_a_members_only_room_and_gets_its_events(
    connect: Connect, lead: User, member: User, private_room: Room
) -> None:
    client = await connect(member)
    writer = await connect(lead)

    subscribed = await client.subscribe(private_room.pk)
    await writer.post(private_room.pk, "Nur für uns")

    assert subscribed["you"]["role"] == "member"
    assert (await client.event())["data"]["body"] == "Nur für uns"


async def test_moderator_may_read_a_members_only_room(
    connect: Connect, lead: User, site_moderator: User, private_room: Room
) -> None:
    await orm(post, lead, private_room, "Intern")
    client = await connect(site_moderator)

    subscribed = await client.subscribe(private_room.pk)

    assert subscribed["you"]["role"] == "moderator"
    assert [m["data"]["body"] for m in subscribed["messages"]] == ["Intern"]


async def test_anyone_signed_in_subscribes_to_open_and_city_wide_rooms(
    connect: Connect, outsider: User, room: Room, city_room: Room
) -> None:
    client = await connect(outsider)

    assert (await client.subscribe(room.pk))["you"]["role"] is None
    assert (await client.subscribe(city_room.pk))["room"] == city_room.pk


async def test_archived_room_can_be_read_but_not_written(
    connect: Connect, lead: User, member: User, room: Room
) -> None:
    message = (await orm(post, lead, room, "Vor dem Archiv")).message
    await orm(services.room_update, user=lead, room=room, archived=True)
    client = await connect(member)

    subscribed = await client.subscribe(room.pk)
    send_error = await client.error(
        {"type": "send", "room": room.pk, "body": "Noch was", "client_id": cid()}
    )
    react_error = await client.error(
        {"type": "react", "room": room.pk, "message": message.pk, "emoji": "👍"}
    )

    assert [m["data"]["body"] for m in subscribed["messages"]] == ["Vor dem Archiv"]
    assert subscribed["you"]["can_post"] is False
    assert send_error["code"] == "forbidden"
    assert react_error["code"] == "forbidden"
    assert await orm(Message.objects.filter(room=room).count) == 1
    assert await orm(Reaction.objects.count) == 0


async def test_unread_in_subscribed_counts_others_messages_after_the_read_mark(
    connect: Connect, lead: User, member: User, room: Room
) -> None:
    await orm(post_many, lead, room, 5)
    await orm(post, member, room, "Meine eigene")
    await orm(services.read_mark, user=member, room_id=room.pk, seq=3)
    client = await connect(member)

    subscribed = await client.subscribe(room.pk)

    assert subscribed["unread"] == 2
