"""Serializer fields that every app's REST API shares, read strictly.

DRF is lenient where the schema is not: its text fields take numbers (`0` becomes
"0"), its integer fields take strings ("12") and its boolean fields take 0, 1,
"yes" and "on". A client that sends what the schema does not allow gets `invalid`
here, so that the schema tells the truth (a JSON string, integer or boolean).
Request serializers use these fields; `ModelSerializer` maps model fields to them.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.validation import MAX_ID, is_int


class _OnlyText:
    """Mixin for DRF's text fields: a JSON string, nothing else."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid")  # type: ignore[attr-defined]
        # The schema's maxLength counts the string as sent; DRF counts it after trimming.
        max_length = getattr(self, "max_length", None)
        if max_length is not None and len(data) > max_length:
            self.fail("max_length", max_length=max_length)  # type: ignore[attr-defined]
        return super().to_internal_value(data)  # type: ignore[misc]


class TextField(_OnlyText, serializers.CharField):
    pass


class RegexTextField(_OnlyText, serializers.RegexField):
    pass


class EmailTextField(_OnlyText, serializers.EmailField):
    pass


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer (not "12", not 12.0, not true)."""

    def to_internal_value(self, data: Any) -> Any:
        if not is_int(data):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """A JSON boolean (not 0, 1 or "yes")."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class ModelSerializer(serializers.ModelSerializer):
    """DRF's, with the strict fields above for the model's text, number and yes/no."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: TextField,
        models.TextField: TextField,
        models.IntegerField: StrictIntegerField,
        models.PositiveIntegerField: StrictIntegerField,
        models.BooleanField: StrictBooleanField,
    }


class SlugReferenceField(serializers.SlugRelatedField):
    """A reference by slug (a category, a district), or null where allowed: `invalid`
    for anything else, an empty string too (DRF would take it as null), and a value
    with NUL, which PostgreSQL refuses in a query (a server error otherwise)."""

    def run_validation(self, data: Any = serializers.empty) -> Any:
        if data == "":
            self.fail("invalid")
        return super().run_validation(data)

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str) or "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdField(StrictIntegerField):
    """A database id in a request body. The schema says which numbers can name
    anything (1..MAX_ID); any other integer names nothing, and the service answers
    `not_found` (common.validation.clean_id), as for an id that is not there."""


def id_field(**kwargs: Any) -> serializers.IntegerField:
    return IdField(**kwargs)
