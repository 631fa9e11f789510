"""The OpenAPI schema tells the truth about errors: every operation lists the answers it
can give besides success, each with the one error body (common/api_errors.py).

A postprocessing hook of drf-spectacular (SPECTACULAR_SETTINGS), so that no view can
forget it. Which errors an operation can answer follows from its shape:

- 400 where it takes a body or query parameters (the field errors in `errors`);
- 401 and 403 where it authenticates: a wrong token is 401 on any of them, and
  what a user may not do (or a session request without its CSRF token) is 403;
- 404 where its path or body names something (an id, a slug), and past a list's
  last page;
- 415 where it takes a body (a content type the parsers do not read);
- 429 everywhere (the REST throttles; posting's limit, with `retry_after`).
An operation whose service can refuse with `conflict` says so itself:
`extend_schema(responses={..., 409: CONFLICT})`.
"""

from __future__ import annotations

from typing import Any

import django_filters
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from common.query import FALSE, TRUE
from common.validation import MAX_ID

ERROR_COMPONENT = "Error"
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Every error answer of the API.",
    "required": ["code", "detail"],
    "properties": {
        "code": {
            "type": "string",
            "description": "What went wrong, for programs (PROTOCOL.md's error codes, and "
            "DRF's: `not_authenticated`, `parse_error`, ...).",
        },
        "detail": {"type": "string", "description": "A sentence for people, in their language."},
        "retry_after": {
            "type": "integer",
            "minimum": 1,
            "description": "Seconds until a retry may succeed (`rate_limited`, `slow_mode`, "
            "`muted`); also in the `Retry-After` header.",
        },
        "errors": {
            "type": "object",
            "additionalProperties": True,
            "description": "`invalid` only: the errors of each field, as DRF gives them.",
        },
    },
}
DESCRIPTIONS = {
    "400": "The input is invalid (see `errors` for each field) or the body is not JSON.",
    "401": "Not signed in, or the token is not valid.",
    "403": "Signed in, but not allowed to do this.",
    "404": "There is no such thing, or you may not know of it.",
    "409": "It conflicts with what is there (already done, the last lead, ...).",
    "415": "The body is not in a format the API reads (JSON, form data).",
    "429": "Too many requests or posts: wait `retry_after` seconds.",
}
# What a view declares where its service may refuse with `conflict`; the hook gives it
# the error body.
CONFLICT = OpenApiResponse(description=DESCRIPTIONS["409"])
_METHODS = {"get", "put", "post", "patch", "delete"}
NO_NUL = "^[^\\u0000]*$"
NOT_BLANK = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"


def document_errors(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: the error answers of every operation."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas[ERROR_COMPONENT] = ERROR_SCHEMA
    for name, schema in schemas.items():
        if name.endswith("Request"):
            _no_nul_in_text(schema)
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method in _METHODS:
                _document(operation)
    return result


def _document(operation: dict[str, Any]) -> None:
    parameters = operation.get("parameters", [])
    has_body = "requestBody" in operation
    authenticates = any(requirement for requirement in operation.get("security", []))
    codes = {"429"}
    if has_body or any(p.get("in") == "query" for p in parameters):
        codes.add("400")
    if authenticates:
        codes |= {"401", "403"}
    if has_body or any(p.get("in") == "path" or p.get("name") == "page" for p in parameters):
        codes.add("404")
    if has_body:
        codes.add("415")
    responses = operation.setdefault("responses", {})
    for code in sorted(codes):
        responses.setdefault(code, _error(code))
    if "409" in responses:  # declared by the view: the same body and words
        responses["409"] = _error("409")


def _no_nul_in_text(schema: dict[str, Any]) -> None:
    """What DRF's text fields refuse, as a pattern on a request's free-text properties:
    the NUL character (PostgreSQL cannot store it), and, where the text may not be
    blank or shorter than its minLength, text that is too short once trimmed (DRF trims
    what it reads)."""
    for prop in schema.get("properties", {}).values():
        if prop.get("type") == "string" and not ({"enum", "format", "pattern"} & set(prop)):
            prop["pattern"] = _trimmed_at_least(prop.get("minLength", 0))


def _trimmed_at_least(length: int) -> str:
    """A pattern for text of at least `length` characters once trimmed, as DRF counts
    them: a JSON Schema `minLength` counts the string as sent, so "\\u00a0ab" would
    pass a minLength of 3 that the server (rightly) refuses."""
    if length <= 0:
        return NO_NUL
    if length == 1:
        return NOT_BLANK
    return f"^[^\\u0000]*[^\\s\\u0000][^\\u0000]{{{length - 2},}}[^\\s\\u0000][^\\u0000]*$"


def _error(code: str) -> dict[str, Any]:
    return {
        "description": DESCRIPTIONS[code],
        "content": {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}}
        },
    }


# --- query parameters as common/query.py reads them -------------------------------


def int_query(
    name: str, description: str, *, minimum: int = 0, maximum: int = MAX_ID
) -> OpenApiParameter:
    schema = {"type": "integer", "minimum": minimum, "maximum": maximum}
    return OpenApiParameter(name, schema, description=description)


def text_query(
    name: str, description: str, *, maximum: int, required: bool = False
) -> OpenApiParameter:
    """A text parameter as common.query.text_param reads it (`required`: not blank)."""
    schema = {"type": "string", "maxLength": maximum, "pattern": NOT_BLANK if required else NO_NUL}
    return OpenApiParameter(name, schema, required=required, description=description)


def bool_query(name: str, description: str) -> OpenApiParameter:
    schema = {"type": "string", "enum": [*TRUE, *FALSE]}
    return OpenApiParameter(name, schema, description=description)


def choice_query(name: str, values: list[str], description: str = "") -> OpenApiParameter:
    schema = {"type": "string", "enum": values}
    return OpenApiParameter(name, schema, description=description)


class SlugReferenceSchema(OpenApiSerializerFieldExtension):
    """A reference by slug lists the slugs there are (the city's categories, districts):
    the schema is made per request, so it names this city's."""

    target_class = "common.serializers.SlugReferenceField"

    def map_serializer_field(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        field = self.target
        slugs = list(field.get_queryset().values_list(field.slug_field, flat=True))
        schema: dict[str, Any] = {"type": "string", "enum": slugs}
        if field.allow_null:
            schema["nullable"] = True
        return schema


class FilterChoicesSchema(DjangoFilterExtension):
    """django-filter's parameters, with the values a choice of the database may take
    (a category, a district: by slug) listed, and no empty value for a choice
    (common.query.StrictFilterSet refuses it)."""

    priority = 1  # before drf-spectacular's own extension for the same backend

    def resolve_filter_field(
        self, auto_schema: Any, model: Any, filterset_class: Any, field_name: str, filter_field: Any
    ) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        if isinstance(filter_field, django_filters.ModelChoiceFilter):
            to_field = filter_field.extra.get("to_field_name") or "pk"
            values = list(filter_field.queryset.values_list(to_field, flat=True))
            for parameter in parameters:
                parameter["schema"]["enum"] = values
        return parameters
