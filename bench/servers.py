"""The servers under test, started as real processes on free ports.

- `Ours`: a deployment as an operator runs it: a fresh SQLite file or a fresh
  PostgreSQL database (dropped afterwards), `migrate` + `seed_demo`, then workers
  started with `python -m collab.serve` (daphne), with `KLIMA_RATE_LIMITS=off` so
  that the per-user posting limit does not refuse the load (benchmarks only; the
  default is on and production never sets it).
- `start_ceiling`: bench.ceiling; `start_floor`: bench.floor under daphne, on Redis.

Every server gets a high open-files limit (10,000 idle connections).
"""

from __future__ import annotations

import json
import os
import resource
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

import redis

from tests.e2e.servers import free_port, fresh_postgres_database, manage

ROOT = Path(__file__).resolve().parents[1]
READY_TIMEOUT = 60.0
NOFILE = 65_536
DEMO_USERS = ["lena", "jonas", "mira", "tobias", "aylin", "frieda", "klaus", "sophie", "admin"]
DEMO_PASSWORD = "klima-demo"  # noqa: S105  (the documented demo accounts)
ROOM_INITIATIVE = "repair-cafe-stuttgart-west"


def purge_redis(redis_url: str, prefix: str) -> None:
    """Delete a run's keys (channels-redis keeps group members for a day)."""
    client = redis.Redis.from_url(redis_url)
    try:
        keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
        for start in range(0, len(keys), 500):
            client.delete(*keys[start : start + 500])
    finally:
        client.close()


def _high_nofile() -> None:
    """preexec_fn: raise the child's open-files limit (root may raise the hard limit)."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    for limit in (max(hard, NOFILE), hard):
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))
            return
        except (ValueError, OSError):
            continue


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path
    after_stop: list[Callable[[], None]] = field(default_factory=list)

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def base(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        while self.after_stop:
            self.after_stop.pop()()

    def check_alive(self) -> None:
        if self.process.poll() is not None:
            raise RuntimeError(f"{self.name} exited: {self.log.read_text()[-3000:]}")


def spawn(name: str, args: list[str], env: dict[str, str], tmp: Path, port: int) -> Server:
    log = tmp / f"{name}-{port}.log"
    process = subprocess.Popen(
        args,
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        preexec_fn=_high_nofile,  # the runner starts no threads, so preexec_fn is safe
    )
    return Server(name=name, port=port, process=process, log=log)


def wait_tcp(server: Server) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        server.check_alive()
        try:
            with socket.create_connection(("127.0.0.1", server.port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{server.name} not listening: {server.log.read_text()[-3000:]}")


def clean_env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "KLIMA_REDIS_PREFIX"}
    }
    env["PYTHONUNBUFFERED"] = "1"
    return env


def start_ceiling(tmp: Path) -> Server:
    port = free_port()
    args = [sys.executable, "-m", "bench.ceiling", "--host", "127.0.0.1", "--port", str(port)]
    server = spawn("ceiling", args, clean_env(), tmp, port)
    wait_tcp(server)
    return server


def start_floor(tmp: Path, redis_url: str) -> Server:
    port = free_port()
    prefix = f"bench-floor-{uuid.uuid4().hex[:8]}"
    env = clean_env()
    env.update(
        DJANGO_SETTINGS_MODULE="bench.floor.settings",
        REDIS_URL=redis_url,
        FLOOR_REDIS_PREFIX=prefix,
    )
    args = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port)]
    server = spawn("floor", [*args, "bench.floor.asgi:application"], env, tmp, port)
    server.after_stop.append(lambda: purge_redis(redis_url, prefix))
    wait_tcp(server)
    return server


@dataclass
class Ours:
    """One database (+ Redis when given) and the workers serving it."""

    name: str
    env: dict[str, str]
    tmp: Path
    asgi: str = "daphne"  # or "uvicorn": collab.serve --server
    workers: list[Server] = field(default_factory=list)
    cleanup: list[Any] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)

    @classmethod
    def sqlite(cls, tmp: Path, asgi: str = "daphne") -> Ours:
        tmp.mkdir(parents=True, exist_ok=True)
        env = cls._env()
        env["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
        return cls._prepared("sqlite", env, tmp, asgi=asgi)

    @classmethod
    def postgres(cls, tmp: Path, database_url: str, redis_url: str, asgi: str = "daphne") -> Ours:
        """A database of its own on the server of `database_url`, dropped at `close`."""
        url, drop_database = fresh_postgres_database(database_url, "bench")
        prefix = f"klima-bench-{uuid.uuid4().hex[:8]}"

        def drop() -> None:
            drop_database()
            purge_redis(redis_url, prefix)

        env = cls._env()
        env["DATABASE_URL"] = url
        env["REDIS_URL"] = redis_url
        env["KLIMA_REDIS_PREFIX"] = prefix
        try:
            return cls._prepared("postgres", env, tmp, cleanup=[drop], asgi=asgi)
        except BaseException:
            drop()
            raise

    @staticmethod
    def _env() -> dict[str, str]:
        env = clean_env()
        env.update(
            DJANGO_SECRET_KEY="bench-" + uuid.uuid4().hex * 2,
            DJANGO_DEBUG="false",
            KLIMA_RATE_LIMITS="off",  # benchmarks only: never the default
            KLIMA_LOG_LEVEL="WARNING",
        )
        return env

    @classmethod
    def _prepared(
        cls,
        name: str,
        env: dict[str, str],
        tmp: Path,
        cleanup: list[Any] | None = None,
        asgi: str = "daphne",
    ) -> Ours:
        ours = cls(name=name, env=env, tmp=tmp, asgi=asgi, cleanup=cleanup or [])
        manage(env, "migrate", "--no-input")
        manage(env, "seed_demo")
        return ours

    def start_worker(self) -> Server:
        port = free_port()
        args = [sys.executable, "-m", "collab.serve", "--server", self.asgi]
        args += ["--host", "127.0.0.1", "--port", str(port)]
        worker = spawn(f"ours-{self.name}", args, self.env, self.tmp, port)
        self.workers.append(worker)
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            worker.check_alive()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        else:
            raise RuntimeError(f"worker not ready: {worker.log.read_text()[-3000:]}")
        if not self.tokens:
            self.tokens = [self.token(user) for user in DEMO_USERS]
        return worker

    def stop_workers(self) -> None:
        for worker in self.workers:
            worker.stop()
        self.workers = []

    def close(self) -> None:
        self.stop_workers()
        for job in reversed(self.cleanup):
            job()

    # --- REST ---------------------------------------------------------------
    def request(self, method: str, path: str, body: Any = None, token: str | None = None) -> Any:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Token {token}"
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.workers[0].port}{path}",
            data=None if body is None else json.dumps(body).encode(),
            headers=headers,
            method=method,
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (http://127.0.0.1)
            return json.loads(response.read() or b"null")

    def token(self, username: str) -> str:
        body = {"username": username, "password": DEMO_PASSWORD}
        return str(self.request("POST", "/api/auth/token/", body)["token"])

    def new_rooms(self, count: int, title: str) -> list[int]:
        """Fresh open rooms of lena's repair café (each starts at seq 0)."""
        lena = self.tokens[0]
        path = f"/api/initiatives/{ROOM_INITIATIVE}/rooms/"
        return [
            int(self.request("POST", path, {"title": f"{title} {i + 1}"}, token=lena)["id"])
            for i in range(count)
        ]
