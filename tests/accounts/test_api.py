"""Accounts over REST (register, token, me) and the browser pages (login, logout, register)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import PASSWORD, token_client

pytestmark = pytest.mark.django_db

REGISTER = "/api/auth/register/"
TOKEN = "/api/auth/token/"
ME = "/api/auth/me/"
MakeUser = Callable[..., User]


def registration(**overrides: str) -> dict[str, str]:
    body = {
        "username": "neu",
        "email": "neu@example.org",
        "password": PASSWORD,
        "display_name": "Neue Nachbarin",
    }
    body.update(overrides)
    return body


# --- POST auth/register/ -------------------------------------------------------


def test_register_creates_user_with_profile_and_returns_it(api_client: APIClient) -> None:
    response = api_client.post(REGISTER, registration(), format="json")

    assert response.status_code == 201
    user = User.objects.get(username="neu")
    assert user.check_password(PASSWORD)
    assert user.profile.display_name == "Neue Nachbarin"
    assert response.json() == {
        "id": user.pk,
        "username": "neu",
        "email": "neu@example.org",
        "display_name": "Neue Nachbarin",
        "district": None,
        "language": "de",
        "kind": "person",
        "verified": False,
        "verification_requested_at": None,
        "digest_opt_in": False,
        "is_moderator": False,
        "unread_notifications": 0,
    }
    assert "password" not in response.json()


def test_register_without_display_name_is_allowed(api_client: APIClient) -> None:
    body = registration()
    del body["display_name"]

    response = api_client.post(REGISTER, body, format="json")

    assert response.status_code == 201
    assert User.objects.get(username="neu").profile.display_name == ""


def test_register_refuses_a_taken_username_whatever_its_case(
    api_client: APIClient, make_user: MakeUser
) -> None:
    make_user(username="Lena")

    response = api_client.post(REGISTER, registration(username="lena"), format="json")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "username" in body["errors"]
    assert "username" in body["detail"]
    assert User.objects.filter(username__iexact="lena").count() == 1


def test_register_answers_the_same_whether_or_not_the_email_has_an_account(
    api_client: APIClient, make_user: MakeUser
) -> None:
    # Issue 15: a registration that said "this address has an account" told anyone
    # who is registered here. Now both answers look alike.
    make_user(username="alt", email="neu@example.org")

    known = api_client.post(REGISTER, registration(email="NEU@example.org"), format="json")
    fresh = api_client.post(
        REGISTER, registration(username="frisch", email="frisch@example.org"), format="json"
    )

    assert known.status_code == fresh.status_code == 201
    assert set(known.json()) == set(fresh.json())
    assert User.objects.filter(username="neu").exists()


@pytest.mark.parametrize("password", ["12345678", "password", "passwort", "kurz1!"])
def test_register_refuses_a_weak_password_with_a_readable_detail(
    api_client: APIClient, password: str
) -> None:
    response = api_client.post(REGISTER, registration(password=password), format="json")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"]["password"]
    # One sentence a person can read, naming the field and the reason.
    assert body["detail"].startswith("Die Eingabe ist ungültig: password: ")
    assert body["errors"]["password"][0] in body["detail"]
    assert not User.objects.filter(username="neu").exists()


def test_register_refuses_a_password_too_similar_to_the_username(api_client: APIClient) -> None:
    body = registration(username="klimaheldin", password="klimaheldin1")

    response = api_client.post(REGISTER, body, format="json")

    assert response.status_code == 400
    assert "password" in response.json()["errors"]


@pytest.mark.parametrize("email", ["keine-adresse", "a@", "@example.org", "a b@example.org"])
def test_register_refuses_an_invalid_email(api_client: APIClient, email: str) -> None:
    response = api_client.post(REGISTER, registration(email=email), format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["email"]


@pytest.mark.parametrize("username", ["mit leerzeichen", "semi;colon", "", "x" * 151])
def test_register_refuses_a_malformed_username(api_client: APIClient, username: str) -> None:
    response = api_client.post(REGISTER, registration(username=username), format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["username"]


@pytest.mark.parametrize("missing", ["username", "email", "password"])
def test_register_names_each_missing_field(api_client: APIClient, missing: str) -> None:
    body = registration()
    del body[missing]

    response = api_client.post(REGISTER, body, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [missing]
    assert missing in response.json()["detail"]


def test_register_with_a_body_that_is_not_an_object_is_a_400(api_client: APIClient) -> None:
    response = api_client.post(REGISTER, ["neu"], format="json")

    assert response.status_code == 400
    assert response.json()["detail"]


def test_register_with_broken_json_is_a_400_with_detail(api_client: APIClient) -> None:
    response = api_client.post(REGISTER, "{kaputt", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["detail"]


# --- POST auth/token/ --------------------------------------------------------------
# The users here have no token yet (`token=None`), as after registering: the login makes it.


def test_token_for_correct_credentials_is_the_users_token(
    api_client: APIClient, make_user: MakeUser
) -> None:
    user = make_user(username="jonas", token=None)

    response = api_client.post(TOKEN, {"username": "jonas", "password": PASSWORD}, format="json")

    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=user).key}


def test_token_is_the_same_on_each_login(api_client: APIClient, make_user: MakeUser) -> None:
    make_user(username="jonas", token=None)
    credentials = {"username": "jonas", "password": PASSWORD}

    first = api_client.post(TOKEN, credentials, format="json").json()["token"]
    second = api_client.post(TOKEN, credentials, format="json").json()["token"]

    assert first == second


def test_token_works_as_api_authentication(api_client: APIClient, make_user: MakeUser) -> None:
    make_user(username="jonas", token=None)
    key = api_client.post(TOKEN, {"username": "jonas", "password": PASSWORD}, format="json").json()[
        "token"
    ]

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.get(ME)

    assert response.status_code == 200
    assert response.json()["username"] == "jonas"


def test_token_with_wrong_password_is_a_400_with_detail(
    api_client: APIClient, make_user: MakeUser
) -> None:
    make_user(username="jonas", token=None)

    response = api_client.post(TOKEN, {"username": "jonas", "password": "falsch"}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "detail": "Benutzername oder Passwort stimmt nicht.",
    }
    assert not Token.objects.exists()


def test_token_for_an_unknown_user_says_the_same_as_a_wrong_password(
    api_client: APIClient,
) -> None:
    response = api_client.post(TOKEN, {"username": "niemand", "password": PASSWORD}, format="json")

    assert response.status_code == 400
    assert response.json()["detail"] == "Benutzername oder Passwort stimmt nicht."


def test_token_refuses_an_inactive_user(api_client: APIClient, make_user: MakeUser) -> None:
    make_user(username="jonas", is_active=False, token=None)

    response = api_client.post(TOKEN, {"username": "jonas", "password": PASSWORD}, format="json")

    assert response.status_code == 400
    assert not Token.objects.exists()


@pytest.mark.parametrize(
    ("body", "missing"),
    [({"username": "jonas"}, ["password"]), ({}, ["username", "password"])],
)
def test_token_with_missing_fields_is_a_400_naming_them(
    api_client: APIClient, body: dict[str, str], missing: list[str]
) -> None:
    response = api_client.post(TOKEN, body, format="json")

    assert response.status_code == 400
    assert sorted(response.json()["errors"]) == sorted(missing)
    assert response.json()["detail"]


# --- auth/me/ ----------------------------------------------------------------------------


def test_me_refuses_anonymous_with_401(api_client: APIClient) -> None:
    response = api_client.get(ME)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["detail"]


def test_me_refuses_an_unknown_token(api_client: APIClient) -> None:
    api_client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)

    response = api_client.get(ME)

    assert response.status_code == 401


def test_me_with_token_auth_returns_own_profile(make_user: MakeUser) -> None:
    user = make_user(username="mira", profile__display_name="Mira Ö.")

    response = token_client(user).get(ME)

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == user.pk
    assert body["username"] == "mira"
    assert body["email"] == "mira@example.org"
    assert body["display_name"] == "Mira Ö."
    assert body["is_moderator"] is False


def test_me_with_session_auth_returns_own_profile(make_user: MakeUser) -> None:
    user = make_user(username="mira")
    client = APIClient()
    client.force_login(user)

    response = client.get(ME)

    assert response.status_code == 200
    assert response.json()["username"] == "mira"


def test_me_says_is_moderator_for_a_moderator(moderator: User) -> None:
    response = token_client(moderator).get(ME)

    assert response.json()["is_moderator"] is True


def test_me_creates_the_missing_profile_of_a_superuser_from_createsuperuser() -> None:
    admin = User.objects.create_superuser("chefin", "chefin@example.org", PASSWORD)

    response = token_client(admin).get(ME)

    assert response.status_code == 200
    assert response.json()["display_name"] == ""
    assert response.json()["is_moderator"] is True


def test_me_patch_changes_display_name_district_and_language(make_user: MakeUser) -> None:
    user = make_user()

    response = token_client(user).patch(
        ME,
        {"display_name": "Klimaheldin", "district": "moehringen", "language": "en"},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["display_name"] == "Klimaheldin"
    assert response.json()["district"] == "moehringen"
    assert response.json()["language"] == "en"
    user.profile.refresh_from_db()
    assert user.profile.display_name == "Klimaheldin"
    assert user.profile.district is not None
    assert user.profile.district.slug == "moehringen"
    assert user.profile.language == "en"


def test_me_patch_can_clear_the_district(make_user: MakeUser) -> None:
    user = make_user()
    client = token_client(user)
    client.patch(ME, {"district": "west"}, format="json")

    response = client.patch(ME, {"district": None}, format="json")

    assert response.status_code == 200
    assert response.json()["district"] is None


def test_me_patch_refuses_an_unknown_district(make_user: MakeUser) -> None:
    user = make_user()

    response = token_client(user).patch(ME, {"district": "atlantis"}, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["district"]
    user.profile.refresh_from_db()
    assert user.profile.district is None


def test_me_patch_refuses_a_district_with_a_nul_byte(make_user: MakeUser) -> None:
    response = token_client(make_user()).patch(ME, {"district": "west\x00"}, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["district"]


def test_me_patch_refuses_an_unknown_language(make_user: MakeUser) -> None:
    response = token_client(make_user()).patch(ME, {"language": "fr"}, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["language"]


def test_me_patch_cannot_change_kind_or_identity(make_user: MakeUser) -> None:
    user = make_user(username="mira")

    response = token_client(user).patch(
        ME,
        {"kind": "organisation", "username": "boss", "email": "boss@example.org", "id": 999},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["kind"] == "person"
    assert response.json()["username"] == "mira"
    user.refresh_from_db()
    assert user.profile.kind == "person"
    assert (user.username, user.email) == ("mira", "mira@example.org")


def test_me_patch_needs_authentication(api_client: APIClient) -> None:
    response = api_client.patch(ME, {"display_name": "x"}, format="json")

    assert response.status_code == 401


# --- browser pages -----------------------------------------------------------------------


def test_login_page_shows_a_german_form(client: Client) -> None:
    response = client.get("/login/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="de">' in html
    assert 'name="username"' in html
    assert 'name="password"' in html
    assert "csrfmiddlewaretoken" in html


def test_login_page_signs_in_with_correct_credentials(client: Client, make_user: MakeUser) -> None:
    user = make_user(username="lena")

    response = client.post("/login/", {"username": "lena", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_page_with_wrong_password_shows_the_form_again(
    client: Client, make_user: MakeUser
) -> None:
    make_user(username="lena")

    response = client.post("/login/", {"username": "lena", "password": "falsch"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logout_page_get_asks_and_keeps_the_session(client: Client, make_user: MakeUser) -> None:
    client.force_login(make_user())

    response = client.get("/logout/")

    assert response.status_code == 200
    assert '<form method="post"' in response.content.decode()
    assert "_auth_user_id" in client.session


def test_logout_page_post_signs_out(client: Client, make_user: MakeUser) -> None:
    client.force_login(make_user())

    response = client.post("/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "_auth_user_id" not in client.session


def test_logout_post_without_csrf_token_is_refused_and_keeps_the_session(
    make_user: MakeUser,
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user())

    response = client.post("/logout/")

    assert response.status_code == 403
    assert "_auth_user_id" in client.session


def test_register_page_shows_the_form(client: Client) -> None:
    response = client.get("/register/")

    assert response.status_code == 200
    html = response.content.decode()
    for field in ("username", "display_name", "email", "password"):
        assert f'name="{field}"' in html


def test_register_page_creates_the_user_and_signs_in(client: Client) -> None:
    response = client.post("/register/", registration())

    assert response.status_code == 302
    assert response["Location"] == "/"
    user = User.objects.get(username="neu")
    assert user.profile.display_name == "Neue Nachbarin"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_register_page_shows_the_services_errors_on_the_form(
    client: Client, make_user: MakeUser
) -> None:
    make_user(username="neu")

    response = client.post("/register/", registration(password="12345678"))

    assert response.status_code == 200
    form = response.context["form"]
    assert "username" in form.errors
    assert "password" in form.errors
    assert User.objects.filter(username="neu").count() == 1


def test_register_page_refuses_a_post_without_csrf_token() -> None:
    client = Client(enforce_csrf_checks=True)

    response = client.post("/register/", registration())

    assert response.status_code == 403
    assert not User.objects.filter(username="neu").exists()


def test_register_page_accepts_a_post_with_the_csrf_token_of_the_form() -> None:
    client = Client(enforce_csrf_checks=True)
    client.get("/register/")
    token = client.cookies["csrftoken"].value

    response = client.post("/register/", {**registration(), "csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert User.objects.filter(username="neu").exists()
