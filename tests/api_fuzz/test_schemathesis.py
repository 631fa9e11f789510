"""Schemathesis against a real server: every operation of the OpenAPI schema, with all of
its checks (server errors, undocumented status codes, answers that break the schema,
invalid input accepted, valid input refused, ...), as nobody, as a member and as a
moderator. The few check/operation pairs that the schema cannot express are listed,
each with its reason, in tests/api_fuzz/schemathesis.toml.

A run is bounded (EXAMPLES per operation and phase); its seed is printed, so a failure
is repeated with `schemathesis run ... --seed N`.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.e2e.servers import Deployment, sqlite_deployment

# The server here is SQLite with the in-memory layer in both of CI's passes, so the second
# pass would check the same thing again: it runs in the embedded pass only (conftest.py).
pytestmark = [pytest.mark.e2e, pytest.mark.embedded_only]

CONFIG = Path(__file__).with_name("schemathesis.toml")
EXAMPLES = 12  # per operation and phase: ~3,150-3,220 cases per role over 71 operations, ~70 s
TIMEOUT_SECONDS = 600


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """uvicorn (as production runs it) on a fresh demo database of its own."""
    deployment = sqlite_deployment(Path(tmp_path_factory.mktemp("schemathesis")))
    try:
        deployment.start_worker("uvicorn")
        yield deployment
    finally:
        deployment.close()


# Seen with two workers (threads) in a few dozen runs, inside schemathesis, with no
# failure of the API reported; if it ever shows with one, the run is repeated once.
CPYTHON_FLAKE = "AST constructor recursion depth mismatch"


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
    )


def _schemathesis() -> str:
    found = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    assert found, "schemathesis is a dev dependency (pyproject.toml)"
    return found


def test_first_schema_requests_at_the_same_moment_all_get_the_schema(server: Deployment) -> None:
    """Runs first in this module, on the fresh server: drf-spectacular loads its
    extensions on the first request, and six at once were 500s before (collab/api.py)."""

    def fetch(_: int) -> int:
        with urllib.request.urlopen(f"{server.workers[0].http}/api/schema/", timeout=60) as r:
            return int(r.status)

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert list(pool.map(fetch, range(6))) == [200] * 6
    assert "Traceback" not in server.logs()


@pytest.mark.parametrize("who", [None, "jonas", "mira"], ids=["anonymous", "member", "moderator"])
def test_every_operation_passes_every_check(server: Deployment, who: str | None) -> None:
    headers = [] if who is None else ["-H", f"Authorization: Token {server.token(who)}"]
    command = [
        _schemathesis(),
        "--no-color",
        "--config-file",
        str(CONFIG),
        "run",
        f"{server.workers[0].http}/api/schema/",
        *headers,
        "--max-examples",
        str(EXAMPLES),
        # One worker: with two threads, CPython 3.11.7's `ast` (under hypothesis,
        # describing a filter) fails now and then with "AST constructor recursion depth
        # mismatch", a thread-safety bug fixed in later CPython releases.
        "--workers",
        "1",
    ]
    run = _run(command)
    if run.returncode != 0 and CPYTHON_FLAKE in run.stdout and "Failures:" not in run.stdout:
        run = _run(command)  # once more: a fault of the tool's interpreter, not of ours
    report = run.stdout[-6000:] + run.stderr[-2000:]
    lines = run.stdout.splitlines()
    summary = [lines[i + 1].strip() for i, line in enumerate(lines[:-1]) if "Test cases" in line]
    print(f"\nschemathesis as {who or 'anonymous'}:", *summary)  # the figures, with -s
    assert run.returncode == 0, report
    assert "Traceback" not in server.logs(), server.logs()[-6000:]
