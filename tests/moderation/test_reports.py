"""Reports, auto-hide and the queue over REST: POST moderation/reports/, GET moderation/queue/,
POST moderation/queue/{message_id}/resolve/."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import override_settings

from accounts.models import Notification
from initiatives.models import Initiative, Membership
from moderation import selectors, services
from moderation.models import ModerationAction, Report
from rooms.models import Message, Room, RoomEvent
from tests.factories import ApiAs, MakePerson
from tests.moderation.conftest import join, post

pytestmark = pytest.mark.django_db

REPORTS = "/api/moderation/reports/"
QUEUE = "/api/moderation/queue/"


def report(api_as: ApiAs, user: User, message: Message, **extra: Any) -> Any:
    body = {"message": message.pk, "reason": "harassment", **extra}
    return api_as(user).post(REPORTS, body, format="json")


def reporters(make_person: MakePerson, initiative: Initiative, n: int) -> list[User]:
    return [join(make_person(f"melder{i}"), initiative) for i in range(n)]


def resolve(api_as: ApiAs, user: User, message: Message, action: str, **extra: Any) -> Any:
    return api_as(user).post(
        f"{QUEUE}{message.pk}/resolve/", {"action": action, **extra}, format="json"
    )


def test_a_report_is_stored_and_returned(
    api_as: ApiAs, room: Room, author: User, member: User
) -> None:
    message = post(author, room)

    response = report(api_as, member, message, reason="spam", text="Werbung für Uhren")

    assert response.status_code == 201
    body = response.json()
    assert {k: body[k] for k in ("message", "reason", "text", "status")} == {
        "message": message.pk,
        "reason": "spam",
        "text": "Werbung für Uhren",
        "status": "open",
    }
    assert Report.objects.get().reporter == member


def test_a_second_report_of_the_same_message_by_the_same_person_is_a_conflict(
    api_as: ApiAs, room: Room, author: User, member: User
) -> None:
    message = post(author, room)
    report(api_as, member, message)

    again = report(api_as, member, message, reason="other")

    assert again.status_code == 409
    assert again.json()["code"] == "conflict"
    assert "schon gemeldet" in again.json()["detail"]
    assert Report.objects.count() == 1


@pytest.mark.parametrize(
    "body",
    [
        {"reason": "boring"},
        {"reason": None},
        {"reason": "spam", "text": "x" * 1001},
        {"reason": "spam", "message": "abc"},
    ],
)
def test_invalid_reports_are_refused(
    api_as: ApiAs, room: Room, author: User, member: User, body: dict[str, Any]
) -> None:
    message = post(author, room)

    response = api_as(member).post(REPORTS, {"message": message.pk, **body}, format="json")

    assert response.status_code == 400, response.content
    assert Report.objects.count() == 0


def test_a_report_may_explain_in_up_to_1000_characters(
    api_as: ApiAs, room: Room, author: User, member: User
) -> None:
    response = report(api_as, member, post(author, room), text="x" * 1000)

    assert response.status_code == 201


def test_nobody_reports_their_own_message(api_as: ApiAs, room: Room, author: User) -> None:
    response = report(api_as, author, post(author, room))

    assert response.status_code == 403


@pytest.mark.parametrize("message_id", [999999, 2**70])
def test_reporting_an_unknown_message_is_not_found(
    api_as: ApiAs, member: User, message_id: int
) -> None:
    body = {"message": message_id, "reason": "spam"}

    response = api_as(member).post(REPORTS, body, format="json")

    assert response.status_code == 404


# --- auto-hide ---------------------------------------------------------------------


def test_three_distinct_reporters_hide_a_message_pending_review(
    api_as: ApiAs,
    make_person: MakePerson,
    initiative: Initiative,
    room: Room,
    author: User,
) -> None:
    message = post(author, room, "Ihr seid alle Idioten")
    first, second, third = reporters(make_person, initiative, 3)
    assert selectors.auto_hide_threshold(room) == 3  # 5 members: 5 % is less than 3

    report(api_as, first, message)
    report(api_as, second, message)
    message.refresh_from_db()
    assert message.hidden_at is None

    report(api_as, third, message)

    message.refresh_from_db()
    assert message.hidden_at is not None and message.hidden_by is None
    assert RoomEvent.objects.filter(
        room=room, message=message, kind=RoomEvent.Kind.MESSAGE_HIDDEN
    ).exists()
    action = ModerationAction.objects.get(kind=ModerationAction.Kind.HIDE)
    assert (action.actor, action.target_user, action.message) == (None, author, message)
    assert Notification.objects.filter(user=author, kind="moderation").count() == 1
    assert set(Report.objects.values_list("status", flat=True)) == {"open"}


def test_the_same_person_reporting_twice_does_not_count_twice(
    api_as: ApiAs, make_person: MakePerson, initiative: Initiative, room: Room, author: User
) -> None:
    message = post(author, room)
    first, second = reporters(make_person, initiative, 2)
    for user in (first, second, first, second):
        report(api_as, user, message)

    message.refresh_from_db()
    assert message.hidden_at is None


def test_the_threshold_is_five_percent_of_a_large_initiatives_members(
    make_person: MakePerson, initiative: Initiative, room: Room
) -> None:
    people = User.objects.bulk_create(User(username=f"n{i}") for i in range(97))
    Membership.objects.bulk_create(Membership(initiative=initiative, user=u) for u in people)
    assert initiative.memberships.count() == 98

    assert selectors.auto_hide_threshold(room) == 5  # ceil(4.9)
    join(make_person("n-99"), initiative)
    join(make_person("n-100"), initiative)
    assert selectors.auto_hide_threshold(room) == 5  # 5.0
    join(make_person("n-101"), initiative)
    assert selectors.auto_hide_threshold(room) == 6  # ceil(5.05)


def test_in_a_city_wide_room_members_are_the_people_who_wrote_there(
    make_person: MakePerson, city_room: Room
) -> None:
    for i in range(61):
        post(make_person(f"schreiber{i}"), city_room)

    assert selectors.room_member_count(city_room) == 61
    assert selectors.auto_hide_threshold(city_room) == 4  # ceil(3.05)


def test_the_minimum_and_share_are_settings(
    api_as: ApiAs, make_person: MakePerson, initiative: Initiative, room: Room, author: User
) -> None:
    message = post(author, room)
    with override_settings(KLIMA={**_klima(), "AUTO_HIDE_MIN_REPORTS": 1}):
        assert selectors.auto_hide_threshold(room) == 1
        report(api_as, reporters(make_person, initiative, 1)[0], message)
    with override_settings(KLIMA={**_klima(), "AUTO_HIDE_PERCENT": 100}):
        assert selectors.auto_hide_threshold(room) == initiative.memberships.count()

    message.refresh_from_db()
    assert message.hidden_at is not None


def _klima() -> dict[str, Any]:
    from django.conf import settings

    return dict(settings.KLIMA)


# --- the queue ---------------------------------------------------------------------


def test_queue_groups_reports_by_message_most_reporters_first_auto_hidden_on_top(
    api_as: ApiAs,
    make_person: MakePerson,
    initiative: Initiative,
    room: Room,
    author: User,
    site_moderator: User,
) -> None:
    people = reporters(make_person, initiative, 3)
    once = post(author, room, "einmal gemeldet")
    twice = post(author, room, "zweimal gemeldet")
    hidden = post(author, room, "dreimal gemeldet")
    report(api_as, people[0], once)
    for user in people[:2]:
        report(api_as, user, twice)
    for user in people:
        report(api_as, user, hidden)

    queue = api_as(site_moderator).get(QUEUE).json()

    assert queue["count"] == 3
    order = [(item["message"]["id"], item["reporters"]) for item in queue["results"]]
    assert order == [(hidden.pk, 3), (twice.pk, 2), (once.pk, 1)]
    top = queue["results"][0]
    assert top["auto_hidden"] is True and top["hidden"] is True
    assert top["message"]["body"] == "dreimal gemeldet"  # moderators see hidden text
    assert top["reasons"] == {"harassment": 3}
    assert {r["reporter"]["id"] for r in top["reports"]} == {p.pk for p in people}


def test_queue_items_carry_context_and_the_authors_history(
    api_as: ApiAs, room: Room, author: User, member: User, lead: User, site_moderator: User
) -> None:
    before = [post(member, room, f"vorher {i}") for i in range(4)]
    earlier = post(author, room, "alte Pöbelei")
    services.message_hide(actor=lead, message_id=earlier.pk, reason="Pöbelei")
    reported = post(author, room, "neue Pöbelei")
    after = [post(member, room, f"nachher {i}") for i in range(4)]
    services.report_create(user=member, message_id=reported.pk, reason="harassment")

    [item] = api_as(site_moderator).get(QUEUE).json()["results"]

    context = item["context"]
    # The hidden earlier message counts as context too (moderators see its text).
    assert [m["body"] for m in context["before"]] == ["vorher 2", "vorher 3", "alte Pöbelei"]
    assert [m["id"] for m in context["after"]] == [m.pk for m in after[:3]]
    assert before
    history = item["author_history"]
    assert history["counts"] == {"hide": 1}
    assert history["latest"][0]["message"] == earlier.pk
    assert item["room"]["id"] == room.pk


def test_leads_see_hidden_text_as_null_and_not_who_reported(
    api_as: ApiAs,
    make_person: MakePerson,
    initiative: Initiative,
    room: Room,
    author: User,
    lead: User,
) -> None:
    message = post(author, room, "verletzend")
    for user in reporters(make_person, initiative, 3):
        report(api_as, user, message)

    [item] = api_as(lead).get(QUEUE).json()["results"]

    assert item["message"]["body"] is None and item["message"]["hidden"] is True
    assert {r["reporter"] for r in item["reports"]} == {None}


def test_resolve_hide_hides_and_empties_the_queue(
    api_as: ApiAs, room: Room, author: User, member: User, lead: User
) -> None:
    message = post(author, room)
    report(api_as, member, message, reason="spam")

    response = resolve(api_as, lead, message, "hide")

    assert response.status_code == 200
    assert response.json()["hidden"] is True
    message.refresh_from_db()
    assert message.hidden_by == lead and "Spam" in message.hidden_reason
    assert Report.objects.get().status == "actioned"
    assert api_as(lead).get(QUEUE).json()["count"] == 0


def test_resolve_dismiss_restores_an_auto_hidden_message(
    api_as: ApiAs,
    make_person: MakePerson,
    initiative: Initiative,
    room: Room,
    author: User,
    site_moderator: User,
) -> None:
    message = post(author, room)
    for user in reporters(make_person, initiative, 3):
        report(api_as, user, message)

    response = resolve(api_as, site_moderator, message, "dismiss", reason="Satire, kein Verstoß")

    assert response.status_code == 200 and response.json()["hidden"] is False
    assert set(Report.objects.values_list("status", flat=True)) == {"dismissed"}
    kinds = list(ModerationAction.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["hide", "unhide", "reports_dismissed"]
    assert RoomEvent.objects.filter(kind=RoomEvent.Kind.MESSAGE_UNHIDDEN).count() == 1


def test_a_new_report_on_a_dismissed_message_reopens_it(
    api_as: ApiAs, room: Room, author: User, member: User, outsider: User, site_moderator: User
) -> None:
    message = post(author, room)
    report(api_as, member, message)
    resolve(api_as, site_moderator, message, "dismiss")
    assert api_as(site_moderator).get(QUEUE).json()["count"] == 0

    assert report(api_as, outsider, message).status_code == 201

    [item] = api_as(site_moderator).get(QUEUE).json()["results"]
    assert (item["message"]["id"], item["reporters"], item["dismissed_before"]) == (
        message.pk,
        1,
        1,
    )


def test_escalate_marks_the_reports_and_tells_the_site_moderators(
    api_as: ApiAs, room: Room, author: User, member: User, lead: User, site_moderator: User
) -> None:
    message = post(author, room)
    report(api_as, member, message)

    response = resolve(api_as, lead, message, "escalate", reason="Bin unsicher")

    assert response.status_code == 200
    [item] = api_as(site_moderator).get(QUEUE).json()["results"]
    assert item["escalated"] is True
    assert Notification.objects.filter(user=site_moderator, kind="moderation").exists()
    assert ModerationAction.objects.filter(kind="reports_escalated", actor=lead).exists()


def test_resolving_a_message_without_waiting_reports_is_not_found(
    api_as: ApiAs, room: Room, author: User, site_moderator: User
) -> None:
    response = resolve(api_as, site_moderator, post(author, room), "hide")

    assert response.status_code == 404


def test_resolve_needs_a_known_action(
    api_as: ApiAs, room: Room, author: User, member: User, site_moderator: User
) -> None:
    message = post(author, room)
    report(api_as, member, message)

    response = resolve(api_as, site_moderator, message, "delete")

    assert response.status_code == 400
