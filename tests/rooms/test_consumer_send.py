"""`send`: the `ack` after commit, the live `message.created`, idempotency by `client_id`,
validation, threads, Markdown sanitizing, slow mode and who may post."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User

from rooms.models import Message, Room, RoomEvent
from tests.rooms.helpers import MESSAGE_FIELDS, committed, post
from tests.ws import Connect, cid, committing, orm

pytestmark = committing


def _send(room: Room, body: Any, client_id: Any = None, **extra: Any) -> dict[str, Any]:
    return {"type": "send", "room": room.pk, "body": body, "client_id": client_id, **extra}


def _counts(room: Room) -> tuple[int, int]:
    return Message.objects.filter(room=room).count(), RoomEvent.objects.filter(room=room).count()


# --- ack and the live event --------------------------------------------------------


async def test_send_is_acked_with_client_id_message_and_seq_once_committed(
    connect: Connect, member: User, room: Room
) -> None:
    client = await connect(member)
    client_id = cid()

    ack = await client.request(_send(room, "Wer hilft am Samstag?", client_id))

    assert set(ack) == {"type", "client_id", "message", "seq"}
    assert ack["type"] == "ack"
    assert ack["client_id"] == client_id
    assert ack["seq"] == 1
    # Committed: another database connection sees the message and its event.
    stored = await committed(
        lambda: Message.objects.filter(pk=ack["message"]).values("body", "seq", "client_id").get()
    )
    assert stored == {"body": "Wer hilft am Samstag?", "seq": 1, "client_id": client_id}
    assert await committed(
        lambda: RoomEvent.objects.filter(room=room, seq=1, message_id=ack["message"]).exists()
    )


async def test_sender_and_other_subscribers_get_message_created_with_the_protocol_fields(
    connect: Connect, member: User, outsider: User, room: Room
) -> None:
    sender = await connect(member)
    other = await connect(outsider)
    await sender.subscribe(room.pk)
    await other.subscribe(room.pk)
    client_id = cid()

    ack, own = await sender.post_and_event(
        room.pk, "Wer hilft am **Samstag**?", client_id=client_id
    )
    seen = await other.event()

    assert own == seen
    assert set(seen) == {"type", "room", "seq", "event", "data"}
    assert (seen["type"], seen["room"], seen["seq"], seen["event"]) == (
        "event",
        room.pk,
        ack["seq"],
        "message.created",
    )
    data = seen["data"]
    assert set(data) == MESSAGE_FIELDS
    created_at = data.pop("created_at")
    assert data == {
        "id": ack["message"],
        "room": room.pk,
        "thread": None,
        "author": {"id": member.pk, "username": "jonas", "display_name": "Jonas"},
        "body": "Wer hilft am **Samstag**?",
        "html": "<p>Wer hilft am <strong>Samstag</strong>?</p>",
        "edited_at": None,
        "hidden": False,
        "deleted": False,
        "reactions": {},
        "reply_count": 0,
        "client_id": client_id,
    }
    assert datetime.fromisoformat(created_at).tzinfo is not None


async def test_send_without_subscribing_is_acked_and_reaches_subscribers(
    connect: Connect, member: User, outsider: User, room: Room
) -> None:
    sender = await connect(member)
    reader = await connect(outsider)
    await reader.subscribe(room.pk)

    ack = await sender.post(room.pk, "Von außen")

    assert (await reader.event())["data"]["id"] == ack["message"]
    await sender.nothing()


async def test_body_is_stored_trimmed(connect: Connect, member: User, room: Room) -> None:
    client = await connect(member)
    await client.subscribe(room.pk)

    _ack, event = await client.post_and_event(room.pk, "  \n Hallo Welt \n ")

    assert event["data"]["body"] == "Hallo Welt"


# --- idempotency -------------------------------------------------------------------


async def test_retry_with_the_same_client_id_gets_the_same_ack_and_stores_nothing_new(
    connect: Connect, member: User, outsider: User, room: Room
) -> None:
    sender = await connect(member)
    reader = await connect(outsider)
    await reader.subscribe(room.pk)
    client_id = cid()
    first = await sender.post(room.pk, "Einmal", client_id=client_id)
    await reader.event()

    retry = await sender.post(room.pk, "Einmal", client_id=client_id)

    assert retry == first
    assert await orm(_counts, room) == (1, 1)
    await reader.nothing()


async def test_retry_after_reconnecting_gets_the_same_ack(
    connect: Connect, member: User, room: Room
) -> None:
    client_id = cid()
    first = await (await connect(member)).post(room.pk, "Einmal", client_id=client_id)

    retry = await (await connect(member)).post(room.pk, "Einmal", client_id=client_id)

    assert retry == first
    assert await orm(_counts, room) == (1, 1)


async def test_the_same_client_id_of_two_users_are_two_messages(
    connect: Connect, member: User, outsider: User, room: Room
) -> None:
    client_id = cid()

    first = await (await connect(member)).post(room.pk, "Ich", client_id=client_id)
    second = await (await connect(outsider)).post(room.pk, "Ich auch", client_id=client_id)

    assert first["message"] != second["message"]
    assert (first["seq"], second["seq"]) == (1, 2)


# --- validation ---------------------------------------------------------------------


async def test_body_of_5000_characters_is_accepted(
    connect: Connect, member: User, room: Room
) -> None:
    client = await connect(member)

    ack = await client.post(room.pk, "a" * 5000)

    assert ack["seq"] == 1


async def test_body_too_long_or_empty_is_too_long(
    connect: Connect, member: User, room: Room
) -> None:
    client = await connect(member)

    for body in ("a" * 5001, " " + "a" * 5001, "", "   ", " \n\t "):
        error = await client.error({**_send(room, body, cid()), "ref": "b"})
        assert (error["code"], error["ref"]) == ("too_long", "b"), body
    assert await orm(_counts, room) == (0, 0)


async def test_message_length_limit_is_a_setting(
    connect: Connect, member: User, room: Room, settings: Any
) -> None:
    settings.KLIMA = {**settings.KLIMA, "MESSAGE_MAX_LENGTH": 10}
    client = await connect(member)

    assert (await client.error(_send(room, "a" * 11, cid())))["code"] == "too_long"
    assert (await client.post(room.pk, "a" * 10))["seq"] == 1


INVALID_SENDS: list[dict[str, Any]] = [
    {"body": "x"},
    {"body": "x", "client_id": None},
    {"body": "x", "client_id": 12},
    {"body": "x", "client_id": ""},
    {"body": "x", "client_id": "c" * 65},
    {"body": 12, "client_id": "c"},
    {"body": None, "client_id": "c"},
    {"body": ["x"], "client_id": "c"},
    {"client_id": "c"},
    {"body": "x", "client_id": "c", "thread": "1"},
    {"body": "x", "client_id": "c", "thread": True},
]


async def test_missing_or_wrongly_typed_fields_are_invalid(
    connect: Connect, member: User, room: Room
) -> None:
    client = await connect(member)

    for fields in INVALID_SENDS:
        error = await client.error({"type": "send", "room": room.pk, **fields})
        assert error["code"] == "invalid", fields
    assert await orm(_counts, room) == (0, 0)


async def test_nul_characters_are_invalid_not_a_server_failure(
    connect: Connect, member: User, room: Room
) -> None:
    # REST refuses NUL with 400 (DRF); PostgreSQL cannot store it. The socket must
    # answer `invalid` too, never `unavailable` with a logged trace, on either database.
    client = await connect(member)

    for fields in ({"body": "a\x00b"}, {"client_id": "c\x00"}):
        reply = await client.request({**_send(room, "Hallo", cid()), **fields})
        assert (reply["type"], reply.get("code")) == ("error", "invalid"), (fields, reply)
    assert await orm(_counts, room) == (0, 0)


# --- threads --------------------------------------------------------------------------


async def test_reply_has_the_root_as_thread_and_replies_to_replies_attach_to_the_root(
    connect: Connect, member: User, lead: User, room: Room
) -> None:
    client = await connect(member)
    await client.subscribe(room.pk)
    root_ack, _ = await client.post_and_event(room.pk, "Wer bringt Kabel mit?")

    _, reply = await client.post_and_event(room.pk, "Ich!", thread=root_ack["message"])
    _, nested = await client.post_and_event(room.pk, "Ich auch", thread=reply["data"]["id"])

    assert reply["data"]["thread"] == root_ack["message"]
    assert nested["data"]["thread"] == root_ack["message"]
    # The root now shows two replies, to anyone who fetches it fresh.
    fresh = await (await connect(lead)).subscribe(room.pk)
    root = fresh["messages"][0]["data"]
    assert (root["id"], root["reply_count"]) == (root_ack["message"], 2)
    assert [m["data"]["reply_count"] for m in fresh["messages"][1:]] == [0, 0]


async def test_reply_to_an_unknown_message_is_not_found(
    connect: Connect, member: User, room: Room
) -> None:
    client = await connect(member)

    error = await client.error(_send(room, "Antwort", cid(), thread=987_654))

    assert error["code"] == "not_found"
    assert await orm(_counts, room) == (0, 0)


async def test_reply_to_a_message_of_another_room_is_not_found(
    connect: Connect, member: User, room: Room, other_room: Room
) -> None:
    elsewhere = (await orm(post, member, other_room, "Dort")).message
    client = await connect(member)

    error = await client.error(_send(room, "Antwort", cid(), thread=elsewhere.pk))

    assert error["code"] == "not_found"


async def test_reply_to_a_deleted_message_is_not_found(
    connect: Connect, member: User, room: Room
) -> None:
    from rooms import services

    root = (await orm(post, member, room, "Gleich weg")).message
    await orm(services.message_delete, user=member, room_id=room.pk, message_id=root.pk)
    client = await connect(member)

    error = await client.error(_send(room, "Antwort", cid(), thread=root.pk))

    assert error["code"] == "not_found"


# --- Markdown, sanitized ---------------------------------------------------------------


async def _html_of(connect: Connect, user: User, room: Room, body: str) -> str:
    client = await connect(user)
    await client.subscribe(room.pk)
    _ack, event = await client.post_and_event(room.pk, body)
    return str(event["data"]["html"])


async def test_raw_html_never_reaches_html(connect: Connect, member: User, room: Room) -> None:
    client = await connect(member)
    await client.subscribe(room.pk)

    for body in (
        "<script>alert(1)</script>",
        "Hallo <script>alert(1)</script> Welt",
        "```\n</code><script>alert(1)</script>\n```",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        "<iframe src='https://evil.example'></iframe>",
        "<div onclick='alert(1)'>**x**</div>",
    ):
        _ack, event = await client.post_and_event(room.pk, body)
        html = event["data"]["html"].lower()
        for tag in ("<script", "<img", "<iframe", "<a ", "<div"):
            assert tag not in html, (body, html)
        assert event["data"]["body"] == body  # the text stays as written


async def test_links_with_unsafe_schemes_are_not_links(
    connect: Connect, member: User, room: Room
) -> None:
    client = await connect(member)
    await client.subscribe(room.pk)

    for body in (
        "[x](javascript:alert(1))",
        "[x](JavaScript:alert(1))",
        "[x](javascript&#58;alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](vbscript:msgbox(1))",
        "<javascript:alert(1)>",
    ):
        _ack, event = await client.post_and_event(room.pk, body)
        html = event["data"]["html"]
        assert "<a" not in html and "href" not in html, (body, html)


async def test_links_get_rel_nofollow_noopener_noreferrer(
    connect: Connect, member: User, room: Room
) -> None:
    client = await connect(member)
    await client.subscribe(room.pk)

    _ack, event = await client.post_and_event(room.pk, "Siehe [Plan](https://example.org/plan)")

    assert event["data"]["html"] == (
        '<p>Siehe <a href="https://example.org/plan" rel="nofollow noopener noreferrer">'
        "Plan</a></p>"
    )


MARKDOWN = [
    ("**fett**", "<p><strong>fett</strong></p>"),
    ("*schräg*", "<p><em>schräg</em></p>"),
    ("~~weg~~", "<p><del>weg</del></p>"),
    ("`code`", "<p><code>code</code></p>"),
    ("- eins\n- zwei", "<ul>\n<li>eins</li>\n<li>zwei</li>\n</ul>"),
    ("a & b < c", "<p>a &amp; b &lt; c</p>"),
]


async def test_markdown_subset_is_rendered(connect: Connect, member: User, room: Room) -> None:
    client = await connect(member)
    await client.subscribe(room.pk)

    for body, html in MARKDOWN:
        _ack, event = await client.post_and_event(room.pk, body)
        assert event["data"]["html"] == html, body


# --- slow mode ------------------------------------------------------------------------


def _slow(room: Room, seconds: int) -> None:
    room.slow_mode_seconds = seconds
    room.save(update_fields=["slow_mode_seconds"])  # a save, as the services do: it ends grants


async def test_slow_mode_refuses_a_second_send_within_the_interval(
    connect: Connect, member: User, room: Room
) -> None:
    await orm(_slow, room, 30)
    client = await connect(member)
    await client.post(room.pk, "Erste")

    error = await client.error({**_send(room, "Zweite", cid()), "ref": 2})

    assert (error["code"], error["ref"]) == ("slow_mode", 2)
    assert isinstance(error["retry_after"], int)
    assert 0 < error["retry_after"] <= 30
    assert await orm(_counts, room) == (1, 1)


async def test_slow_mode_is_per_user(
    connect: Connect, member: User, outsider: User, room: Room
) -> None:
    await orm(_slow, room, 30)
    await (await connect(member)).post(room.pk, "Erste")

    ack = await (await connect(outsider)).post(room.pk, "Andere Person")

    assert ack["seq"] == 2


async def test_slow_mode_allows_posting_again_after_the_interval(
    connect: Connect, member: User, room: Room
) -> None:
    await orm(_slow, room, 30)
    client = await connect(member)
    first = await client.post(room.pk, "Erste")
    await orm(_age_message, first["message"], seconds=31)

    assert (await client.post(room.pk, "Zweite"))["seq"] == 2


async def test_leads_and_moderators_are_exempt_from_slow_mode(
    connect: Connect, lead: User, site_moderator: User, room: Room
) -> None:
    await orm(_slow, room, 30)
    for user in (lead, site_moderator):
        client = await connect(user)
        await client.post(room.pk, "Eins")
        await client.post(room.pk, "Zwei")

    assert await orm(_counts, room) == (4, 4)


async def test_slow_mode_does_not_refuse_editing_ones_message(
    connect: Connect, member: User, room: Room
) -> None:
    # Slow mode limits how often one posts (PROTOCOL.md: "posted less than its interval
    # ago"); fixing a typo right after posting is not posting.
    await orm(_slow, room, 30)
    client = await connect(member)
    await client.subscribe(room.pk)
    ack, _ = await client.post_and_event(room.pk, "Tippfeler")

    await client.send(
        {"type": "edit", "room": room.pk, "message": ack["message"], "body": "Tippfehler"}
    )
    event = await client.event()

    assert (event["event"], event["data"]["body"]) == ("message.edited", "Tippfehler")


def _age_message(message_id: int, *, seconds: int) -> None:
    from datetime import timedelta

    from django.utils import timezone

    Message.objects.filter(pk=message_id).update(
        created_at=timezone.now() - timedelta(seconds=seconds)
    )


# --- who may post ----------------------------------------------------------------------


async def test_non_member_cannot_send_to_a_members_only_room(
    connect: Connect, outsider: User, private_room: Room
) -> None:
    client = await connect(outsider)

    error = await client.error(_send(private_room, "Hallo?", cid()))

    assert error["code"] == "forbidden"
    assert await orm(_counts, private_room) == (0, 0)


async def test_member_and_moderator_send_to_a_members_only_room(
    connect: Connect, member: User, site_moderator: User, private_room: Room
) -> None:
    assert (await (await connect(member)).post(private_room.pk, "Hallo"))["seq"] == 1
    assert (await (await connect(site_moderator)).post(private_room.pk, "Moin"))["seq"] == 2


async def test_anyone_signed_in_sends_to_a_city_wide_room(
    connect: Connect, outsider: User, city_room: Room
) -> None:
    assert (await (await connect(outsider)).post(city_room.pk, "Hallo Stuttgart"))["seq"] == 1
