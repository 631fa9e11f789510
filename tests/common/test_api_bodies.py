"""REST bodies are decoded strictly for every endpoint (common/parsers.py): too deep, lone
surrogates, too large or not UTF-8 is a 400 with a readable detail, never a 500."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from common.parsers import MAX_BODY_BYTES
from tests.factories import MakeUser, token_client

pytestmark = pytest.mark.django_db

DEEP = "[" * 1_000 + "]" * 1_000
# (endpoint, signed in): anonymous clients reach the parser only where no sign-in is
# needed; elsewhere they get 401 first.
ENDPOINTS = [
    ("/api/auth/token/", False),
    ("/api/auth/register/", False),
    ("/api/auth/token/", True),
    ("/api/initiatives/", True),
    ("/api/moderation/reports/", True),
    ("/api/moderation/mutes/", True),
]


@pytest.fixture
def member(make_user: MakeUser) -> User:
    return make_user()


@pytest.mark.parametrize(("url", "signed_in"), ENDPOINTS)
@pytest.mark.parametrize(
    ("body", "says"),
    [
        (DEEP.encode(), "verschachtelt"),
        (b'{"username": "\\ud800", "password": "x"}', "UTF-16"),
        (b'{"username": "\xff"}', "UTF-8"),
        (b"{" + b" " * MAX_BODY_BYTES + b"}", "zu gro"),
    ],
)
def test_a_body_the_server_will_not_take_is_a_400_with_the_reason(
    url: str, signed_in: bool, body: bytes, says: str, member: User
) -> None:
    client = token_client(member) if signed_in else APIClient()

    response = client.generic("POST", url, body, content_type="application/json")

    assert response.status_code == 400, response.content[:200]
    assert response.json()["code"] == "parse_error"
    assert says in response.json()["detail"]


def test_the_reason_is_in_the_users_language() -> None:
    response = APIClient().generic(
        "POST", "/api/auth/token/", DEEP, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.json()["detail"] == "The JSON is nested too deeply (at most 16 levels)."
