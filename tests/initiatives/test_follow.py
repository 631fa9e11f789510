"""Following an initiative: members from joining (until they leave), anyone signed in
by choice; followers hear of new events, news and needs (not the author, not those who
do not follow), in their own language, live, quoting the title until it is hidden."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from accounts.models import Notification
from community import services as community
from events import services as events
from initiatives import services
from initiatives.models import Category, Follow, Initiative
from moderation import services as moderation
from tests.factories import ApiAs, InitiativeFactory, MakeUser
from tests.ws import Connect, committing, orm

pytestmark = pytest.mark.django_db


@pytest.fixture
def lena(make_user: MakeUser) -> User:
    return make_user(username="lena", profile__display_name="Lena")


@pytest.fixture
def initiative(lena: User) -> Initiative:
    return InitiativeFactory(lead=lena, title="Repair-Café West")


def _follows(user: User, initiative: Initiative) -> bool:
    return Follow.objects.filter(user=user, initiative=initiative).exists()


def _event(lena: User, initiative: Initiative, title: str = "Reparaturtag") -> int:
    start = timezone.now() + timedelta(days=5)
    event = events.event_create(
        user=lena,
        initiative=initiative,
        title=title,
        start=start,
        end=start + timedelta(hours=2),
        place="Stadtteilhaus",
    )
    return event.pk


def test_members_follow_from_joining_until_they_leave(
    make_user: MakeUser, initiative: Initiative
) -> None:
    jonas = make_user(username="jonas")

    services.initiative_join(user=jonas, initiative=initiative)
    assert _follows(jonas, initiative)
    services.initiative_follow(user=jonas, initiative=initiative, following=False)
    assert not _follows(jonas, initiative)  # a member may stop
    services.initiative_follow(user=jonas, initiative=initiative, following=True)
    services.initiative_leave(user=jonas, initiative=initiative)
    assert not _follows(jonas, initiative)


def test_whoever_starts_an_initiative_follows_it(make_user: MakeUser) -> None:
    founder = make_user(username="frieda")

    created = services.initiative_create(
        user=founder,
        title="Blühwiesen",
        summary="Wir säen",
        category=Category.objects.first(),  # type: ignore[arg-type]
    )

    assert _follows(founder, created)


def test_anyone_signed_in_follows_by_rest_and_archived_ones_only_let_go(
    api_as: ApiAs, make_user: MakeUser, initiative: Initiative, lena: User
) -> None:
    otto = make_user(username="otto")
    url = f"/api/initiatives/{initiative.slug}/follow/"

    assert api_as(otto).get(url).json() == {"following": False}
    assert api_as(otto).post(url).json() == {"following": True}
    assert api_as(otto).post(url).json() == {"following": True}  # again: no change
    assert api_as(otto).get(url).json() == {"following": True}
    assert api_as(None).post(url).status_code == 401
    services.initiative_archive(user=lena, initiative=initiative)
    assert api_as(make_user(username="neu")).post(url).status_code == 403
    assert api_as(otto).delete(url).json() == {"following": False}


def test_followers_hear_of_new_events_news_and_needs_but_not_the_author(
    make_user: MakeUser, initiative: Initiative, lena: User
) -> None:
    otto = make_user(username="otto")
    stranger = make_user(username="stranger")
    services.initiative_follow(user=otto, initiative=initiative, following=True)
    english = make_user(username="emma", profile__language="en")
    services.initiative_follow(user=english, initiative=initiative, following=True)

    event_id = _event(lena, initiative)
    community.news_create(user=lena, initiative=initiative, title="Lötstation", teaser="Neu")

    told = list(Notification.objects.filter(user=otto).order_by("pk"))
    assert [n.kind for n in told] == ["follow", "follow"]
    assert told[0].text == "Neu bei „Repair-Café West“: Veranstaltung"
    assert (told[0].quote, told[0].url) == ("Reparaturtag", f"/veranstaltungen/{event_id}/")
    assert told[1].text == "Neu bei „Repair-Café West“: Neuigkeit"
    english_text = Notification.objects.filter(user=english).order_by("pk").first()
    assert english_text is not None and english_text.text == "New at “Repair-Café West”: Event"
    assert not Notification.objects.filter(user__in=[lena, stranger]).exists()


def test_a_need_tells_followers(make_user: MakeUser, lena: User) -> None:
    from initiatives.models import District

    initiative = InitiativeFactory(
        lead=lena, title="Foodsharing", district=District.objects.first()
    )
    otto = make_user(username="otto")
    services.initiative_follow(user=otto, initiative=initiative, following=True)

    need = community.need_create(
        user=lena,
        initiative=initiative,
        kind="materials",
        title="Lastenrad",
        category=Category.objects.first(),  # type: ignore[arg-type]
    )

    told = Notification.objects.get(user=otto)
    assert (told.text, told.quote, told.url) == (
        "Neu bei „Foodsharing“: Gesuch",
        "Lastenrad",
        f"/gesucht/{need.pk}/",
    )


def test_the_quote_goes_once_the_event_is_hidden(
    api_as: ApiAs, make_user: MakeUser, initiative: Initiative, lena: User
) -> None:
    otto = make_user(username="otto")
    mira = make_user(username="mira", moderator=True)
    services.initiative_follow(user=otto, initiative=initiative, following=True)
    event_id = _event(lena, initiative, title="Werbeveranstaltung")

    [before] = api_as(otto).get("/api/notifications/").json()["results"]
    moderation.content_hide(actor=mira, kind="event", content_id=event_id, reason="Werbung")
    [after] = api_as(otto).get("/api/notifications/").json()["results"]

    assert before["quote"] == "Werbeveranstaltung"
    assert after["quote"] == "" and "Werbeveranstaltung" not in after["text"]


@committing
async def test_a_follower_is_told_live(
    connect: Connect, make_user: MakeUser, initiative: Initiative, lena: User
) -> None:
    otto = await orm(make_user, username="otto")
    await orm(services.initiative_follow, user=otto, initiative=initiative, following=True)
    client = await connect(otto)

    await orm(_event, lena, initiative)

    frame = await client.recv()
    assert frame["type"] == "notification" and frame["kind"] == "follow"
    assert frame["text"] == "Neu bei „Repair-Café West“: Veranstaltung: „Reparaturtag“"
