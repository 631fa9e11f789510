"""The websocket handshake (PROTOCOL.md, Connection): who may connect, and from which origin.

These tests commit for real (`transaction=True`): the handshake reads tokens and
sessions from worker threads, which cannot see a test's uncommitted transaction.
`serialized_rollback` restores what the migrations loaded (city data, the group
`moderators`) after the flush, as the other realtime tests expect.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from collab.asgi import application
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

Headers = list[tuple[bytes, bytes]]
CLOSE_UNAUTHENTICATED = 4401
# A page of the site (the default DJANGO_ALLOWED_HOSTS has localhost), as the browser
# that loaded it from HOST sends it.
ALLOWED_ORIGIN = b"http://localhost:8000"
HOST = b"localhost:8000"


# The test bodies run in the event loop; the ORM is reached through these.


@sync_to_async
def make_user(**fields: Any) -> User:
    return UserFactory(**fields)


@sync_to_async
def deactivate(user: User) -> None:
    user.is_active = False
    user.save(update_fields=["is_active"])


@sync_to_async
def token_header(user: User) -> tuple[bytes, bytes]:
    token, _created = Token.objects.get_or_create(user=user)
    return (b"authorization", f"Token {token.key}".encode())


@sync_to_async
def session_cookie(user: User) -> tuple[bytes, bytes]:
    client = Client()
    client.force_login(user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    return (b"cookie", f"{settings.SESSION_COOKIE_NAME}={key}".encode())


async def handshake(headers: Headers, scheme: str = "ws") -> tuple[WebsocketCommunicator, bool]:
    """A handshake as a browser makes it: with a `Host` (HOST unless given)."""
    if not any(name == b"host" for name, _value in headers):
        headers = [*headers, (b"host", HOST)]
    communicator = WebsocketCommunicator(application, "/ws/", headers=headers)
    communicator.scope["scheme"] = scheme
    connected, _subprotocol = await communicator.connect()
    return communicator, connected


async def assert_accepted_then_closed_4401(headers: Headers) -> None:
    communicator, connected = await handshake(headers)
    try:
        assert connected, "an unauthenticated handshake is accepted, then closed"
        assert await communicator.receive_output() == {
            "type": "websocket.close",
            "code": CLOSE_UNAUTHENTICATED,
        }
        assert await communicator.receive_nothing()
    finally:
        await communicator.disconnect()


async def assert_hello_for(user: User, headers: Headers, scheme: str = "ws") -> dict[str, Any]:
    communicator, connected = await handshake(headers, scheme)
    try:
        assert connected
        hello = await communicator.receive_json_from()
    finally:
        await communicator.disconnect()
    assert hello["type"] == "hello"
    assert hello["protocol"] == 1
    assert hello["user"]["id"] == user.pk
    assert hello["user"]["username"] == user.username
    return hello


async def assert_refused_at_handshake(headers: Headers, scheme: str = "ws") -> None:
    communicator, connected = await handshake(headers, scheme)
    try:
        assert not connected
    finally:
        await communicator.disconnect()


# --- no or bad credentials: accept, then close with 4401 --------------------------------


async def test_no_credentials_are_accepted_then_closed_with_4401() -> None:
    await assert_accepted_then_closed_4401([])


async def test_an_unknown_token_is_closed_with_4401() -> None:
    await assert_accepted_then_closed_4401([(b"authorization", b"Token " + b"0" * 40)])


@pytest.mark.parametrize(
    "value",
    [b"Token ", b"Token", b"Bearer abc", b"Basic bGVuYTprbGltYQ==", b"Token a\x00b", b"\xff\xfe"],
)
async def test_a_malformed_authorization_header_is_closed_with_4401(value: bytes) -> None:
    await assert_accepted_then_closed_4401([(b"authorization", value)])


async def test_the_token_of_an_inactive_user_is_closed_with_4401() -> None:
    user = await make_user(is_active=False)

    await assert_accepted_then_closed_4401([await token_header(user)])


async def test_an_unknown_session_with_an_allowed_origin_is_closed_with_4401() -> None:
    cookie = (b"cookie", f"{settings.SESSION_COOKIE_NAME}=nosuchsession1234".encode())

    await assert_accepted_then_closed_4401([cookie, (b"origin", ALLOWED_ORIGIN)])


async def test_a_session_key_with_a_nul_byte_is_closed_with_4401() -> None:
    # A quoted cookie may carry an octal escape; PostgreSQL would refuse the lookup.
    cookie = (b"cookie", f'{settings.SESSION_COOKIE_NAME}="abcdefghij\\000"'.encode())

    await assert_accepted_then_closed_4401([cookie, (b"origin", ALLOWED_ORIGIN)])


async def test_the_session_of_an_inactive_user_is_closed_with_4401() -> None:
    user = await make_user()
    cookie = await session_cookie(user)
    await deactivate(user)

    await assert_accepted_then_closed_4401([cookie, (b"origin", ALLOWED_ORIGIN)])


async def test_an_unrelated_cookie_without_session_is_closed_with_4401() -> None:
    await assert_accepted_then_closed_4401([(b"cookie", b"theme=dark")])


# --- token: API clients, Origin optional -------------------------------------------------------


async def test_a_valid_token_without_origin_gets_hello_first() -> None:
    user = await make_user(username="lena", profile__display_name="Lena Hoffmann")
    before = timezone.now()

    hello = await assert_hello_for(user, [await token_header(user)])

    assert set(hello) == {"type", "user", "server_time", "protocol", "unread_notifications"}
    assert hello["user"] == {"id": user.pk, "username": "lena", "display_name": "Lena Hoffmann"}
    server_time = datetime.fromisoformat(hello["server_time"].replace("Z", "+00:00"))
    assert server_time.tzinfo is not None
    assert before - timedelta(seconds=1) <= server_time <= timezone.now() + timedelta(seconds=1)


async def test_hello_never_carries_the_email() -> None:
    user = await make_user(email="geheim@example.org")

    hello = await assert_hello_for(user, [await token_header(user)])

    assert set(hello["user"]) == {"id", "username", "display_name"}
    assert "geheim@example.org" not in str(hello)


async def test_hello_shows_the_username_when_there_is_no_display_name() -> None:
    user = await make_user(username="jonas", profile__display_name="")

    hello = await assert_hello_for(user, [await token_header(user)])

    assert hello["user"]["display_name"] == "jonas"


async def test_the_token_scheme_is_case_insensitive() -> None:
    user = await make_user()
    _name, value = await token_header(user)

    await assert_hello_for(user, [(b"authorization", value.replace(b"Token ", b"token "))])


async def test_a_token_wins_over_a_session_cookie_without_origin() -> None:
    user = await make_user()

    await assert_hello_for(
        user, [await token_header(user), await session_cookie(await make_user())]
    )


# --- session cookie: browsers, only from an allowed Origin ---------------------------------------


async def test_a_session_cookie_without_origin_is_refused_at_the_handshake() -> None:
    await assert_refused_at_handshake([await session_cookie(await make_user())])


@pytest.mark.parametrize(
    "origin",
    [b"https://evil.example", b"http://localhost.evil.example", b"null", b"not a url"],
)
async def test_a_session_cookie_from_a_foreign_origin_is_refused_at_the_handshake(
    origin: bytes,
) -> None:
    await assert_refused_at_handshake(
        [await session_cookie(await make_user()), (b"origin", origin)]
    )


async def test_a_valid_session_cookie_from_an_allowed_origin_gets_hello() -> None:
    user = await make_user(username="mira", profile__display_name="Mira")

    hello = await assert_hello_for(user, [await session_cookie(user), (b"origin", ALLOWED_ORIGIN)])

    assert hello["user"] == {"id": user.pk, "username": "mira", "display_name": "Mira"}


@pytest.mark.parametrize(
    ("origin", "host", "scheme"),
    [
        (b"http://127.0.0.1:8000", b"127.0.0.1:8000", "ws"),
        (b"https://localhost", b"localhost", "wss"),
        (b"HTTPS://LOCALHOST:443", b"localhost", "wss"),
        (b"http://[::1]:8000", b"[::1]:8000", "ws"),
    ],
)
async def test_every_allowed_host_is_an_allowed_origin_for_its_own_pages(
    origin: bytes, host: bytes, scheme: str
) -> None:
    user = await make_user()

    await assert_hello_for(
        user, [await session_cookie(user), (b"origin", origin), (b"host", host)], scheme
    )


@pytest.mark.parametrize(
    ("origin", "host", "scheme"),
    [
        (b"http://localhost:9999", b"127.0.0.1:8000", "ws"),  # another port and host
        (b"http://localhost:9999", b"localhost:8000", "ws"),  # another port
        (b"https://127.0.0.1", b"127.0.0.1:8000", "ws"),  # another scheme and port
        (b"https://localhost:8000", b"localhost:8000", "ws"),  # another scheme
        (b"http://localhost", b"localhost", "wss"),  # a plain page on a TLS socket
        (b"http://127.0.0.1:8000", b"localhost:8000", "ws"),  # another allowed host
        (b"http://evil.example:8000", b"evil.example:8000", "ws"),  # host not allowed
        (b"http://localhost:8000/raeume/3/", b"localhost:8000", "ws"),  # not an origin
    ],
)
async def test_an_allowed_host_on_another_port_or_scheme_is_refused_at_the_handshake(
    origin: bytes, host: bytes, scheme: str
) -> None:
    user = await make_user()

    await assert_refused_at_handshake(
        [await session_cookie(user), (b"origin", origin), (b"host", host)], scheme
    )


async def test_a_trusted_origin_of_another_site_may_connect(settings: Any) -> None:
    settings.CSRF_TRUSTED_ORIGINS = ["https://app.klima.example"]
    user = await make_user()

    await assert_hello_for(
        user, [await session_cookie(user), (b"origin", b"https://app.klima.example")]
    )
    await assert_refused_at_handshake(
        [await session_cookie(user), (b"origin", b"http://app.klima.example")]
    )


async def test_behind_a_tls_proxy_the_forwarded_scheme_counts(settings: Any) -> None:
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    user = await make_user()
    cookie = await session_cookie(user)
    forwarded = (b"x-forwarded-proto", b"https")

    await assert_hello_for(user, [cookie, (b"origin", b"https://localhost:8000"), forwarded])
    await assert_refused_at_handshake([cookie, (b"origin", b"http://localhost:8000"), forwarded])
