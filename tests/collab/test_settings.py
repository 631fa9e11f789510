"""Settings come from the environment; production refuses to start without a secret key.

Each case imports the settings in a fresh interpreter, since they are read once per process.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings

SETUP = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'collab.settings'; django.setup()"
)


def start_django(**env: str) -> subprocess.CompletedProcess[str]:
    """Run `django.setup()` with the DJANGO_* variables of `env` only."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "-c", SETUP],
        env={**clean, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_settings_start_with_a_secret_key() -> None:
    result = start_django(DJANGO_SECRET_KEY="x" * 50)

    assert result.returncode == 0, result.stderr


def test_settings_refuse_to_start_without_secret_key_when_debug_is_off() -> None:
    result = start_django()

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_settings_refuse_an_empty_secret_key() -> None:
    result = start_django(DJANGO_SECRET_KEY="", DJANGO_DEBUG="false")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_settings_allow_a_missing_secret_key_in_debug_mode() -> None:
    result = start_django(DJANGO_DEBUG="true")

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("value", ["yes-please", "2", "debug", "ja"])
def test_settings_refuse_an_unclear_debug_value(value: str) -> None:
    result = start_django(DJANGO_DEBUG=value, DJANGO_SECRET_KEY="x" * 50)

    assert result.returncode != 0
    assert f"DJANGO_DEBUG must be true or false, not {value!r}" in result.stderr


def test_settings_refuse_a_number_that_is_not_a_number() -> None:
    result = start_django(DJANGO_SECRET_KEY="x" * 50, DJANGO_HSTS_SECONDS="a year")

    assert result.returncode != 0
    assert "DJANGO_HSTS_SECONDS must be a whole number" in result.stderr
