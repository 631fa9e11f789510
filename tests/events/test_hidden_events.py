"""Events hidden by moderation (common/moderated.py, moderation/services/content.py):
a site moderator or a lead of the initiative hides one with a reason; it leaves the
lists, the feeds, its page, the counters and "Meine Termine"; its author is told and
may appeal; granting the appeal or unhiding brings it back. The log names it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from accounts.models import Notification
from events import services
from events.providers import SeatCounters
from initiatives.models import Initiative, Membership
from moderation import services as moderation
from moderation.models import ModerationAction
from tests.events.conftest import make_event, make_shift
from tests.events.test_feeds_and_pages import entries
from tests.factories import ApiAs, MakeUser

pytestmark = pytest.mark.django_db


@pytest.fixture
def co_lead(make_user: MakeUser, initiative: Initiative) -> User:
    user = make_user(username="aylin")
    Membership.objects.create(user=user, initiative=initiative, role=Membership.Role.LEAD)
    return user


def test_a_hidden_event_leaves_every_list_feed_page_and_counter(
    api_as: ApiAs, client: Client, make_user: MakeUser, lead: User, initiative: Initiative
) -> None:
    event = make_event(lead, initiative, 10, title="Verdächtiger Kochtag")
    kept = make_event(lead, initiative, 10, title="Echter Kochtag")
    shift = make_shift(lead, initiative, 4, event=event)
    jonas, mira = make_user(username="jonas"), make_user(moderator=True)
    services.rsvp_take(user=jonas, event_id=event.pk)
    services.signup_take(user=jonas, shift_id=shift.pk)

    answer = api_as(mira).post(
        f"/api/moderation/content/event/{event.pk}/hide/", {"reason": "Werbung"}, format="json"
    )
    assert answer.status_code == 200
    assert answer.json() == {
        "kind": "event",
        "id": event.pk,
        "hidden": True,
        "hidden_reason": "Werbung",
    }

    listed = [e["title"] for e in api_as(jonas).get("/api/events/").json()["results"]]
    assert listed == ["Echter Kochtag"]
    assert api_as(jonas).get(f"/api/events/{event.pk}/").status_code == 404
    assert api_as(jonas).post(f"/api/events/{event.pk}/rsvp/").status_code == 404
    assert api_as(jonas).post(f"/api/shifts/{shift.pk}/signup/").status_code == 404
    shifts = api_as(jonas).get(f"/api/initiatives/{initiative.slug}/shifts/").json()["results"]
    assert shifts == []
    assert list(entries(client.get("/feeds/events.ics"))) == ["Echter Kochtag"]
    assert list(entries(client.get(f"/feeds/initiatives/{initiative.slug}/events.ics"))) == [
        "Echter Kochtag"
    ]
    assert client.get(f"/veranstaltungen/{event.pk}/").status_code == 404
    assert "Verdächtiger Kochtag" not in client.get("/veranstaltungen/").content.decode()
    counters = SeatCounters().snapshot(user=jonas, initiative_id=initiative.pk)
    assert [(c["kind"], c["id"]) for c in counters] == [("event", kept.pk)]
    client.force_login(jonas)
    assert "Verdächtiger Kochtag" not in client.get("/meine-termine/").content.decode()

    entry = ModerationAction.objects.get(kind="hide")
    assert (entry.content_kind, entry.content_id, entry.content_title) == (
        "event",
        event.pk,
        "Verdächtiger Kochtag",
    )
    log = api_as(mira).get("/api/moderation/log/").json()["results"]
    assert log[0]["content"] == {"kind": "event", "id": event.pk, "title": "Verdächtiger Kochtag"}

    assert api_as(mira).post(f"/api/moderation/content/event/{event.pk}/unhide/").status_code == 200
    assert api_as(jonas).get(f"/api/events/{event.pk}/").json()["going"] == 1  # seats kept


def test_who_may_hide_and_unhide_and_clear_errors(
    api_as: ApiAs, make_user: MakeUser, lead: User, co_lead: User, initiative: Initiative
) -> None:
    event = make_event(lead, initiative, 10)
    path = f"/api/moderation/content/event/{event.pk}"
    member, other_lead = make_user(), make_user()
    Membership.objects.create(user=member, initiative=initiative)
    mira = make_user(moderator=True)

    assert api_as(None).post(f"{path}/hide/", {"reason": "x"}, format="json").status_code in (
        401,
        403,
    )
    assert api_as(member).post(f"{path}/hide/", {"reason": "x"}, format="json").status_code == 403
    assert (
        api_as(other_lead).post(f"{path}/hide/", {"reason": "x"}, format="json").status_code == 403
    )
    assert api_as(lead).post(f"{path}/hide/", {"reason": "x"}, format="json").status_code == 403
    for bad, code in [({}, 400), ({"reason": ""}, 400), ({"reason": "x" * 301}, 400)]:
        answer = api_as(co_lead).post(f"{path}/hide/", bad, format="json")
        assert answer.status_code == code and answer.json()["detail"]
    assert (
        api_as(co_lead)
        .post("/api/moderation/content/nix/1/hide/", {"reason": "x"}, format="json")
        .status_code
        == 404
    )
    assert (
        api_as(co_lead)
        .post("/api/moderation/content/event/99999/hide/", {"reason": "x"}, format="json")
        .status_code
        == 404
    )

    assert api_as(mira).post(f"{path}/hide/", {"reason": "Spam"}, format="json").status_code == 200
    refused = api_as(co_lead).post(f"{path}/unhide/", {}, format="json")
    assert refused.status_code == 403 and "Moderator" in refused.json()["detail"]
    assert api_as(mira).post(f"{path}/unhide/", {}, format="json").json()["hidden"] is False

    # A co-lead hides lena's event; lena is told and may appeal; a moderator grants it.
    assert (
        api_as(co_lead).post(f"{path}/hide/", {"reason": "Doppelt"}, format="json").status_code
        == 200
    )
    told = Notification.objects.filter(user=lead, kind="moderation").latest("pk")
    assert "Doppelt" in told.text and told.url.startswith("/einspruch/")
    action = ModerationAction.objects.filter(kind="hide").latest("pk")
    appeal = moderation.appeal_create(user=lead, action_id=action.pk, text="Ist kein Duplikat.")
    moderation.appeal_decide(actor=mira, appeal_id=appeal.pk, decision="reverse", reason="Stimmt.")
    event.refresh_from_db()
    assert event.hidden_at is None
    assert api_as(member).get(f"/api/events/{event.pk}/").status_code == 200
