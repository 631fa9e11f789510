"""Every URL of the site against every role (tests/authz/matrix.py): each cell is the
status code that role gets, in the world of tests/authz/world.py."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.authz.matrix import PAGES, REST, Row
from tests.authz.world import ROLES, World, build_world
from tests.factories import token_client

pytestmark = pytest.mark.django_db


def _cells(rows: list[Row]) -> list[tuple[Row, str]]:
    return [(row, role) for row in rows for role in ROLES]


def _id(cell: tuple[Row, str]) -> str:
    row, role = cell
    return f"{row.method} {row.name} as {role}"


@pytest.fixture
def world() -> World:
    return build_world()


@pytest.mark.parametrize("cell", _cells(REST), ids=_id)
def test_rest(world: World, cell: tuple[Row, str]) -> None:
    row, role = cell
    client = token_client(world.user(role))
    body = row.body(world, role) if row.body else None

    response = client.generic(
        row.method,
        row.path(world),
        data="" if body is None else json.dumps(body),
        content_type="application/json",
    )

    assert response.status_code == row.cells[role], response.content[:300]
    if response.status_code >= 400 and response["Content-Type"].startswith("application/json"):
        assert response.json()["detail"], response.content[:300]


@pytest.mark.parametrize("cell", _cells(PAGES), ids=_id)
def test_page(world: World, cell: tuple[Row, str]) -> None:
    row, role = cell
    client = Client()
    user = world.user(role)
    if user is not None:
        client.force_login(user)  # an account switched off is nobody on the next request

    data = row.body(world, role) if row.body else None
    if row.method == "GET":
        response = client.get(row.path(world))
    elif row.method == "PUT":
        response = client.put(row.path(world), data or {})
    else:
        response = client.post(row.path(world), data or {})

    assert response.status_code == row.cells[role]
