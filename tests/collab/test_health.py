"""Health endpoints, the home page, and the OpenAPI schema with its offline Swagger UI."""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from collections.abc import Callable

import pytest
import yaml
from django.contrib.auth.models import User
from django.test import AsyncClient, Client

from collab import health
from tests.factories import InitiativeFactory

MakeUser = Callable[..., User]

# readyz checks the database through `realtime.db.db_async`, which closes
# "old" connections: inside a test wrapped in a transaction that would close
# the test's own connection on PostgreSQL. So its tests commit for real, and
# `serialized_rollback` brings back what the migrations loaded (as in tests/rooms).
readyz_db = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_healthz_answers_ok_without_the_database(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@readyz_db
def test_readyz_is_ok_when_database_and_channel_layer_answer(client: Client) -> None:
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": ["database", "channel_layer"]}


@readyz_db
def test_readyz_is_503_with_the_reason_when_the_database_fails(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_database() -> None:
        raise ConnectionError("database is down")

    monkeypatch.setattr(health, "_check_database", broken_database)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "failures": {"database": "ConnectionError: database is down"},
    }


@readyz_db
async def test_readyz_says_unavailable_when_the_database_does_not_answer(
    async_client: AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database that hangs (a pool waiting for a connection that never comes) is
    "not ready" after the check's timeout, not when the database finally answers."""
    answered = threading.Event()

    def hanging_database() -> None:
        time.sleep(1.0)
        answered.set()

    monkeypatch.setattr(health, "_check_database", hanging_database)
    monkeypatch.setattr(health, "CHECK_TIMEOUT_SECONDS", 0.2)

    response = await async_client.get("/readyz")

    assert not answered.is_set(), "readyz waited for the database after all"
    await asyncio.to_thread(answered.wait, 5)  # the thread ends before the test does

    assert response.status_code == 503
    assert list(response.json()["failures"]) == ["database"]
    assert response.json()["failures"]["database"].startswith("TimeoutError")


@readyz_db
def test_readyz_is_503_with_the_reason_when_the_channel_layer_fails(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken_layer() -> None:
        raise ConnectionError("redis is down")

    monkeypatch.setattr(health, "_check_channel_layer", broken_layer)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "failures": {"channel_layer": "ConnectionError: redis is down"},
    }


@readyz_db
def test_readyz_names_both_failures_when_both_fail(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_database() -> None:
        raise RuntimeError

    monkeypatch.setattr(health, "_check_database", broken_database)
    monkeypatch.setattr(health, "get_channel_layer", lambda: None)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["failures"] == {
        "database": "RuntimeError",
        "channel_layer": "RuntimeError: no channel layer configured",
    }


# --- the home page ------------------------------------------------------------------------


@pytest.mark.django_db
def test_home_page_is_german_and_lists_the_initiatives(client: Client) -> None:
    InitiativeFactory(title="Repair-Café West", summary="Wir reparieren gemeinsam.")
    InitiativeFactory(title="Lastenrad-Teilen")

    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="de">' in html
    assert "Gemeinsam für ein klimaneutrales" in html
    assert "Repair-Café West" in html
    assert "Wir reparieren gemeinsam." in html
    assert "Lastenrad-Teilen" in html


@pytest.mark.django_db
def test_home_page_leaves_out_archived_initiatives(client: Client) -> None:
    InitiativeFactory(title="Noch aktiv")
    archived = InitiativeFactory(title="Längst vorbei")
    archived.status = "archived"
    archived.save()

    html = client.get("/").content.decode()

    assert "Noch aktiv" in html
    assert "Längst vorbei" not in html


@pytest.mark.django_db
def test_home_page_escapes_initiative_titles(client: Client) -> None:
    InitiativeFactory(title="<b>Fett</b> & Co")

    html = client.get("/").content.decode()

    assert "<b>Fett</b>" not in html
    assert "&lt;b&gt;Fett&lt;/b&gt; &amp; Co" in html


@pytest.mark.django_db
def test_the_header_names_a_signed_in_user_and_signs_out_by_post(
    client: Client, make_user: MakeUser
) -> None:
    client.force_login(make_user(profile__display_name="Lena"))

    html = client.get("/").content.decode()

    assert re.search(r"data-profile-link>.*?Lena</a>", html)
    assert '<form method="post" action="/logout/"' in html


# --- OpenAPI -------------------------------------------------------------------------------


@pytest.mark.django_db  # the schema lists the city's categories and districts
def test_schema_is_an_openapi_3_document_with_the_api(client: Client) -> None:
    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Klima-Community API"
    for path in (
        "/api/auth/register/",
        "/api/auth/token/",
        "/api/auth/me/",
        "/api/initiatives/",
        "/api/initiatives/{slug}/",
        "/api/initiatives/{slug}/join/",
        "/api/initiatives/{slug}/leave/",
        "/api/initiatives/{slug}/members/",
        "/api/categories/",
        "/api/districts/",
    ):
        assert path in schema["paths"], path


@pytest.mark.django_db
def test_schema_is_yaml_by_default(client: Client) -> None:
    response = client.get("/api/schema/")

    assert response.status_code == 200
    assert yaml.safe_load(response.content)["openapi"].startswith("3.")


def test_swagger_ui_is_served_from_local_static_files_without_a_cdn(client: Client) -> None:
    response = client.get("/api/docs/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "/api/schema/" in html
    for cdn in ("cdn.jsdelivr.net", "unpkg.com", "cdnjs.cloudflare.com"):
        assert cdn not in html
