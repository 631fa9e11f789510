"""The OpenAPI schema is complete: every view documented, no warnings, valid OpenAPI 3."""

from pathlib import Path

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_openapi_schema_generates_without_warnings_and_validates(tmp_path: Path) -> None:
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    assert text.startswith("openapi: 3")
    for path in ("/api/rooms/{room_id}/messages/", "/api/moderation/mutes/", "/api/initiatives/"):
        assert f"{path}:" in text
