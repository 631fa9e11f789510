"""Live seat counters (docs/protocol.md, "Live counters"): `watch` answers the
initiative's counters as they are; every seat change reaches the watchers as `seats`
with a higher `version`, after commit; a client that was away and watches again ends
with the right counts; bad `watch` frames get clear errors."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from events import services
from initiatives.models import Initiative
from rooms.watching import WATCH_LIMIT
from tests.events.conftest import make_event, make_shift
from tests.factories import InitiativeFactory, MakeUser
from tests.ws import Connect, committing, orm


def _counter(frame: dict[str, Any], kind: str, item_id: int) -> dict[str, Any]:
    [counter] = [c for c in frame["counters"] if c["kind"] == kind and c["id"] == item_id]
    return counter


@committing
async def test_watch_answers_the_counters_and_every_change_reaches_the_watchers(
    connect: Connect, make_user: MakeUser, lead: User, initiative: Initiative
) -> None:
    event = await orm(make_event, lead, initiative, 10)
    shift = await orm(make_shift, lead, initiative, 2, event)
    helper, second, third = [await orm(make_user) for _ in range(3)]
    await orm(services.signup_take, user=helper, shift_id=shift.pk)

    lena = await connect(lead)
    watching = await lena.request({"type": "watch", "initiative": initiative.pk, "ref": "w"})
    assert watching["type"] == "watching" and watching["ref"] == "w"
    assert watching["initiative"] == initiative.pk
    counter = _counter(watching, "shift", shift.pk)
    assert counter == {
        "kind": "shift",
        "id": shift.pk,
        "event": event.pk,
        "title": "Aufbau",
        "start": counter["start"],
        "end": counter["end"],
        "capacity": 2,
        "going": 1,
        "waitlist": 0,
        "free": 1,
        "version": 1,
        "url": f"/veranstaltungen/{event.pk}/",
    }
    assert _counter(watching, "event", event.pk)["free"] == 10

    await orm(services.signup_take, user=second, shift_id=shift.pk)
    frame = await lena.recv()
    assert frame["type"] == "seats" and frame["initiative"] == initiative.pk
    assert frame["counter"]["id"] == shift.pk
    assert (frame["counter"]["going"], frame["counter"]["free"]) == (2, 0)
    assert frame["counter"]["version"] == 2

    await orm(services.signup_take, user=third, shift_id=shift.pk)  # full: waiting list
    frame = await lena.recv()
    assert (frame["counter"]["going"], frame["counter"]["waitlist"]) == (2, 1)

    await orm(services.signup_release, user=helper, shift_id=shift.pk)  # third moves up
    frame = await lena.recv()
    assert (frame["counter"]["going"], frame["counter"]["waitlist"], frame["counter"]["free"]) == (
        2,
        0,
        0,
    )
    assert frame["counter"]["version"] == 4

    await orm(services.signup_take, user=third, shift_id=shift.pk)  # again: nothing changed
    await orm(services.rsvp_take, user=second, event_id=event.pk)
    frame = await lena.recv()
    assert frame["counter"]["kind"] == "event" and frame["counter"]["going"] == 1
    await lena.nothing()


@committing
async def test_only_the_initiatives_watchers_get_its_counters(
    connect: Connect, make_user: MakeUser, lead: User, initiative: Initiative
) -> None:
    shift = await orm(make_shift, lead, initiative, 3)
    other = await orm(InitiativeFactory, lead=await orm(make_user), title="Repair Café Ost")
    volunteer = await orm(make_user)
    here, elsewhere, nowhere = [await connect(await orm(make_user)) for _ in range(3)]
    await here.request({"type": "watch", "initiative": initiative.pk})
    await elsewhere.request({"type": "watch", "initiative": other.pk})

    await orm(services.signup_take, user=volunteer, shift_id=shift.pk)

    assert (await here.recv())["counter"]["going"] == 1
    await elsewhere.nothing()
    await nowhere.nothing()

    assert await here.request({"type": "unwatch", "initiative": initiative.pk, "ref": 1}) == {
        "type": "unwatched",
        "initiative": initiative.pk,
        "ref": 1,
    }
    await orm(services.signup_release, user=volunteer, shift_id=shift.pk)
    await here.nothing()


@committing
async def test_city_wide_events_are_watched_with_null(
    connect: Connect, make_user: MakeUser
) -> None:
    site_moderator = await orm(make_user, moderator=True)
    event = await orm(make_event, site_moderator, None, 2)
    jonas = await connect(await orm(make_user))
    watching = await jonas.request({"type": "watch", "initiative": None})
    assert watching["initiative"] is None
    assert [c["id"] for c in watching["counters"]] == [event.pk]

    await orm(services.rsvp_take, user=await orm(make_user), event_id=event.pk)
    frame = await jonas.recv()
    assert frame["initiative"] is None and frame["counter"]["free"] == 1


@committing
async def test_a_client_that_was_away_watches_again_and_has_the_right_counts(
    connect: Connect, make_user: MakeUser, lead: User, initiative: Initiative
) -> None:
    shift = await orm(make_shift, lead, initiative, 3)
    people = [await orm(make_user) for _ in range(5)]
    before = await connect(lead)
    first = await before.request({"type": "watch", "initiative": initiative.pk})
    assert _counter(first, "shift", shift.pk)["going"] == 0
    await before.close()

    for person in people:  # while away: 3 going, 2 waiting; then one gives up
        await orm(services.signup_take, user=person, shift_id=shift.pk)
    await orm(services.signup_release, user=people[0], shift_id=shift.pk)

    after = await connect(lead)
    counter = _counter(
        await after.request({"type": "watch", "initiative": initiative.pk}), "shift", shift.pk
    )
    assert (counter["going"], counter["waitlist"], counter["free"]) == (3, 1, 0)
    assert counter["version"] == 6


@committing
async def test_bad_watch_frames_get_clear_errors_and_the_limit_holds(
    connect: Connect, make_user: MakeUser, lead: User, initiative: Initiative
) -> None:
    jonas = await connect(await orm(make_user))
    for frame, code in [
        ({"type": "watch"}, "invalid"),
        ({"type": "watch", "initiative": "3"}, "invalid"),
        ({"type": "watch", "initiative": 1.5}, "invalid"),
        ({"type": "watch", "initiative": [initiative.pk]}, "invalid"),
        ({"type": "watch", "initiative": 987654}, "not_found"),
        ({"type": "watch", "initiative": 10**95}, "not_found"),
        ({"type": "watch", "initiative": -1}, "not_found"),
        ({"type": "unwatch"}, "invalid"),
    ]:
        error = await jonas.error({**frame, "ref": "x"})
        assert (error["code"], error["ref"]) == (code, "x"), frame
        assert error["detail"]

    initiatives = [await orm(InitiativeFactory, lead=lead) for _ in range(WATCH_LIMIT)]
    for each in initiatives:
        assert (await jonas.request({"type": "watch", "initiative": each.pk}))["type"] == "watching"
    assert (await jonas.request({"type": "watch", "initiative": initiatives[0].pk}))[
        "type"
    ] == "watching"  # again: a fresh snapshot, not a new one
    error = await jonas.error({"type": "watch", "initiative": initiative.pk})
    assert error["code"] == "invalid"
    await jonas.request({"type": "unwatch", "initiative": initiatives[0].pk})
    assert (await jonas.request({"type": "watch", "initiative": initiative.pk}))["type"] == (
        "watching"
    )
