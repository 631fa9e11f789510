"""The OpenAPI schema tells the truth (issue 15's findings): lists that are paginated say
so, every operation lists its error answers with the one error body, and the values
and bounds that the server enforces are in it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from rest_framework.test import APIClient

from initiatives.models import Category, District

pytestmark = pytest.mark.django_db

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def schema() -> dict[str, Any]:
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return dict(response.json())


def _ref(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _enum(schema: dict[str, Any], node: dict[str, Any]) -> set[str]:
    """The values of an enum property, wherever the enum hook put them."""
    if "allOf" in node:
        node = node["allOf"][0]
    return set(_ref(schema, node)["enum"])


def _ok_schema(schema: dict[str, Any], path: str, method: str = "get") -> dict[str, Any]:
    responses = schema["paths"][path][method]["responses"]
    ok = next(code for code in responses if code.startswith("2"))
    return _ref(schema, responses[ok]["content"]["application/json"]["schema"])


@pytest.mark.parametrize(
    "path",
    ["/api/rooms/", "/api/notifications/", "/api/moderation/queue/", "/api/moderation/log/"],
)
def test_paginated_lists_are_declared_as_pages(schema: dict[str, Any], path: str) -> None:
    page = _ok_schema(schema, path)

    assert set(page["properties"]) == {"count", "next", "previous", "results"}
    assert page["properties"]["results"]["type"] == "array"
    names = {p["name"]: p["schema"] for p in schema["paths"][path]["get"]["parameters"]}
    assert names["page"]["minimum"] == 1 and names["page_size"]["maximum"] == 100


def test_every_operation_lists_its_error_answers_with_the_error_body(
    schema: dict[str, Any],
) -> None:
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            errors = {code: r for code, r in operation["responses"].items() if code >= "400"}
            assert "429" in errors, (method, path)
            for code, response in errors.items():
                body = response["content"]["application/json"]["schema"]
                assert body == {"$ref": "#/components/schemas/Error"}, (method, path, code)
            if operation.get("security") != [{}]:
                assert {"401", "403"} <= set(errors), (method, path)
            if "{" in path or "requestBody" in operation:
                assert "404" in errors, (method, path)


def test_a_refusal_for_a_conflict_is_in_the_schema_where_a_service_can_give_it(
    schema: dict[str, Any],
) -> None:
    for path, method in [
        ("/api/initiatives/{slug}/leave/", "post"),
        ("/api/moderation/reports/", "post"),
        ("/api/moderation/appeals/", "post"),
        ("/api/moderation/appeals/{appeal_id}/decide/", "post"),
    ]:
        assert "409" in schema["paths"][path][method]["responses"], (method, path)


def test_what_may_be_null_or_archived_in_an_answer_says_so(schema: dict[str, Any]) -> None:
    initiative = schema["components"]["schemas"]["Initiative"]["properties"]
    status = _ref(schema, initiative["status"])
    writable = _ref(
        schema, schema["components"]["schemas"]["InitiativeRequest"]["properties"]["status"]
    )

    assert initiative["district_name"].get("nullable") is True
    assert "archived" in status["enum"] and "archived" not in writable["enum"]


def test_the_citys_categories_and_districts_are_the_values_of_their_fields(
    schema: dict[str, Any],
) -> None:
    request = schema["components"]["schemas"]["InitiativeRequest"]["properties"]
    parameters = {
        p["name"]: p["schema"] for p in schema["paths"]["/api/initiatives/"]["get"]["parameters"]
    }

    slugs = set(Category.objects.values_list("slug", flat=True))
    districts = set(District.objects.values_list("slug", flat=True))
    assert _enum(schema, request["category"]) == slugs == _enum(schema, parameters["category"])
    assert _enum(schema, request["district"]) == districts == _enum(schema, parameters["district"])


def test_the_history_bounds_are_in_the_schema(schema: dict[str, Any]) -> None:
    parameters = schema["paths"]["/api/rooms/{room_id}/messages/"]["get"]["parameters"]
    bounds = {p["name"]: p["schema"].get("minimum") for p in parameters if p["in"] == "query"}

    assert bounds == {"before": 1, "after_seq": 0, "limit": 1}


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ("abc", True),
        (" a b ", True),
        ("\u00a0\u0106K", False),
        ("  ab  ", False),
        ("a\x00bc", False),
    ],
)
def test_a_minimum_length_in_the_schema_counts_the_text_as_the_server_does(
    schema: dict[str, Any], text: str, accepted: bool
) -> None:
    """The server trims before it counts (a no-break space is not a letter): the schema's
    pattern says so, so a client generating from the schema is not refused."""
    summary = schema["components"]["schemas"]["InitiativeRequest"]["properties"]["summary"]
    assert summary["minLength"] == 3

    assert bool(re.search(summary["pattern"], text)) is accepted
    assert (len(text.strip()) >= 3 and "\x00" not in text) is accepted
