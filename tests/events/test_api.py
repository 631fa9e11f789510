"""The events REST API: lists with filters and counters, creating with clear errors,
RSVPs and sign-ups with the waiting list, the leads' attendance list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from events import services
from initiatives.models import Initiative
from tests.factories import ApiAs, InitiativeFactory, MakeUser

pytestmark = pytest.mark.django_db


def iso(days: float, hours: float = 0) -> str:
    return (timezone.now() + timedelta(days=days, hours=hours)).isoformat()


def create_event(api_as: ApiAs, lead: User, initiative: Initiative, **extra: object) -> dict:
    body = {
        "title": "Kochtag",
        "start": iso(3),
        "end": iso(3, 4),
        "place": "Marktplatz",
        "initiative": initiative.slug,
        **extra,
    }
    response = api_as(lead).post("/api/events/", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_creating_an_event_answers_it_with_its_counters(
    api_as: ApiAs, lead: User, initiative: Initiative
) -> None:
    event = create_event(api_as, lead, initiative, capacity=2, action_day=True)
    assert event["initiative"] == {"slug": initiative.slug, "title": "Foodsharing Mitte"}
    assert (event["going"], event["waitlist"], event["free"]) == (0, 0, 2)
    assert event["action_day"] is True and event["start"].endswith("Z")


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"end": iso(2)}, 400),  # ends before it starts
        ({"start": "morgen"}, 400),
        ({"capacity": -1}, 400),
        ({"capacity": "5"}, 400),
        ({"initiative": "gibt-es-nicht"}, 404),
        ({"initiative": None}, 403),  # city-wide: moderators only
        ({"title": ""}, 400),
    ],
)
def test_bad_event_input_is_refused_clearly(
    api_as: ApiAs, lead: User, initiative: Initiative, change: dict, status: int
) -> None:
    body = {
        "title": "Kochtag",
        "start": iso(3),
        "end": iso(3, 4),
        "place": "Marktplatz",
        "initiative": initiative.slug,
        **change,
    }
    response = api_as(lead).post("/api/events/", body, format="json")
    assert response.status_code == status, response.json()
    assert response.json()["detail"]


def test_rsvps_fill_then_wait_and_a_freed_place_moves_the_first_up(
    api_as: ApiAs, make_user: MakeUser, lead: User, initiative: Initiative
) -> None:
    event = create_event(api_as, lead, initiative, capacity=1)
    a, b = make_user(), make_user()
    url = f"/api/events/{event['id']}/rsvp/"
    assert api_as(a).get(url).json() == {"status": None}
    assert api_as(a).post(url).json() == {"status": "going"}
    assert api_as(b).post(url).json() == {"status": "waitlist"}
    detail = api_as(None).get(f"/api/events/{event['id']}/").json()
    assert (detail["going"], detail["waitlist"], detail["free"]) == (1, 1, 0)
    assert api_as(a).delete(url).json() == {"status": None}
    assert api_as(b).get(url).json() == {"status": "going"}
    assert api_as(None).post(url).status_code == 401


def test_lists_filter_and_cancelled_events_leave_them(
    api_as: ApiAs, make_user: MakeUser, lead: User, initiative: Initiative
) -> None:
    soon = create_event(api_as, lead, initiative, title="Bald")
    later = create_event(api_as, lead, initiative, title="Später", start=iso(20), end=iso(20, 2))
    other = InitiativeFactory(lead=make_user(), title="Anderswo")
    services.event_create(
        user=other.memberships.get().user,
        initiative=other,
        title="Fremd",
        start=timezone.now() + timedelta(days=4),
        end=timezone.now() + timedelta(days=4, hours=1),
        place="Ort",
    )

    def titles(query: str = "") -> list[str]:
        response = api_as(None).get(f"/api/events/{query}")
        assert response.status_code == 200, response.json()
        return [e["title"] for e in response.json()["results"]]

    assert titles() == ["Bald", "Fremd", "Später"]
    assert titles(f"?initiative={initiative.slug}") == ["Bald", "Später"]
    until = (timezone.localdate() + timedelta(days=10)).isoformat()
    assert titles(f"?to={until}") == ["Bald", "Fremd"]
    assert api_as(None).get("/api/events/?from=gestern").status_code == 400
    assert api_as(None).get("/api/events/?category=").status_code == 400
    assert api_as(lead).delete(f"/api/events/{later['id']}/").status_code == 204
    assert titles() == ["Bald", "Fremd"]
    assert api_as(None).get(f"/api/events/{later['id']}/").status_code == 404
    assert soon["id"] != later["id"]


def test_shifts_count_live_and_leads_see_who_comes_without_emails(
    api_as: ApiAs, make_user: MakeUser, lead: User, initiative: Initiative
) -> None:
    created = api_as(lead).post(
        f"/api/initiatives/{initiative.slug}/shifts/",
        {"title": "Aufbau", "start": iso(2), "end": iso(2, 2), "capacity": 2},
        format="json",
    )
    assert created.status_code == 201, created.json()
    shift = created.json()
    helper = make_user(profile__display_name="Helga", email="helga@example.org")
    assert api_as(helper).post(f"/api/shifts/{shift['id']}/signup/").json() == {"status": "going"}
    listed = api_as(None).get(f"/api/initiatives/{initiative.slug}/shifts/").json()["results"]
    assert (listed[0]["going"], listed[0]["free"]) == (1, 1)

    people = api_as(lead).get(f"/api/shifts/{shift['id']}/attendance/")
    assert people.status_code == 200
    assert people.json()[0]["user"]["display_name"] == "Helga"
    assert "helga@example.org" not in people.content.decode()
    assert api_as(helper).get(f"/api/shifts/{shift['id']}/attendance/").status_code == 403
    ticked = api_as(lead).post(
        f"/api/shifts/{shift['id']}/attendance/",
        {"user": helper.pk, "attended": True},
        format="json",
    )
    assert ticked.status_code == 200 and ticked.json()["attended"] is True
    stranger = api_as(lead).post(
        f"/api/shifts/{shift['id']}/attendance/",
        {"user": lead.pk, "attended": True},
        format="json",
    )
    assert stranger.status_code == 404
