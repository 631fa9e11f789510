"""The Mach-Mit-Memo: what a week's memo holds (and what it leaves out), per district;
sending once per person and week, in their language, HTML and text, with an unsubscribe
link that needs no sign-in; the dry run; the public page, its archive and feed."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from community import services as community
from events import services as events
from initiatives.models import Category, District
from memo import services
from memo.compose import compose, is_empty
from memo.models import MemoDelivery, MemoIssue
from memo.weeks import Week
from moderation import services as moderation
from tests.factories import InitiativeFactory, MakeUser

pytestmark = pytest.mark.django_db


def _reader(make_user: MakeUser, name: str, district: str | None, language: str = "de") -> User:
    return make_user(
        username=name,
        email=f"{name}@example.org",
        profile__digest_opt_in=True,
        profile__email_confirmed_at=timezone.now(),
        profile__language=language,
        profile__district=District.objects.get(slug=district) if district else None,
    )


@pytest.fixture
def week_of_content(make_user: MakeUser) -> dict[str, Any]:
    """This week: in Mitte an event with places, a full one, a shift 2 short, a need; an
    initiative new since last week; a lifehack adopted twice; and things that must stay out."""
    lena = make_user(username="lena")
    initiative = InitiativeFactory(lead=lena, title="Foodsharing Mitte")  # district mitte
    soon = timezone.now() + timedelta(hours=1)
    week = Week.of(timezone.localtime(soon).date())  # late on a Sunday: next week's memo

    def event(title: str, capacity: int) -> Any:
        return events.event_create(
            user=lena,
            initiative=initiative,
            title=title,
            start=soon,
            end=soon + timedelta(hours=1),
            place="Marktplatz",
            capacity=capacity,
        )

    open_event, full = event("Kochtag", 10), event("Voll", 1)
    events.rsvp_take(user=make_user(), event_id=full.pk)
    cancelled = event("Abgesagt", 10)
    events.event_cancel(user=lena, event_id=cancelled.pk)
    shift = events.shift_create(
        user=lena,
        initiative=initiative,
        title="Aufbau",
        start=soon,
        end=soon + timedelta(hours=2),
        capacity=3,
    )
    events.signup_take(user=make_user(), shift_id=shift.pk)
    energie = Category.objects.get(slug="energie")
    need = community.need_create(
        user=lena, initiative=initiative, kind="materials", title="Lastenrad", category=energie
    )
    hidden_need = community.need_create(
        user=lena, initiative=initiative, kind="space", title="Werbung", category=energie
    )
    moderation.content_hide(
        actor=make_user(moderator=True), kind="need", content_id=hidden_need.pk, reason="Spam"
    )
    tip = community.lifehack_create(
        user=lena, title="Deckel drauf", body="Spart.", category=energie
    )
    for _ in range(2):
        community.lifehack_adopt(user=make_user(), lifehack_id=tip.pk)
    return {"initiative": initiative, "need": need, "open_event": open_event, "week": week}


def test_the_memo_holds_what_to_join_this_week_and_nothing_hidden(week_of_content: dict) -> None:
    week = week_of_content["week"]
    content = compose(week)
    assert [e["title"] for e in content["events"]] == ["Kochtag"]  # not the full, not the cancelled
    assert content["events"][0]["free"] == 10
    assert [(s["title"], s["missing"]) for s in content["shifts"]] == [("Aufbau", 2)]
    assert [n["title"] for n in content["needs"]] == ["Lastenrad"]
    assert [i["title"] for i in content["initiatives"]] == ["Foodsharing Mitte"]
    assert [(h["title"], h["adoptions"]) for h in content["lifehacks"]] == [("Deckel drauf", 2)]
    assert not is_empty(content)
    # A reader in Plieningen (no border with Mitte) gets neither the shift nor the need.
    far = compose(week, District.objects.get(slug="plieningen"))
    assert far["shifts"] == [] and far["needs"] == [] and far["events"] == []
    near = compose(week, District.objects.get(slug="west"))  # borders Mitte
    assert [n["title"] for n in near["needs"]] == ["Lastenrad"]


def test_an_empty_week_says_so_in_one_line() -> None:
    text = StringIO()
    call_command("send_memo", "--dry-run", "--week", "2020-10", stdout=text)
    out = text.getvalue()
    assert "Diese Woche ist ruhig" in out
    assert "Termine mit freien Plätzen" not in out
    assert "Empfängerinnen und Empfänger: 0" in out


def test_the_dry_run_prints_the_german_memo_and_sends_nothing(
    week_of_content: dict, make_user: MakeUser
) -> None:
    _reader(make_user, "anna", "mitte")
    text = StringIO()
    call_command("send_memo", "--dry-run", "--week", week_of_content["week"].label, stdout=text)
    out = text.getvalue()
    assert "Mach-Mit-Memo · KW" in out and "Kochtag" in out and "noch 2 Leute gesucht" in out
    assert "http://" in out and "/gesucht/" in out
    assert "Empfängerinnen und Empfänger: 1" in out
    assert mail.outbox == [] and not MemoDelivery.objects.exists()


@override_settings(KLIMA_SITE_URL="https://klima.example")
def test_sending_reaches_those_who_opted_in_once_in_their_language(
    week_of_content: dict, make_user: MakeUser
) -> None:
    anna = _reader(make_user, "anna", "mitte")
    ben = _reader(make_user, "ben", "west", language="en")
    _reader(make_user, "carla", "mitte").profile.__class__.objects.filter(
        user__username="carla"
    ).update(email_confirmed_at=None)  # unconfirmed address: no mail
    make_user(username="dora", email="dora@example.org", profile__digest_opt_in=False)

    week = week_of_content["week"].label
    call_command("send_memo", "--week", week, stdout=StringIO())

    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.org", "ben@example.org"]
    german = next(m for m in mail.outbox if m.to == ["anna@example.org"])
    english = next(m for m in mail.outbox if m.to == ["ben@example.org"])
    assert (
        german.subject.startswith("Mach-Mit-Memo KW")
        and "Termine mit freien Plätzen" in german.body
    )
    assert (
        english.subject.startswith("Mach-Mit-Memo week")
        and "Events with free places" in english.body
    )
    html, kind = german.alternatives[0]
    assert kind == "text/html" and '<a href="https://klima.example/gesucht/' in html
    assert "https://klima.example/memo/abbestellen/" in german.body
    assert german.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    call_command("send_memo", "--week", week, stdout=StringIO())  # again: nothing twice
    assert len(mail.outbox) == 2
    assert MemoIssue.objects.count() == 1

    link = (
        german.extra_headers["List-Unsubscribe"].strip("<>").removeprefix("https://klima.example")
    )
    page = Client().get(link)
    assert page.status_code == 200 and "Abbestellt" in page.content.decode()
    anna.profile.refresh_from_db()
    assert anna.profile.digest_opt_in is False
    assert Client().get("/memo/abbestellen/gefälscht/").status_code == 404
    assert ben.profile.digest_opt_in is True


def test_a_mail_that_fails_is_sent_again_on_the_next_run(
    week_of_content: dict, make_user: MakeUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    _reader(make_user, "anna", "mitte")

    def down(*args: Any, **kwargs: Any) -> int:
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", down)
    report = services.send_week(week_of_content["week"])
    assert (report.sent, report.failed) == (0, 1) and not MemoDelivery.objects.exists()
    monkeypatch.undo()
    assert services.send_week(week_of_content["week"]).sent == 1 and len(mail.outbox) == 1


def test_the_memo_page_archive_and_feed(week_of_content: dict) -> None:
    this_week = Week.current()
    services.issue_of(week_of_content["week"])  # sent: kept
    page = Client().get(f"/memo/{week_of_content['week'].label}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Kochtag" in body and "data-copy" in body and "Text kopieren" in body
    assert 'href="/veranstaltungen/' in body  # the page links by path; the text to paste:
    assert "http://127.0.0.1:8000/veranstaltungen/" in body  # absolute (KLIMA_SITE_URL)
    assert Client().get("/memo/2019-10/").status_code == 404  # no issue that week
    assert Client().get("/memo/2019-99/").status_code == 404
    assert Client().get("/memo/morgen/").status_code == 404
    assert week_of_content["week"].label in Client().get("/memo/").content.decode()
    assert Client().get(f"/memo/{this_week.label}/").status_code == 200  # this week: composed
    feed = ET.fromstring(Client().get("/feeds/memo.atom").content)  # noqa: S314 - our own feed
    titles = [
        e.findtext("{http://www.w3.org/2005/Atom}title")
        for e in feed.findall("{http://www.w3.org/2005/Atom}entry")
    ]
    assert len(titles) == 1 and titles[0].startswith("Mach-Mit-Memo KW")
