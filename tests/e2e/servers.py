"""Real server processes for end-to-end tests: a fresh database, migrated and seeded,
then `python -m collab.serve` workers on free ports, as an operator would run them."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dj_database_url
import psycopg

ROOT = Path(__file__).resolve().parents[2]
READY_TIMEOUT_SECONDS = 40


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


@dataclass
class Worker:
    port: int
    log: Path
    process: subprocess.Popen[bytes]

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/"

    def wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited: {self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.http}/readyz", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        raise RuntimeError(f"worker not ready: {self.log.read_text()[-3000:]}")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass
class Deployment:
    """One database (+ Redis when given) and N workers serving it."""

    env: dict[str, str]
    tmp: Path
    workers: list[Worker] = field(default_factory=list)
    cleanup: list[Any] = field(default_factory=list)

    def start_worker(self, server: str = "daphne", *, port: int | None = None) -> Worker:
        """A worker as `python -m collab.serve --server daphne|uvicorn` runs it (on a
        given port: a restart, as after a deployment)."""
        port = port or free_port()
        log = self.tmp / f"worker-{port}.log"
        command = [sys.executable, "-m", "collab.serve", "--server", server]
        process = subprocess.Popen(
            [*command, "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=self.env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        worker = Worker(port=port, log=log, process=process)
        self.workers.append(worker)
        worker.wait_ready()
        return worker

    def logs(self) -> str:
        return "\n".join(w.log.read_text() for w in self.workers if w.log.exists())

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()
        for job in reversed(self.cleanup):
            job()

    # --- REST helpers -------------------------------------------------------
    def request(
        self, method: str, path: str, body: Any = None, token: str | None = None
    ) -> tuple[int, Any]:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Token {token}"
        request = urllib.request.Request(
            f"{self.workers[0].http}{path}",
            data=None if body is None else json.dumps(body).encode(),
            headers=headers,
            method=method,
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"null")

    def token(self, username: str) -> str:
        status, body = self.request(
            "POST", "/api/auth/token/", {"username": username, "password": "klima-demo"}
        )
        assert status == 200, body
        return str(body["token"])

    def people(self, prefix: str, n: int) -> list[str]:
        """The API tokens of `n` new members (`<prefix>-1`, ...), made in the database
        directly: registering over the API hashes a password per person, which is slow."""
        code = (
            "import json; from django.contrib.auth.models import User; "
            "from rest_framework.authtoken.models import Token; "
            "from accounts.models import Profile; "
            f"users = [User.objects.create_user('{prefix}-%d' % i) for i in range(1, {n} + 1)]; "
            "[Profile.objects.create(user=u, display_name=u.username) for u in users]; "
            "print(json.dumps([Token.objects.get_or_create(user=u)[0].key for u in users]))"
        )
        done = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        )
        tokens: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
        return tokens

    def new_room(self, title: str) -> int:
        """A fresh open room of lena's repair café, so each test starts at seq 0."""
        status, body = self.request(
            "POST",
            "/api/initiatives/repair-cafe-stuttgart-west/rooms/",
            {"title": title},
            token=self.token("lena"),
        )
        assert status == 201, body
        return int(body["id"])


def base_env(tmp: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_SECRET_KEY="e2e-" + uuid.uuid4().hex * 2,
        DJANGO_DEBUG="false",
        KLIMA_RATE_LIMITS="off",
        KLIMA_LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
        DJANGO_MEDIA_ROOT=str(tmp / "media"),  # the demo's pictures, not in the checkout
    )
    return env


def sqlite_deployment(tmp: Path) -> Deployment:
    env = base_env(tmp)
    env["DATABASE_URL"] = f"sqlite:///{tmp / 'e2e.sqlite3'}"
    deployment = Deployment(env=env, tmp=tmp)
    manage(env, "migrate", "--no-input")
    manage(env, "seed_demo")
    return deployment


def postgres_admin(database_url: str) -> dict[str, Any]:
    """psycopg.connect's arguments for the maintenance database `postgres` of the server
    of `database_url` (to create, drop, or lock out a database)."""
    config = dj_database_url.parse(database_url)
    return dict(
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        user=config["USER"] or "postgres",
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


def fresh_postgres_database(database_url: str, label: str) -> tuple[str, Callable[[], None]]:
    """A new database on the PostgreSQL server of `database_url`: its URL, and the
    function that drops it (also used by bench/servers.py)."""
    name = f"klima_{label}_{uuid.uuid4().hex[:10]}"
    admin = postgres_admin(database_url)
    with psycopg.connect(**admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return database_url.rsplit("/", 1)[0] + "/" + name, drop


def postgres_redis_deployment(tmp: Path, database_url: str, redis_url: str) -> Deployment:
    """A database of its own on the PostgreSQL server of `database_url`, dropped afterwards."""
    url, drop = fresh_postgres_database(database_url, "e2e")
    env = base_env(tmp)
    env["DATABASE_URL"] = url
    env["REDIS_URL"] = redis_url
    env["KLIMA_REDIS_PREFIX"] = f"klima-e2e-{uuid.uuid4().hex[:8]}"
    deployment = Deployment(env=env, tmp=tmp)
    deployment.cleanup.append(drop)
    manage(env, "migrate", "--no-input")
    manage(env, "seed_demo")
    return deployment
