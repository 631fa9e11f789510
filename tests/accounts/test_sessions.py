"""accounts.sessions: database sessions that treat a key with a NUL as no session.

Stock Django decodes `sessionid="abcdefgh\\000"` to a key ending in NUL, and on
PostgreSQL the session lookup then fails with a server error on every page.
The engine is switched on in settings (`SESSION_ENGINE = "accounts.sessions"`);
these tests switch it on themselves so that they hold whatever the settings say.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings

from accounts.sessions import SessionStore
from tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_our_session_engine")]

NUL_COOKIE = 'sessionid="abcdefghij\\000"'


@pytest.fixture
def _our_session_engine() -> Iterator[None]:
    with override_settings(SESSION_ENGINE="accounts.sessions"):
        yield


def test_a_session_key_with_a_nul_byte_is_invalid() -> None:
    store = SessionStore("abcdefghij\x00")

    assert store.session_key is None
    assert store.load() == {}


def test_a_session_cookie_with_a_nul_byte_is_no_session_on_a_page() -> None:
    response = Client().get("/", HTTP_COOKIE=NUL_COOKIE)

    assert response.status_code == 200
    assert 'href="/login/"' in response.content.decode()


def test_a_session_cookie_with_a_nul_byte_is_no_session_in_the_api() -> None:
    response = Client().get("/api/auth/me/", HTTP_COOKIE=NUL_COOKIE)

    assert response.status_code == 401


def test_signing_in_and_out_works_with_these_sessions(make_user: Callable[..., User]) -> None:
    user = make_user(username="lena")
    client = Client()

    client.post("/login/", {"username": "lena", "password": PASSWORD})
    signed_in = client.get("/api/auth/me/")
    client.post("/logout/")
    signed_out = client.get("/api/auth/me/")

    assert signed_in.status_code == 200
    assert signed_in.json()["id"] == user.pk
    assert signed_out.status_code == 401
