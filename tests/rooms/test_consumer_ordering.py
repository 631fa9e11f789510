"""Ordering: concurrent senders, one gap-free `seq` per room, events in order, and the
fan-out filling a gap from the room's log when a broadcast is lost."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from channels.layers import get_channel_layer
from django.contrib.auth.models import User
from django.db import transaction

from realtime import publish
from realtime.channel_layers import GroupSend
from realtime.hub import get_hub
from realtime.messages import Control, Recheck, Unsubscribe, room_control, room_event
from rooms import async_services, services
from rooms.models import Message, Room, RoomEvent
from rooms.rendering import message_variants
from tests.rooms.helpers import post
from tests.ws import Client, Connect, cid, committing, orm

pytestmark = committing

PER_SENDER = 20


async def _send_all(client: Client, room: Room, label: str) -> list[dict[str, Any]]:
    """Send PER_SENDER messages without waiting in between, then collect the acks."""
    for i in range(PER_SENDER):
        await client.send(
            {"type": "send", "room": room.pk, "body": f"{label} {i}", "client_id": cid()}
        )
    return await client.take(PER_SENDER)


async def test_concurrent_senders_give_every_subscriber_seq_1_to_n_in_order(
    connect: Connect, lead: User, member: User, outsider: User, room: Room
) -> None:
    reader = await connect(outsider)
    await reader.subscribe(room.pk)
    a, b = await connect(lead), await connect(member)

    acks_a, acks_b = await asyncio.gather(_send_all(a, room, "A"), _send_all(b, room, "B"))
    events = [await reader.event() for _ in range(2 * PER_SENDER)]

    assert {f["type"] for f in acks_a + acks_b} == {"ack"}
    assert [e["seq"] for e in events] == list(range(1, 2 * PER_SENDER + 1))
    assert {e["event"] for e in events} == {"message.created"}
    # Each sender's messages in the order it sent them, each message once.
    for label, acks in (("A", acks_a), ("B", acks_b)):
        bodies = [e["data"]["body"] for e in events if e["data"]["body"].startswith(label)]
        assert bodies == [f"{label} {i}" for i in range(PER_SENDER)]
        assert [ack["seq"] for ack in acks] == sorted(ack["seq"] for ack in acks)
    assert sorted(ack["message"] for ack in acks_a + acks_b) == sorted(
        e["data"]["id"] for e in events
    )
    await reader.nothing()
    logged = await orm(
        lambda: list(
            RoomEvent.objects.filter(room=room).order_by("seq").values_list("seq", flat=True)
        )
    )
    assert logged == list(range(1, 2 * PER_SENDER + 1))
    assert await orm(lambda: Room.objects.get(pk=room.pk).last_seq) == 2 * PER_SENDER


async def test_each_room_counts_its_own_seq(
    connect: Connect, lead: User, member: User, room: Room, other_room: Room
) -> None:
    reader = await connect(member)
    await reader.subscribe(room.pk)
    await reader.subscribe(other_room.pk)
    writer = await connect(lead)

    for target in (room, other_room, room, other_room, room):
        await writer.post(target.pk, "x")
    events = [await reader.event() for _ in range(5)]

    assert [(e["room"], e["seq"]) for e in events] == [
        (room.pk, 1),
        (other_room.pk, 1),
        (room.pk, 2),
        (other_room.pk, 2),
        (room.pk, 3),
    ]


def _post_unannounced(
    user: User, room: Room, body: str, monkeypatch: pytest.MonkeyPatch
) -> Message:
    """Post through the service, committed, but its broadcast lost (as a full channel or a
    failed publish would lose it)."""
    dropped: list[tuple[str, dict[str, Any]]] = []
    with monkeypatch.context() as patch:
        patch.setattr(publish, "_publish", lambda group, message: dropped.append((group, message)))
        with transaction.atomic():
            message = post(user, room, body).message
    assert len(dropped) == 1  # it was the one broadcast, and it never left
    return message


def _announce(message_id: int) -> dict[str, Any]:
    """The channel-layer message that the service would have published for `message`."""
    message = Message.objects.select_related("author__profile").get(pk=message_id)
    public, moderator = message_variants(message)
    return room_event(
        room_id=message.room_id,
        seq=message.seq,
        kind=RoomEvent.Kind.MESSAGE_CREATED,
        data=public,
        moderator_data=moderator,
    )


async def test_fanout_fills_a_lost_broadcast_from_the_log(
    connect: Connect, lead: User, member: User, room: Room, monkeypatch: pytest.MonkeyPatch
) -> None:
    await orm(post, lead, room, "Eins")
    reader = await connect(member)
    subscribed = await reader.subscribe(room.pk)
    assert subscribed["seq"] == 1

    lost = await orm(_post_unannounced, lead, room, "Zwei (Broadcast verloren)", monkeypatch)
    late = await orm(_post_unannounced, lead, room, "Drei", monkeypatch)
    assert (lost.seq, late.seq) == (2, 3)
    await get_channel_layer().group_send(
        publish.group_for_room(room.pk), await orm(_announce, late.pk)
    )

    first, second = await reader.event(), await reader.event()
    assert [(e["seq"], e["data"]["id"]) for e in (first, second)] == [(2, lost.pk), (3, late.pk)]
    assert first["data"]["body"] == "Zwei (Broadcast verloren)"
    await reader.nothing()


async def test_an_event_that_arrives_twice_is_delivered_once(
    connect: Connect, lead: User, member: User, room: Room
) -> None:
    reader = await connect(member)
    await reader.subscribe(room.pk)
    writer = await connect(lead)
    ack = await writer.post(room.pk, "Einmal")
    assert (await reader.event())["seq"] == ack["seq"]

    await get_channel_layer().group_send(
        publish.group_for_room(room.pk), await orm(_announce, ack["message"])
    )

    await reader.nothing()


async def test_events_committed_while_subscribing_are_neither_lost_nor_doubled(
    connect: Connect, lead: User, member: User, room: Room
) -> None:
    # The writer keeps posting while the reader subscribes: whatever is not in the replay
    # comes live, and nothing comes twice.
    writer = await connect(lead)
    reader = await connect(member)

    async def write() -> None:
        for i in range(15):
            await writer.post(room.pk, f"M{i}")

    writing = asyncio.ensure_future(write())
    subscribed = await reader.subscribe(room.pk)
    await writing
    replayed = [m["seq"] for m in subscribed["messages"]]
    live = [(await reader.event())["seq"] for _ in range(15 - len(replayed))]

    assert replayed + live == list(range(1, 16))
    await reader.nothing()


async def test_services_called_directly_reach_subscribers(
    connect: Connect, lead: User, member: User, room: Room
) -> None:
    # REST and the socket share the services; a change made through them is live.
    reader = await connect(member)
    await reader.subscribe(room.pk)

    message = (await orm(post, lead, room, "Per Service")).message
    await orm(
        services.reaction_add, user=member, room_id=room.pk, message_id=message.pk, emoji="👍"
    )
    await orm(services.room_update, user=lead, room=room, title="Allgemein & Orga")

    events = [await reader.event() for _ in range(3)]
    assert [(e["seq"], e["event"]) for e in events] == [
        (1, "message.created"),
        (2, "reaction.added"),
        (3, "room.updated"),
    ]
    assert events[2]["data"]["title"] == "Allgemein & Orga"
    assert events[2]["data"]["last_seq"] == 3


async def test_message_posted_over_rest_reaches_websocket_subscribers(
    connect: Connect, member: User, outsider: User, room: Room, api_as: Any
) -> None:
    reader = await connect(outsider)
    await reader.subscribe(room.pk)

    response = await orm(
        lambda: api_as(member).post(
            f"/api/rooms/{room.pk}/messages/", {"body": "Bot", "client_id": cid()}, format="json"
        )
    )

    assert response.status_code == 201
    event = await reader.event()
    fetched = response.json()
    assert (event["seq"], event["event"]) == (fetched.pop("seq"), "message.created")
    assert event["data"] == fetched


async def test_old_state_plus_live_events_equals_a_fresh_fetch(
    connect: Connect, lead: User, member: User, outsider: User, room: Room
) -> None:
    first = (await orm(post, lead, room, "Alt 1")).message
    second = (await orm(post, lead, room, "Alt 2")).message
    watcher = await connect(outsider)
    state = {m["data"]["id"]: m["data"] for m in (await watcher.subscribe(room.pk))["messages"]}
    author = await connect(member)
    ack = await author.post(room.pk, "Neu")
    for frame in [
        {"type": "react", "room": room.pk, "message": first.pk, "emoji": "👍"},
        {"type": "edit", "room": room.pk, "message": ack["message"], "body": "Neu, bearbeitet"},
        {
            "type": "send",
            "room": room.pk,
            "body": "Re",
            "client_id": cid(),
            "thread": ack["message"],
        },
    ]:
        await author.send(frame)
    await (await connect(lead)).send({"type": "delete", "room": room.pk, "message": second.pk})

    seqs = []
    for _ in range(5):
        event = await watcher.event()
        seqs.append(event["seq"])
        data = event["data"]
        if event["event"] == "message.created" and data["thread"] in state:
            # A client counts replies itself: the root is not re-sent for a new reply.
            state[data["thread"]] = {
                **state[data["thread"]],
                "reply_count": state[data["thread"]]["reply_count"] + 1,
            }
        state[data["id"]] = data

    fresh = await (await connect(outsider)).subscribe(room.pk)
    assert seqs == [3, 4, 5, 6, 7]
    assert fresh["seq"] == 7
    assert {m["data"]["id"]: m["data"] for m in fresh["messages"]} == state


async def test_frames_published_by_one_process_arrive_in_commit_order(
    connect: Connect, member: User
) -> None:
    """Publishing is handed from the database thread to the event loop
    (realtime.publish); on Redis, concurrent publishes could overtake each other."""
    client = await connect(member)

    def publish_in_one_transaction() -> None:
        with transaction.atomic():
            for n in range(40):
                publish.user_frame_on_commit(user_id=member.pk, frame={"type": "n", "n": n})

    await orm(publish_in_one_transaction)
    await orm(publish_in_one_transaction)

    received = [frame["n"] for frame in await client.take(80)]
    assert received == list(range(40)) * 2


async def test_own_publishes_reach_local_sockets_directly_and_the_layer_only_for_others(
    connect: Connect, lead: User, member: User, room: Room, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The publishing process's hub has the event at once (realtime.publish.serve_locally);
    the channel layer carries it to the other processes' hubs, never back to its own."""
    reader = await connect(member)
    await reader.subscribe(room.pk)
    layer = get_channel_layer()
    sent: list[tuple[str, str | None]] = []  # room events only (presence may come too)
    layer_group_send_many = layer.group_send_many

    async def spy(sends: list[GroupSend]) -> None:
        sent.extend((g, exclude) for g, m, exclude in sends if m["type"] == "room.event")
        await layer_group_send_many(sends)

    monkeypatch.setattr(layer, "group_send_many", spy)
    other_process = "hub.other-process"
    await layer.group_add(publish.group_for_room(room.pk), other_process)

    ack = await (await connect(lead)).post(room.pk, "Lokal zuerst")

    event = await reader.event()
    assert (event["seq"], event["data"]["body"]) == (ack["seq"], "Lokal zuerst")
    assert sent == [(publish.group_for_room(room.pk), get_hub().channel)]
    assert [m["seq"] for m in await layer.receive_many(other_process)] == [ack["seq"]]
    await reader.nothing()


