"""RSVPs and shift sign-ups: going while there is room, then the waiting list in order;
a freed seat moves exactly the first up and tells them; nothing is ever overbooked,
also when 20 people ask for 5 places at the same moment (PostgreSQL: in parallel)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone

from accounts.models import Notification
from common.errors import DomainError
from events import selectors, services
from events.models import Rsvp, SeatStatus, Signup
from events.seats import RSVPS, SIGNUPS, counts
from initiatives.models import Initiative
from tests.events.conftest import SOON, make_event, make_shift
from tests.factories import InitiativeFactory, MakeUser
from tests.ws import committing


@pytest.mark.django_db
def test_places_fill_in_order_then_the_waiting_list(
    make_user: MakeUser, lead: User, initiative: Initiative
) -> None:
    event = make_event(lead, initiative, capacity=2)
    people = [make_user() for _ in range(4)]
    answers = [services.rsvp_take(user=p, event_id=event.pk) for p in people]
    assert answers == ["going", "going", "waitlist", "waitlist"]
    assert services.rsvp_take(user=people[2], event_id=event.pk) == "waitlist"  # again: same
    assert selectors.waitlist(RSVPS, event) == [people[2].pk, people[3].pk]
    c = counts(RSVPS, event)
    assert (c.going, c.waitlist, c.free) == (2, 2, 0)


@pytest.mark.django_db
def test_a_freed_seat_moves_exactly_the_first_up_and_tells_them(
    make_user: MakeUser, lead: User, initiative: Initiative
) -> None:
    event = make_event(lead, initiative, capacity=1, title="Freier Kochtag")
    first, second, third = make_user(), make_user(), make_user()
    for person in (first, second, third):
        services.rsvp_take(user=person, event_id=event.pk)
    services.rsvp_release(user=third, event_id=event.pk)  # a waiting one leaves: nobody moves
    assert not Notification.objects.filter(kind="waitlist").exists()

    services.rsvp_release(user=first, event_id=event.pk)

    assert selectors.rsvp_status(user=second, event=event) == "going"
    assert selectors.rsvp_status(user=first, event=event) is None
    told = Notification.objects.get(kind="waitlist")
    assert told.user == second and "Freier Kochtag" in told.text


@pytest.mark.django_db
def test_shifts_follow_the_same_rule_and_capacity_0_is_unlimited(
    make_user: MakeUser, lead: User, initiative: Initiative
) -> None:
    shift = make_shift(lead, initiative, capacity=1)
    a, b = make_user(), make_user()
    assert services.signup_take(user=a, shift_id=shift.pk) == "going"
    assert services.signup_take(user=b, shift_id=shift.pk) == "waitlist"
    services.signup_release(user=a, shift_id=shift.pk)
    assert selectors.signup_status(user=b, shift=shift) == "going"
    unlimited = make_event(lead, initiative, capacity=0)
    assert {services.rsvp_take(user=make_user(), event_id=unlimited.pk) for _ in range(30)} == {
        "going"
    }
    assert counts(RSVPS, unlimited).free is None


@pytest.mark.django_db
def test_cancelled_past_and_unknown_ones_refuse_clearly(
    make_user: MakeUser, lead: User, initiative: Initiative
) -> None:
    person = make_user()
    event = make_event(lead, initiative, capacity=5)
    services.event_cancel(user=lead, event_id=event.pk)
    with pytest.raises(DomainError) as cancelled:
        services.rsvp_take(user=person, event_id=event.pk)
    assert cancelled.value.code == "conflict"
    with pytest.raises(DomainError) as unknown:
        services.rsvp_take(user=person, event_id=2**62)
    assert unknown.value.code == "not_found"
    assert event not in selectors.upcoming_events()


@pytest.mark.django_db
def test_who_may_create_events_and_shifts(
    make_user: MakeUser, lead: User, initiative: Initiative
) -> None:
    member, moderator = make_user(), make_user(moderator=True)
    other_lead_initiative = InitiativeFactory(lead=make_user())
    start = timezone.now() + SOON
    base = {"title": "T", "start": start, "end": start + timedelta(hours=1), "place": "Ort"}
    with pytest.raises(DomainError) as member_refused:
        services.event_create(user=member, initiative=initiative, **base)
    assert member_refused.value.code == "forbidden"
    with pytest.raises(DomainError):
        services.event_create(user=lead, initiative=None, **base)  # city-wide: moderators
    city = services.event_create(user=moderator, initiative=None, **base)
    assert city.initiative is None
    with pytest.raises(DomainError) as backwards:
        services.event_create(user=lead, initiative=initiative, **{**base, "end": start})
    assert backwards.value.code == "invalid"
    foreign = make_event(lead, initiative, capacity=1)
    with pytest.raises(DomainError) as mixed:
        services.shift_create(
            user=other_lead_initiative.memberships.get().user,
            initiative=other_lead_initiative,
            title="Abbau",
            start=start,
            end=start + timedelta(hours=1),
            event=foreign,
        )
    assert mixed.value.code == "invalid"


@pytest.mark.django_db
def test_leads_tick_who_came_and_the_hours_add_up(
    make_user: MakeUser, lead: User, initiative: Initiative
) -> None:
    shift = make_shift(lead, initiative, capacity=3)  # 2 hours
    came, missed = make_user(), make_user()
    for person in (came, missed):
        services.signup_take(user=person, shift_id=shift.pk)
    services.attendance_set(actor=lead, shift_id=shift.pk, user_id=came.pk, attended=True)
    services.attendance_set(actor=lead, shift_id=shift.pk, user_id=missed.pk, attended=False)
    with pytest.raises(DomainError) as refused:
        services.attendance_set(actor=came, shift_id=shift.pk, user_id=came.pk, attended=True)
    assert refused.value.code == "forbidden"
    assert selectors.hours_of_person(user=came) == 2.0
    assert selectors.hours_of_person(user=missed) == 0.0
    assert selectors.hours_of_initiative(initiative=initiative) == 2.0


def _race(people: list[User], take: Callable[[User], str]) -> list[str]:
    """Everyone at once on PostgreSQL (row locks); one after another on the in-memory
    SQLite test database, where a second writer fails instead of waiting (a deployed
    SQLite file waits: WAL, IMMEDIATE; the end-to-end test covers it)."""
    workers = len(people) if connection.vendor == "postgresql" else 1

    def one(person: User) -> str:
        try:
            return take(person)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, people))


@committing
def test_20_people_asking_for_5_places_at_once_never_overbook(make_user: MakeUser) -> None:
    lead = make_user()
    initiative = InitiativeFactory(lead=lead)
    event = make_event(lead, initiative, capacity=5)
    shift = make_shift(lead, initiative, capacity=5)
    people = [make_user() for _ in range(20)]

    for kind, take in (
        (Rsvp, lambda p: services.rsvp_take(user=p, event_id=event.pk)),
        (Signup, lambda p: services.signup_take(user=p, shift_id=shift.pk)),
    ):
        answers = _race(people, take)
        assert answers.count("going") == 5 and answers.count("waitlist") == 15
        seats_ = kind.objects.filter(status=SeatStatus.GOING)
        assert (
            seats_.filter(**({"event": event} if kind is Rsvp else {"shift": shift})).count() == 5
        )
    # The waiting list is in the order the seats were taken.
    waiting = Rsvp.objects.filter(event=event, status=SeatStatus.WAITLIST).order_by(
        "created_at", "pk"
    )
    assert list(waiting.values_list("user_id", flat=True)) == selectors.waitlist(RSVPS, event)
    assert counts(SIGNUPS, shift).going == 5
