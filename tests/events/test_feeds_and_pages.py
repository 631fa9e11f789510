"""Calendar feeds parse back with `icalendar` and carry the right entries; the pages
take and give up seats by form and show the counters."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from events import services
from events.models import Event, Shift
from initiatives.models import Initiative
from tests.factories import MakeUser

pytestmark = pytest.mark.django_db


def event(lead: User, initiative: Initiative | None, title: str, days: int, **kw: object) -> Event:
    start = timezone.now() + timedelta(days=days)
    return services.event_create(
        user=lead,
        initiative=initiative,
        title=title,
        start=start,
        end=start + timedelta(hours=2),
        place="Marktplatz",
        **kw,  # type: ignore[arg-type]
    )


def entries(response: object) -> dict[str, icalendar.Event]:
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert response["Content-Type"].startswith("text/calendar")  # type: ignore[index]
    calendar = icalendar.Calendar.from_ical(response.content)  # type: ignore[attr-defined]
    return {str(e["summary"]): e for e in calendar.walk("VEVENT")}


def test_the_city_feed_has_the_events_with_links_and_leaves_cancelled_ones_out(
    lead: User, initiative: Initiative, make_user: MakeUser
) -> None:
    kochtag = event(lead, initiative, "Kochtag", 3)
    cancelled = event(lead, initiative, "Abgesagt", 4)
    services.event_cancel(user=lead, event_id=cancelled.pk)
    city = event(make_user(moderator=True), None, "Stammtisch", 5)

    found = entries(Client().get("/feeds/events.ics"))
    assert set(found) == {"Kochtag", "Stammtisch"}
    assert str(found["Kochtag"]["url"]) == f"http://testserver/veranstaltungen/{kochtag.pk}/"
    assert found["Kochtag"].decoded("dtstart") == kochtag.start.replace(microsecond=0)
    assert str(found["Stammtisch"]["uid"]) == f"event-{city.pk}@testserver"
    only_theirs = entries(Client().get(f"/feeds/initiatives/{initiative.slug}/events.ics"))
    assert set(only_theirs) == {"Kochtag"}
    assert Client().get("/feeds/events.ics?district=gibt-es-nicht").status_code == 400
    assert Client().get("/feeds/initiatives/gibt-es-nicht/events.ics").status_code == 404


def test_my_feed_has_my_events_and_shifts_and_renewing_ends_the_old_address(
    lead: User, initiative: Initiative, make_user: MakeUser
) -> None:
    me = make_user()
    mine = event(lead, initiative, "Mein Kochtag", 3)
    event(lead, initiative, "Nicht meins", 3)
    start = timezone.now() + timedelta(days=3)
    shift = services.shift_create(
        user=lead,
        initiative=initiative,
        event=mine,
        title="Aufbau",
        start=start,
        end=start + timedelta(hours=1),
        capacity=2,
    )
    services.rsvp_take(user=me, event_id=mine.pk)
    services.signup_take(user=me, shift_id=shift.pk)
    client = Client()
    client.force_login(me)
    page = client.get("/meine-termine/").content.decode()
    address = page.split('id="feed-url" value="http://testserver')[1].split('"')[0]
    assert set(entries(Client().get(address))) == {
        "Mein Kochtag",
        "Schicht: Aufbau (Foodsharing Mitte)",
    }
    client.post("/meine-termine/kalender/")
    assert Client().get(address).status_code == 404


def test_pages_take_and_give_up_seats_and_show_the_counters(
    lead: User, initiative: Initiative, make_user: MakeUser
) -> None:
    aktionstag = event(lead, initiative, "Aktionstag", 6, capacity=1, action_day=True)
    start = aktionstag.start
    shift: Shift = services.shift_create(
        user=lead,
        initiative=initiative,
        event=aktionstag,
        title="Kochen",
        start=start,
        end=start + timedelta(hours=3),
        capacity=3,
    )
    first, second = make_user(), make_user()
    for person in (first, second):
        client = Client()
        client.force_login(person)
        response = client.post(f"/veranstaltungen/{aktionstag.pk}/zusage/", follow=True)
        assert response.status_code == 200
    page = response.content.decode()
    assert "Warteliste" in page and "ausgebucht" in page
    client.post(f"/schichten/{shift.pk}/anmeldung/", {"next": f"/veranstaltungen/{aktionstag.pk}/"})
    assert (
        "noch 2 Leute gesucht" in client.get(f"/veranstaltungen/{aktionstag.pk}/").content.decode()
    )
    home = Client().get("/").content.decode()
    assert "Aktionstag" in home and "noch 2 Leute gesucht" in home
    initiative_page = Client().get(f"/initiativen/{initiative.slug}/").content.decode()
    assert "Termine und Schichten" in initiative_page and "Kochen" in initiative_page
    listed = Client().get("/veranstaltungen/").content.decode()
    assert f'href="/veranstaltungen/{aktionstag.pk}/"' in listed
    # An unsafe "next" goes nowhere else.
    away = client.post(
        f"/schichten/{shift.pk}/anmeldung/", {"action": "release", "next": "//evil.example/"}
    )
    assert away["Location"] == "/meine-termine/"
