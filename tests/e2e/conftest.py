"""End-to-end fixtures: real worker processes on a real database.

`sqlite_server`: one worker on the embedded default (daphne, then uvicorn).
`redis_workers`: two workers (one daphne, one uvicorn) on PostgreSQL + Redis;
collected only when DATABASE_URL points to PostgreSQL and REDIS_URL is set (CI's
second pass), otherwise deselected with a note, not skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.servers import Deployment, postgres_redis_deployment, sqlite_deployment

SERVICES = os.environ.get("DATABASE_URL", "").startswith("postgres") and bool(
    os.environ.get("REDIS_URL")
)


@pytest.fixture(scope="module", params=["daphne", "uvicorn"])
def sqlite_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    """Each test against both servers: daphne (`make demo`) and uvicorn with our
    websocket protocol (realtime/websocket.py, as production runs it)."""
    deployment = sqlite_deployment(Path(tmp_path_factory.mktemp("e2e-sqlite")))
    try:
        deployment.start_worker(request.param)
        yield deployment
    finally:
        deployment.close()


@pytest.fixture(scope="module")
def redis_workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    deployment = postgres_redis_deployment(
        Path(tmp_path_factory.mktemp("e2e-redis")),
        os.environ["DATABASE_URL"],
        os.environ["REDIS_URL"],
    )
    try:
        # Both servers that collab.serve offers, side by side as a mixed rollout would run.
        deployment.start_worker("daphne")
        deployment.start_worker("uvicorn")
        yield deployment
    finally:
        deployment.close()
