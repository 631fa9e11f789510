"""Rate limits: 20 posts per 30 s per user (socket and REST together), the failed-sign-in
guard, DRF's throttles, and KLIMA["RATE_LIMITS"] = False lifting the per-user limits.

The clock of common.ratelimit is set by the tests where the window matters, so no
test waits and none depends on where a real bucket boundary falls.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client as PageClient
from rest_framework.test import APIClient

from common import ratelimit
from common.errors import DomainError
from common.throttles import AnonThrottle, UserThrottle
from rooms import services as room_services
from rooms.models import Message, Room
from tests.factories import PASSWORD, ApiAs
from tests.moderation.conftest import post
from tests.ws import Connect, cid, committing, orm

T0 = 3000.5  # half a second into a bucket (buckets are 3 s)


class Clock:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = T0
        monkeypatch.setattr(ratelimit, "_now", lambda: self.now)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


def send(user: User, room: Room) -> None:
    post(user, room, "schnell")


def refused(user: User, room: Room) -> DomainError:
    with pytest.raises(DomainError) as caught:
        send(user, room)
    return caught.value


@pytest.mark.django_db
def test_a_burst_of_20_passes_and_the_21st_within_30_s_is_rate_limited(
    api_as: ApiAs, room: Room, member: User, clock: Clock
) -> None:
    for _ in range(20):
        send(member, room)

    response = api_as(member).post(
        f"/api/rooms/{room.pk}/messages/", {"body": "21", "client_id": cid()}, format="json"
    )

    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    # The burst's bucket (3000..3003) leaves the window when bucket 3033..3036 begins.
    assert response.json()["retry_after"] == 33 and response["Retry-After"] == "33"
    assert Message.objects.count() == 20


@pytest.mark.django_db
def test_posting_works_again_when_the_oldest_posts_leave_the_window(
    room: Room, member: User, clock: Clock
) -> None:
    for _ in range(10):
        send(member, room)
    clock.now = T0 + 15
    for _ in range(10):
        send(member, room)

    assert refused(member, room).retry_after == 18  # 3033 - 3015.5, rounded up
    clock.now = 3033.0
    for _ in range(10):  # the first ten are out of the window, the second ten still in
        send(member, room)
    assert refused(member, room).retry_after == 15  # the second ten leave at 3048
    clock.now = 3048.0
    send(member, room)


@pytest.mark.django_db
def test_refused_posts_cost_nothing(room: Room, member: User, clock: Clock) -> None:
    for _ in range(20):
        send(member, room)
    for _ in range(5):
        refused(member, room)

    clock.now = 3033.0

    for _ in range(20):
        send(member, room)


@pytest.mark.django_db
def test_a_reply_to_a_missing_thread_costs_no_slot(room: Room, member: User, clock: Clock) -> None:
    for _ in range(5):
        with pytest.raises(DomainError) as caught:
            room_services.message_post(
                user=member, room_id=room.pk, body="Antwort", client_id=cid(), thread_id=999_999
            )
        assert caught.value.code == "not_found"

    for _ in range(20):
        send(member, room)
    assert refused(member, room).code == "rate_limited"


@pytest.mark.django_db
def test_the_limit_is_per_user(room: Room, member: User, author: User, clock: Clock) -> None:
    for _ in range(20):
        send(member, room)

    send(author, room)


@pytest.mark.django_db
def test_edits_do_not_count(room: Room, member: User, clock: Clock) -> None:
    message = post(member, room, "Tippfeler")
    for i in range(25):
        room_services.message_edit(
            user=member, room_id=room.pk, message_id=message.pk, body=f"Tippfehler {i}"
        )

    for _ in range(19):
        send(member, room)


@pytest.mark.django_db
def test_rate_limits_off_lifts_the_posting_limit(
    settings: Any, room: Room, member: User, clock: Clock
) -> None:
    settings.KLIMA = {**settings.KLIMA, "RATE_LIMITS": False}

    for _ in range(30):
        send(member, room)

    assert Message.objects.count() == 30


@pytest.mark.django_db
def test_the_limit_and_window_are_settings(
    settings: Any, room: Room, member: User, clock: Clock
) -> None:
    settings.KLIMA = {**settings.KLIMA, "POST_RATE_LIMIT": 2, "POST_RATE_WINDOW_SECONDS": 9}
    send(member, room)
    send(member, room)

    assert refused(member, room).retry_after == 12  # bucket 3000 leaves when 3012 begins


@committing
async def test_socket_and_rest_share_the_limit_and_the_21st_socket_send_is_rate_limited(
    connect: Connect, api_as: ApiAs, room: Room, member: User
) -> None:
    socket = await connect(member)
    for i in range(10):
        await socket.post(room.pk, f"per Socket {i}")
    for i in range(10):
        response = await orm(
            lambda i=i: api_as(member).post(
                f"/api/rooms/{room.pk}/messages/",
                {"body": f"REST {i}", "client_id": cid()},
                format="json",
            )
        )
        assert response.status_code == 201

    error = await socket.error(
        {"type": "send", "room": room.pk, "body": "21", "client_id": cid(), "ref": "x"}
    )

    assert (error["code"], error["ref"]) == ("rate_limited", "x")
    assert 1 <= error["retry_after"] <= 33


@committing
async def test_with_rate_limits_off_the_socket_sends_on(
    connect: Connect, settings: Any, room: Room, member: User
) -> None:
    settings.KLIMA = {**settings.KLIMA, "RATE_LIMITS": False}
    socket = await connect(member)

    for i in range(25):
        await socket.post(room.pk, f"Nachricht {i}")


# --- sign-in ---------------------------------------------------------------------------


def token(username: str, password: str) -> Any:
    return APIClient().post(
        "/api/auth/token/", {"username": username, "password": password}, format="json"
    )


@pytest.fixture
def signer(member: User) -> User:
    member.set_password(PASSWORD)
    member.save(update_fields=["password"])
    return member


@pytest.mark.django_db
def test_five_failed_logins_lock_the_username_for_30_minutes(
    signer: User, outsider: User, clock: Clock
) -> None:
    for _ in range(5):
        assert token(signer.username, "falsch").status_code == 400

    locked = token(signer.username, PASSWORD)

    assert locked.status_code == 429 and locked.json()["code"] == "rate_limited"
    assert locked.json()["retry_after"] == 1800
    assert token(signer.username.upper(), PASSWORD).status_code == 429
    page = PageClient().post("/login/", {"username": signer.username, "password": PASSWORD})
    assert "Zu viele fehlgeschlagene Anmeldungen" in page.content.decode()
    clock.now = T0 + 1800
    assert token(signer.username, PASSWORD).status_code == 200


@pytest.mark.django_db
def test_the_login_page_counts_failures_too(signer: User, clock: Clock) -> None:
    for _ in range(5):
        PageClient().post("/login/", {"username": signer.username, "password": "falsch"})

    assert token(signer.username, PASSWORD).status_code == 429


@pytest.mark.django_db
def test_a_successful_login_forgets_earlier_failures(signer: User, clock: Clock) -> None:
    for _ in range(4):
        token(signer.username, "falsch")
    assert token(signer.username, PASSWORD).status_code == 200

    for _ in range(4):
        token(signer.username, "falsch")

    assert token(signer.username, PASSWORD).status_code == 200


# --- REST throttling ---------------------------------------------------------------------


@pytest.mark.django_db
def test_rest_is_throttled_per_user_and_per_anonymous_ip(
    monkeypatch: pytest.MonkeyPatch, api_as: ApiAs, member: User
) -> None:
    monkeypatch.setattr(UserThrottle, "rate", "3/min", raising=False)
    monkeypatch.setattr(AnonThrottle, "rate", "2/min", raising=False)

    as_member = [api_as(member).get("/api/rooms/").status_code for _ in range(4)]
    anonymous = [APIClient().get("/api/initiatives/").status_code for _ in range(3)]

    assert as_member == [200, 200, 200, 429]
    assert anonymous == [200, 200, 429]
    throttled = api_as(member).get("/api/rooms/")
    assert throttled.json()["code"] == "rate_limited" and throttled.json()["retry_after"] >= 1


@pytest.mark.django_db
def test_rate_limits_off_lifts_the_rest_throttles(
    monkeypatch: pytest.MonkeyPatch, settings: Any, api_as: ApiAs, member: User
) -> None:
    monkeypatch.setattr(UserThrottle, "rate", "1/min", raising=False)
    settings.KLIMA = {**settings.KLIMA, "RATE_LIMITS": False}

    assert [api_as(member).get("/api/rooms/").status_code for _ in range(3)] == [200] * 3


def test_the_default_rates_are_200_per_user_and_100_per_anonymous_ip() -> None:
    assert UserThrottle().rate == "200/min"
    assert AnonThrottle().rate == "100/min"