async def test_publishes_that_wait_for_the_layer_go_to_it_as_one_batch_in_order(
    connect: Connect, member: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While one send to the other processes waits for its reply, what is published
    meanwhile waits behind it and then goes in one round trip (realtime.publish:
    realtime.inorder.InBatches), in commit order."""
    own_socket = await connect(member)  # starts this loop's hub
    layer = get_channel_layer()
    other_process = "hub.other-process"
    await layer.group_add(publish.group_for_user(member.pk), other_process)
    calls: list[list[int]] = []
    first_call_waits = asyncio.Event()
    release = asyncio.Event()
    layer_group_send_many = layer.group_send_many

    async def slow_first(sends: list[GroupSend]) -> None:
        calls.append([json.loads(m["text"])["n"] for _g, m, _x in sends])
        if len(calls) == 1:
            first_call_waits.set()
            await release.wait()
        await layer_group_send_many(sends)

    monkeypatch.setattr(layer, "group_send_many", slow_first)

    def publish_n(n: int) -> None:
        publish.user_frame_on_commit(user_id=member.pk, frame={"type": "n", "n": n})

    await orm(publish_n, 0)
    await asyncio.wait_for(first_call_waits.wait(), 5)
    for n in range(1, 6):
        await orm(publish_n, n)
    # Each publish is queued for the other processes before it is delivered here, so
    # once this socket has all six, 1-5 wait behind the first send.
    assert [frame["n"] for frame in await own_socket.take(6)] == [0, 1, 2, 3, 4, 5]
    release.set()
    await publish.drained()

    assert calls == [[0], [1, 2, 3, 4, 5]]
    received = await asyncio.wait_for(layer.receive_many(other_process), 5)
    assert [json.loads(m["text"])["n"] for m in received] == [0, 1, 2, 3, 4, 5]


async def test_a_local_delivery_that_waits_holds_back_no_other_process(
    connect: Connect, lead: User, room: Room, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A moderation control may wait on a slow socket; the other workers still get the
    process's publishes (realtime.publish: the queue to them is filled first)."""
    await connect(lead)  # starts this loop's hub
    hub = get_hub()
    release = asyncio.Event()
    hub_dispatch = hub.dispatch

    async def stuck(message: dict[str, Any]) -> None:
        await release.wait()
        await hub_dispatch(message)

    monkeypatch.setattr(hub, "dispatch", stuck)
    other_process = "hub.other-process"
    await get_channel_layer().group_add(publish.group_for_room(room.pk), other_process)

    try:
        ack = await (await connect(lead)).post(room.pk, "Trotzdem raus")
        received = await asyncio.wait_for(get_channel_layer().receive_many(other_process), 5)
        assert [m["seq"] for m in received] == [ack["seq"]]
    finally:
        release.set()


async def test_two_controls_that_end_one_subscription_say_so_once(
    connect: Connect, member: User, room: Room, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A recheck that is still reading the database when a ban's unsubscribe ends the
    subscription (both from the hub, which two tasks feed) adds no second frame."""
    reader = await connect(member)
    await reader.subscribe(room.pk)
    reading = asyncio.Event()
    answer = asyncio.Event()

    async def slow_may_read_room(**kwargs: Any) -> bool:
        reading.set()
        await answer.wait()
        return False

    monkeypatch.setattr(async_services, "may_read_room", slow_may_read_room)
    hub = get_hub()

    def control(control: Control) -> dict[str, Any]:
        return dict(room_control(room_id=room.pk, control=control))

    recheck = asyncio.ensure_future(hub.dispatch(control(Recheck(room=room.pk))))
    await asyncio.wait_for(reading.wait(), 5)
    ban = Unsubscribe(room=room.pk, reason="banned")
    await hub.dispatch(control(ban))
    answer.set()
    await asyncio.wait_for(recheck, 5)

    assert await reader.recv() == {"type": "unsubscribed", "room": room.pk, "reason": "banned"}
    await reader.nothing()
