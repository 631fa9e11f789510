"""Search finds what its reader may read and nothing else: messages of their rooms
(never of a members-only room they are not in, never hidden ones unless they moderate,
never deleted ones, nothing once removed or banned), and the public content that the
lists show (never hidden, cancelled, expired or met). Snippets are escaped text with
the hits in <mark>. On PostgreSQL, German words are found in their other forms, through
the index."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.utils import timezone

from community import services as community
from events import services as events
from initiatives import services as initiatives
from initiatives.models import Category, Initiative, Membership
from moderation import services as moderation
from rooms import services as rooms
from rooms.models import Message, Room
from search import engine
from tests.factories import ApiAs, InitiativeFactory, MakeUser
from tests.rooms.helpers import post

pytestmark = pytest.mark.django_db
SEARCH = "/api/search/"


@pytest.fixture(autouse=True)
def _no_rate_limits(settings: Any) -> None:
    settings.KLIMA = {**settings.KLIMA, "RATE_LIMITS": False}


@pytest.fixture
def lena(make_user: MakeUser) -> User:
    return make_user(username="lena", profile__display_name="Lena")


@pytest.fixture
def jonas(make_user: MakeUser) -> User:
    return make_user(username="jonas")


@pytest.fixture
def initiative(lena: User) -> Initiative:
    return InitiativeFactory(lead=lena, title="Repair-Café West", summary="Wir reparieren")


@pytest.fixture
def orga(initiative: Initiative, lena: User) -> Room:
    return rooms.room_create_by_lead(
        user=lena, initiative=initiative, title="Orga", members_only=True
    )


def _found(api_as: ApiAs, user: Any, q: str, **params: Any) -> list[tuple[str, str]]:
    response = api_as(user).get(SEARCH, {"q": q, **params})
    assert response.status_code == 200, response.content
    return [(hit["type"], hit["snippet"]) for hit in response.json()["results"]]


def test_messages_of_the_rooms_one_may_read_and_nothing_else(
    api_as: ApiAs, lena: User, jonas: User, initiative: Initiative, orga: Room, make_user: MakeUser
) -> None:
    general = initiative.rooms.get(title="Allgemein")
    post(lena, general, "Lastenrad offen für alle")
    post(lena, orga, "Lastenrad geheim im Orga-Raum")
    hidden = post(lena, general, "Lastenrad versteckt")
    deleted = post(lena, general, "Lastenrad gelöscht")
    mira = make_user(username="mira", moderator=True)
    moderation.message_hide(actor=mira, message_id=hidden.message.pk, reason="Spam")
    rooms.message_delete(user=lena, room_id=general.pk, message_id=deleted.message.pk)

    outsider = _found(api_as, jonas, "Lastenrad", type="message")
    assert [s for _, s in outsider] == ["<mark>Lastenrad</mark> offen für alle"]
    initiatives.initiative_join(user=jonas, initiative=initiative)
    member = [s for _, s in _found(api_as, jonas, "Lastenrad", type="message")]
    assert sorted(member) == [
        "<mark>Lastenrad</mark> geheim im Orga-Raum",
        "<mark>Lastenrad</mark> offen für alle",
    ]
    moderator = [s for _, s in _found(api_as, mira, "Lastenrad", type="message")]
    assert "<mark>Lastenrad</mark> versteckt" in moderator and len(moderator) == 3
    assert _found(api_as, None, "Lastenrad", type="message") == []  # rooms need a sign-in

    Membership.objects.filter(user=jonas, initiative=initiative).delete()  # removed
    assert len(_found(api_as, jonas, "Lastenrad", type="message")) == 1
    moderation.member_ban(
        actor=mira, user_id=jonas.pk, scope={"room": general.pk}, duration=None, reason="x"
    )
    assert _found(api_as, jonas, "Lastenrad", type="message") == []


def test_public_content_as_the_lists_show_it(
    api_as: ApiAs, lena: User, initiative: Initiative, make_user: MakeUser
) -> None:
    start = timezone.now() + timedelta(days=4)
    shown = events.event_create(
        user=lena,
        initiative=initiative,
        title="Kompost-Workshop",
        start=start,
        end=start + timedelta(hours=2),
        place="Garten",
    )
    cancelled = events.event_create(
        user=lena,
        initiative=initiative,
        title="Kompost abgesagt",
        start=start,
        end=start + timedelta(hours=2),
        place="Garten",
    )
    events.event_cancel(user=lena, event_id=cancelled.pk)
    community.news_create(user=lena, initiative=initiative, title="Kompost-Neuigkeit", teaser="t")
    tip = community.lifehack_create(
        user=make_user(username="tipper"),
        title="Kompost im Eimer",
        body="Bokashi",
        category=Category.objects.first(),  # type: ignore[arg-type]
    )
    mira = make_user(username="mira", moderator=True)
    hidden = community.lifehack_create(
        user=lena,
        title="Kompost-Werbung",
        body="kauft",
        category=Category.objects.first(),  # type: ignore[arg-type]
    )
    moderation.content_hide(actor=mira, kind="lifehack", content_id=hidden.pk, reason="Werbung")

    response = api_as(None).get(SEARCH, {"q": "Kompost"}).json()

    titles = {(hit["type"], hit["title"]) for hit in response["results"]}
    assert titles == {
        ("event", "Kompost-Workshop"),
        ("news", "Kompost-Neuigkeit"),
        ("lifehack", "Kompost im Eimer"),
    }
    assert response["counts"]["event"] == 1 and response["counts"]["lifehack"] == 1
    assert {hit["url"] for hit in response["results"]} >= {
        f"/veranstaltungen/{shown.pk}/",
        f"/lifehacks/{tip.pk}/",
    }
    assert _found(api_as, None, "Repair", type="initiative")[0][0] == "initiative"


def test_a_snippet_is_escaped_text_with_marks_only(
    api_as: ApiAs, lena: User, initiative: Initiative
) -> None:
    general = initiative.rooms.get(title="Allgemein")
    post(lena, general, "Fahrrad <script>alert(1)</script> <img src=x onerror=alert(2)> \x02b\x03")

    [(_, snippet)] = _found(api_as, lena, "Fahrrad", type="message")

    assert "<script" not in snippet and "<img" not in snippet
    assert snippet.startswith("<mark>Fahrrad</mark> ")
    assert "&lt;img src=x onerror=alert(2)&gt;" in snippet  # as text
    assert snippet.count("<mark>") == snippet.count("</mark>")


def test_pages_of_hits_newest_first(api_as: ApiAs, lena: User, initiative: Initiative) -> None:
    general = initiative.rooms.get(title="Allgemein")
    for n in range(25):
        post(lena, general, f"Solar Nummer {n}")

    first = api_as(lena).get(SEARCH, {"q": "Solar", "type": "message"}).json()
    second = api_as(lena).get(first["next"]).json()

    assert first["count"] == 25 and len(first["results"]) == 20
    assert first["results"][0]["snippet"].endswith("Nummer 24")
    assert len(second["results"]) == 5 and second["next"] is None
    assert second["previous"] is not None


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "   "},
        {"q": "x" * 201},
        {"q": "a\x00b"},
        {"q": "a", "type": "uhren"},
        {"q": "a", "page": "0"},
    ],
)
def test_a_bad_query_is_a_400_with_a_reason(api_as: ApiAs, params: dict[str, str]) -> None:
    response = api_as(None).get(SEARCH, params)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and response.json()["detail"]


def test_the_search_page_and_the_header_box(lena: User, initiative: Initiative) -> None:
    client = Client()
    client.force_login(lena)

    home = client.get("/").content.decode()
    page = client.get("/suche/", {"q": "reparieren"}).content.decode()
    too_long = client.get("/suche/", {"q": "x" * 201})

    assert 'role="search"' in home and 'action="/suche/"' in home
    assert "Repair-Café West" in page and "<mark>" in page
    assert too_long.status_code == 400 and "field-error" in too_long.content.decode()
    empty = client.get("/suche/", {"q": "Quantencomputer"}).content.decode()
    assert "Nichts gefunden für „Quantencomputer“" in empty


@pytest.mark.services
def test_german_words_are_found_in_their_other_forms_through_the_index(
    api_as: ApiAs, lena: User, initiative: Initiative
) -> None:
    general = initiative.rooms.get(title="Allgemein")
    post(lena, general, "Wer repariert mein Fahrrad?")

    assert [s for _, s in _found(api_as, lena, "Fahrräder")] == [
        "Wer repariert mein <mark>Fahrrad</mark>?"
    ]
    # The text match alone (the room filter has a btree index of its own), with the
    # paths that a tiny table would rather take switched off: what is left is the index.
    rows = engine.matching(Message.objects.all(), ("body",), "Fahrräder").values_list("pk")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = rows.explain()
    assert "rooms_message_body_german" in plan
