"""Serializer fields that every app's REST API shares."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class SlugReferenceField(serializers.SlugRelatedField):
    """A reference by slug (a category, a district): `invalid` for a value with NUL,
    which PostgreSQL refuses in a query (a server error otherwise)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)
