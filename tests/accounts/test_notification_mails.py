"""Preferences per kind and channel, and notifications by mail in batches, on a fake
clock: at most one mail per 15 minutes, mentions and replies only after 10 minutes
without an open connection, only to confirmed addresses, in the reader's language,
a one-click stop link per kind; and the day-before reminders of events and shifts."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts import preferences
from accounts.models import Notification, Profile
from accounts.notification_mails import send_due
from accounts.notifications import notify
from events import services as events
from events.models import Rsvp
from events.reminders import remind
from tests.factories import ApiAs, InitiativeFactory, MakeUser

pytestmark = pytest.mark.django_db


@pytest.fixture
def jonas(make_user: MakeUser) -> User:
    user = make_user(username="jonas", email="jonas@example.org")
    Profile.objects.filter(user=user).update(email_confirmed_at=timezone.now())
    user.refresh_from_db()
    return user


def _tell(user: User, kind: str = "mention", text: str = "Lena hat dich erwähnt") -> Notification:
    return notify(user=user, kind=kind, text=lambda: text, url="/raeume/1/")


def _at(notification: Notification, when: datetime) -> None:
    Notification.objects.filter(pk=notification.pk).update(created_at=when)


def test_defaults_and_changes_by_rest_and_what_cannot_be_switched_off(
    api_as: ApiAs, jonas: User
) -> None:
    url = "/api/auth/me/notifications/"

    shown = api_as(jonas).get(url).json()
    changed = api_as(jonas).patch(
        url, {"follow": {"email": True}, "mention": {"app": False}}, format="json"
    )

    assert shown["mention"] == {"app": True, "email": True}
    assert shown["follow"] == {"app": True, "email": False}
    assert changed.json()["follow"] == {"app": True, "email": True}
    assert changed.json()["mention"] == {"app": False, "email": True}
    # Unknown fields are ignored, as everywhere in the API; a wrong value is not.
    assert (
        api_as(jonas).patch(url, {"uhren": {"app": True}}, format="json").json() == changed.json()
    )
    assert api_as(jonas).patch(url, {"reply": {"app": "yes"}}, format="json").status_code == 400
    locked = preferences.preferences_set
    with pytest.raises(Exception, match="immer"):
        locked(user=jonas, changes={"moderation": {"app": False}})
    assert api_as(None).get(url).status_code == 401


def test_a_kind_switched_off_in_the_app_stays_out_of_list_bell_and_frame(
    api_as: ApiAs, jonas: User
) -> None:
    preferences.preferences_set(user=jonas, changes={"mention": {"app": False}})

    stored = _tell(jonas)

    assert stored.in_app is False and stored.by_mail is True  # it still goes by mail
    assert api_as(jonas).get("/api/notifications/").json()["count"] == 0
    assert api_as(jonas).get("/api/auth/me/").json()["unread_notifications"] == 0


def test_one_mail_per_quarter_hour_with_everything_unread(jonas: User) -> None:
    now = timezone.now()
    first = _tell(jonas, "waitlist", "Du bist nachgerückt")
    second = _tell(jonas, "moderation", "Deine Nachricht wurde ausgeblendet")

    report = send_due(now=now)
    again = send_due(now=now + timedelta(minutes=5))
    _tell(jonas, "waitlist", "Noch einmal nachgerückt")
    too_soon = send_due(now=now + timedelta(minutes=10))
    later = send_due(now=now + timedelta(minutes=16))

    assert (report.mails, report.notifications) == (1, 2)
    assert again.mails == 0 and too_soon.mails == 0 and later.mails == 1
    assert len(mail.outbox) == 2
    body = mail.outbox[0].body
    assert "Du bist nachgerückt" in body and "Deine Nachricht wurde ausgeblendet" in body
    assert mail.outbox[0].subject == "2 neue Benachrichtigungen in der Klima-Community"
    assert "http://127.0.0.1:8000/raeume/1/" in body
    assert (
        Notification.objects.filter(pk__in=[first.pk, second.pk], mailed_at__isnull=False).count()
        == 2
    )


def test_mentions_wait_until_the_reader_has_been_away_ten_minutes(jonas: User) -> None:
    now = timezone.now()
    Profile.objects.filter(user=jonas).update(last_seen_at=now - timedelta(minutes=3))
    _tell(jonas)

    assert send_due(now=now).mails == 0  # online three minutes ago: sees it live
    assert send_due(now=now + timedelta(minutes=8)).mails == 1  # away for 11 minutes
    assert "Lena hat dich erwähnt" in mail.outbox[0].subject


def test_read_ones_mails_switched_off_unconfirmed_addresses_and_old_ones_are_not_mailed(
    api_as: ApiAs, jonas: User, make_user: MakeUser
) -> None:
    now = timezone.now()
    read = _tell(jonas, "waitlist", "gelesen")
    api_as(jonas).post(f"/api/notifications/{read.pk}/read/")
    old = _tell(jonas, "waitlist", "alt")
    _at(old, now - timedelta(days=4))
    _tell(jonas, "follow", "Neu bei „Repair-Café“: Veranstaltung")  # follow: no mail by default
    unconfirmed = make_user(username="otto", email="otto@example.org")
    _tell(unconfirmed, "waitlist", "an otto")

    assert send_due(now=now).mails == 0
    assert mail.outbox == []


def test_the_mail_is_in_the_readers_language_with_a_stop_link_per_kind(
    jonas: User,
) -> None:
    Profile.objects.filter(user=jonas).update(language="en")
    jonas.refresh_from_db()
    _tell(jonas, "waitlist", "You moved up")

    send_due(now=timezone.now())

    [sent] = mail.outbox
    assert "Hello" in sent.body or "Hi" in sent.body
    stop = next(
        line.split(": ", 1)[1]
        for line in sent.body.splitlines()
        if line.startswith("- ") and "abbestellen" in line
    )
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = stop.replace("http://127.0.0.1:8000", "")
    page = Client().get(path)
    assert page.status_code == 200 and "abbestellen" in page.content.decode().lower()
    assert preferences.channels(Profile.objects.get(user=jonas), "waitlist")["email"] is True
    done = Client().post(path)  # the mail program's one click: no session, no CSRF token
    assert done.status_code == 200
    assert preferences.channels(Profile.objects.get(user=jonas), "waitlist")["email"] is False
    assert Client().post("/benachrichtigungen/abbestellen/falsch/").status_code == 404


def test_the_profile_page_sets_preferences(jonas: User) -> None:
    client = Client()
    client.force_login(jonas)

    page = client.get("/profil/").content.decode()
    client.post(
        "/profil/benachrichtigungen/",
        {"mention-app": "on", "follow-app": "on", "follow-email": "on"},
    )

    assert 'id="benachrichtigungen"' in page and 'name="moderation-app"' in page
    chosen = preferences.preferences(Profile.objects.get(user=jonas))
    assert chosen["follow"] == {"app": True, "email": True}
    assert chosen["mention"] == {"app": True, "email": False}
    assert chosen["reply"] == {"app": False, "email": False}
    assert chosen["moderation"]["app"] is True  # not up to the form


def test_the_day_before_everyone_going_is_reminded_once(make_user: MakeUser, jonas: User) -> None:
    lena = make_user(username="lena")
    initiative = InitiativeFactory(lead=lena, title="Foodsharing")
    now = timezone.now()
    tomorrow = timezone.localtime(now).replace(hour=9, minute=0) + timedelta(days=1)
    event = events.event_create(
        user=lena,
        initiative=initiative,
        title="Schnippeldisko",
        start=tomorrow,
        end=tomorrow + timedelta(hours=3),
        place="Marktplatz",
        capacity=1,
    )
    later = events.event_create(
        user=lena,
        initiative=initiative,
        title="Übermorgen",
        start=tomorrow + timedelta(days=1),
        end=tomorrow + timedelta(days=1, hours=1),
        place="Marktplatz",
    )
    events.rsvp_take(user=jonas, event_id=event.pk)
    waiting = make_user(username="wartet")
    events.rsvp_take(user=waiting, event_id=event.pk)  # full: on the waiting list
    events.rsvp_take(user=jonas, event_id=later.pk)
    Notification.objects.all().delete()

    assert remind(now=now) == 1
    assert remind(now=now) == 0
    [told] = Notification.objects.filter(user=jonas)
    assert told.kind == "reminder"
    assert told.text == "Morgen um 09:00 Uhr: „Schnippeldisko“, Marktplatz"
    assert told.url == f"/veranstaltungen/{event.pk}/"
    assert not Notification.objects.filter(user=waiting).exists()
    assert Rsvp.objects.get(user=jonas, event=event).reminded_at is not None


def test_the_commands_run(jonas: User, capsys: Any) -> None:
    from django.core.management import call_command

    _tell(jonas, "waitlist", "x")
    call_command("send_notification_mails")
    call_command("send_reminders")

    out = capsys.readouterr().out
    assert "1 mails with 1 notifications" in out and "0 reminders" in out
