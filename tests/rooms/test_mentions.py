"""Mentions and replies notify, live and by REST, and never anyone who may not read the
room: `@name` (linked in the html, never inside code), what the ack tells the author,
`@alle` for leads and moderators in small rooms, an edit that adds a mention, a reply
telling the thread's people, and quotes that stop once the message is hidden, deleted
or out of the reader's reach. And the composer's list of people to mention."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from accounts.models import Notification
from accounts.selectors import display_name_of
from initiatives import services as initiative_services
from initiatives.models import Initiative, Membership
from moderation import services as moderation
from rooms import services
from rooms.models import Mention, Room
from tests.factories import ApiAs, MakePerson
from tests.rooms.helpers import post
from tests.ws import Connect, committing, open_socket, orm

NOTIFICATIONS = "/api/notifications/"


def _mine(user: User) -> list[Notification]:
    return list(Notification.objects.filter(user=user).order_by("pk"))


@committing
async def test_a_mention_reaches_the_person_live_and_the_author_learns_it(
    connect: Connect, lead: User, member: User, room: Room
) -> None:
    jonas = await connect(member)
    lena = await connect(lead)

    ack = await lena.post(room.pk, "@jonas kannst du Samstag?")

    assert ack["mentions"] == {"notified": ["jonas"], "unreachable": [], "all": None}
    frame = await jonas.recv()
    assert frame["type"] == "notification"
    assert frame["kind"] == "mention"
    name = await orm(display_name_of, lead)
    assert frame["text"] == f"{name} hat dich in „Allgemein“ erwähnt: „@jonas kannst du Samstag?“"
    assert frame["quote"] == "@jonas kannst du Samstag?"
    assert frame["url"] == f"/raeume/{room.pk}/"
    await lena.nothing(0.2)  # the author is not told about her own message


@pytest.mark.django_db
def test_the_mention_is_a_link_to_the_profile_but_not_in_code_or_for_strangers(
    lead: User, member: User, room: Room
) -> None:
    posted = post(lead, room, "Hallo @Jonas, `@jonas` bleibt Code, @niemand und a@jonas auch")

    assert posted.message.html == (
        '<p>Hallo <a href="/personen/jonas/" rel="nofollow noopener noreferrer">@Jonas</a>, '
        "<code>@jonas</code> bleibt Code, @niemand und a@jonas auch</p>"
    )
    assert [n.kind for n in _mine(member)] == ["mention"]


@pytest.mark.django_db
def test_nobody_hears_of_a_room_they_may_not_read(
    lead: User, member: User, private_room: Room, make_person: MakePerson
) -> None:
    outsider = make_person("otto")

    posted = post(lead, private_room, "@otto und @jonas, schaut mal")

    assert posted.mentions is not None
    assert posted.mentions.notified == ["jonas"]
    assert posted.mentions.unreachable == ["otto"]
    assert _mine(outsider) == []
    assert [n.kind for n in _mine(member)] == ["mention"]


@pytest.mark.django_db
def test_a_banned_member_is_not_told(
    lead: User, member: User, room: Room, site_moderator: User
) -> None:
    moderation.member_ban(
        actor=site_moderator, user_id=member.pk, scope={"room": room.pk}, duration=None, reason="x"
    )
    Notification.objects.filter(user=member).delete()  # the ban's own notice

    posted = post(lead, room, "@jonas?")

    assert posted.mentions is not None and posted.mentions.unreachable == ["jonas"]
    assert _mine(member) == []


@pytest.mark.django_db
def test_an_edit_that_adds_a_mention_notifies_once_and_removing_it_takes_nothing_back(
    lead: User, member: User, room: Room, make_person: MakePerson, initiative: Initiative
) -> None:
    carla = make_person("carla")
    initiative_services.initiative_join(user=carla, initiative=initiative)
    posted = post(lead, room, "Wer kommt? @jonas")

    services.message_edit(
        user=lead, room_id=room.pk, message_id=posted.message.pk, body="@jonas @carla?"
    )
    services.message_edit(
        user=lead, room_id=room.pk, message_id=posted.message.pk, body="@jonas @carla!"
    )
    services.message_edit(user=lead, room_id=room.pk, message_id=posted.message.pk, body="niemand")

    assert [n.kind for n in _mine(member)] == ["mention"]
    assert [n.kind for n in _mine(carla)] == ["mention"]
    assert Mention.objects.filter(message=posted.message).count() == 2


@pytest.mark.django_db
def test_alle_is_for_leads_and_moderators_in_rooms_under_the_size(
    lead: User, member: User, room: Room, city_room: Room, settings: Any, make_person: MakePerson
) -> None:
    by_member = post(member, room, "@alle Kuchen!")
    assert by_member.mentions is not None and by_member.mentions.everyone == "forbidden"
    assert _mine(lead) == []

    by_lead = post(lead, room, "@alle Treffen um 9")
    assert by_lead.mentions is not None and by_lead.mentions.everyone == "notified"
    [told] = _mine(member)
    assert told.text == f"{display_name_of(lead)} hat alle in „Allgemein“ erwähnt"

    settings.KLIMA = {**settings.KLIMA, "MENTION_ALL_MAX": 1}
    too_many = post(lead, room, "@all noch einmal")
    assert too_many.mentions is not None and too_many.mentions.everyone == "too_large"
    moderator = make_person("mira", moderator=True)
    city = post(moderator, city_room, "@alle")
    assert city.mentions is not None and city.mentions.everyone == "too_large"
    assert len(_mine(member)) == 1


@pytest.mark.django_db
def test_a_reply_tells_the_threads_people_but_not_its_author_or_the_mentioned_twice(
    lead: User, member: User, room: Room, make_person: MakePerson, initiative: Initiative
) -> None:
    carla = make_person("carla")
    initiative_services.initiative_join(user=carla, initiative=initiative)
    root = post(lead, room, "Wer bringt Werkzeug mit?")
    post(carla, room, "Ich!", thread_id=root.message.pk)

    post(member, room, "@carla super, ich bringe Kaffee", thread_id=root.message.pk)

    assert [(n.kind, n.quote) for n in _mine(lead)] == [
        ("reply", "Ich!"),
        ("reply", "@carla super, ich bringe Kaffee"),
    ]
    assert [n.kind for n in _mine(carla)] == ["mention"]  # not also a reply
    assert _mine(member) == []


@pytest.mark.django_db
def test_the_list_stops_quoting_what_the_reader_can_no_longer_read(
    api_as: ApiAs,
    lead: User,
    member: User,
    room: Room,
    private_room: Room,
    site_moderator: User,
    initiative: Initiative,
) -> None:
    hidden = post(lead, room, "@jonas geheim 1")
    deleted = post(lead, room, "@jonas geheim 2")
    left = post(lead, private_room, "@jonas geheim 3")
    kept = post(lead, room, "@jonas bleibt")
    moderation.message_hide(actor=site_moderator, message_id=hidden.message.pk, reason="Spam")
    services.message_delete(user=lead, room_id=room.pk, message_id=deleted.message.pk)
    Membership.objects.filter(user=member, initiative=initiative).delete()  # removed

    rows = api_as(member).get(NOTIFICATIONS).json()["results"]
    mentions = {row["id"]: row for row in rows if row["kind"] == "mention"}

    by_message = {
        n.subject_id: mentions[n.pk]
        for n in Notification.objects.filter(user=member, kind="mention")
    }
    for gone in (hidden, deleted, left):
        row = by_message[gone.message.pk]
        assert row["quote"] == "" and "geheim" not in row["text"]
    assert by_message[kept.message.pk]["quote"] == "@jonas bleibt"
    assert "geheim" not in str(rows)


@pytest.mark.django_db
def test_unread_count_in_me_and_marking_all_read(
    api_as: ApiAs, lead: User, member: User, room: Room
) -> None:
    post(lead, room, "@jonas eins")
    post(lead, room, "@jonas zwei")

    assert api_as(member).get("/api/auth/me/").json()["unread_notifications"] == 2
    marked = api_as(member).post(f"{NOTIFICATIONS}read/")
    assert marked.json() == {"marked": 2}
    assert api_as(member).get("/api/auth/me/").json()["unread_notifications"] == 0


@committing
async def test_hello_carries_the_unread_count(
    connect: Connect, lead: User, member: User, room: Room
) -> None:
    await orm(post, lead, room, "@jonas hallo")

    socket = await open_socket(member)
    hello = await socket.receive_json_from(timeout=5)
    await socket.disconnect()
    assert hello["unread_notifications"] == 1


@pytest.mark.django_db
def test_the_composer_offers_who_may_read_the_room(
    api_as: ApiAs, lead: User, member: User, private_room: Room, make_person: MakePerson
) -> None:
    make_person("jo-outside")
    url = f"/api/rooms/{private_room.pk}/mentionable/"

    found = api_as(lead).get(url, {"q": "jo"}).json()["results"]

    assert [p["username"] for p in found] == ["jonas"]
    assert set(found[0]) == {"id", "username", "display_name"}
    assert api_as(lead).get(url, {"q": "x" * 31}).status_code == 400
    assert api_as(lead).get(url, {"q": "a\x00"}).status_code == 400
    assert api_as(make_person("otto")).get(url, {"q": "jo"}).status_code == 403


@pytest.mark.django_db
def test_a_post_without_an_at_sign_asks_nothing_more(
    lead: User, room: Room, django_assert_max_num_queries: Any
) -> None:
    post(lead, room, "warm up")
    with django_assert_max_num_queries(12) as queries:
        post(lead, room, "kein Name hier")
    assert not any(
        "auth_user" in q["sql"] and "LOWER" in q["sql"].upper() for q in queries.captured_queries
    )


@pytest.mark.django_db
def test_a_rest_post_says_whom_its_mentions_reached(
    api_as: ApiAs, lead: User, member: User, private_room: Room, make_person: MakePerson
) -> None:
    make_person("otto")
    url = f"/api/rooms/{private_room.pk}/messages/"

    posted = api_as(lead).post(url, {"body": "@jonas @otto?", "client_id": "m1"}, format="json")
    plain = api_as(lead).post(url, {"body": "ohne", "client_id": "m2"}, format="json")

    assert posted.status_code == 201
    assert posted.json()["mentions"] == {
        "notified": ["jonas"],
        "unreachable": ["otto"],
        "all": None,
    }
    assert "mentions" not in plain.json()
