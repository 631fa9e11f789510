"""`make bench`: every server, every scenario, one table, one JSON file.

    python -m bench.run [--quick] [--procs N] [--only ours-sqlite,ceiling,...]

Servers, each started here on this machine: ours as deployed (daphne via
`collab.serve`) on SQLite with the in-memory layer (`ours-sqlite`), on PostgreSQL
+ Redis with one worker (`ours-pg-1w`) and with two (`ours-pg-2w`); the raw
websockets ceiling (bench.ceiling); the Channels-tutorial floor on Redis
(bench.floor). Ours runs with KLIMA_RATE_LIMITS=off (benchmarks only).

Scenarios, each driven by the same load client (bench.load, a separate process):
`fanout` 1 room x 200 clients, 5 senders, rate raised until p99 > 100 ms or any
loss; `rooms` 50 rooms x 4 clients, all sending, the same; `idle-1000` and
`idle-10000` authenticated idle connections on one fresh worker (VmRSS before and
after, connections opened per second; connecting stops after `idle_seconds`, and
the row says how many were reached); `acks` one sender, send -> ack latency.

PostgreSQL and Redis: DATABASE_URL / REDIS_URL if set, else the local defaults
below; configurations whose services do not answer are skipped. The table goes to
stdout, every figure (each rate step too) to bench/results/<timestamp>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.report import table
from bench.servers import ROOT, Ours, Server, start_ceiling, start_floor

RESULTS = ROOT / "bench" / "results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
SERVERS = ["ceiling", "floor", "ours-sqlite", "ours-pg-1w", "ours-pg-2w"]

# Quick: about two minutes. Full: finer rate steps, 10,000 idle connections, < 15 min.
MODES: dict[str, dict[str, Any]] = {
    "quick": {
        "step_seconds": 1.0,
        "drain_seconds": 1.5,
        "factor": 2.0,
        "bisect": 0,
        "retries": 0,
        "idle": [1000],
        "idle_seconds": 6,
        "acks": 50,
        "fanout_start": 20,
        "rooms_start": 100,
        "settle_quiet": 0.5,
        "settle_max": 5.0,
    },
    "full": {
        "step_seconds": 3.0,
        "drain_seconds": 3.0,
        "factor": 2.0,
        "bisect": 2,
        "retries": 2,
        "idle": [1000, 10_000],
        "idle_seconds": 90,
        "acks": 500,
        "fanout_start": 10,
        "rooms_start": 50,
        "settle_quiet": 1.0,
        "settle_max": 15.0,
    },
}


class Runner:
    def __init__(self, mode: str, procs: int, tmp: Path) -> None:
        self.mode = MODES[mode]
        self.procs = procs
        self.tmp = tmp
        self.runs: list[dict[str, Any]] = []
        self.count = 0

    def load(self, label: str, scenario: str, spec: dict[str, Any]) -> None:
        """One scenario in a separate load process; its result joins `runs`."""
        self.count += 1
        kind = "idle" if scenario.startswith("idle") else scenario
        kind = "ramp" if kind in ("fanout", "rooms") else kind
        spec = {"label": f"{label} {scenario}", "scenario": kind, "procs": self.procs, **spec}
        spec_file = self.tmp / f"spec-{self.count}.json"
        out_file = self.tmp / f"result-{self.count}.json"
        spec_file.write_text(json.dumps(spec))
        print(f"{label} {scenario} ...", file=sys.stderr, flush=True)
        started = time.monotonic()
        record: dict[str, Any] = {"server": label, "scenario": scenario}
        done = subprocess.run(
            [sys.executable, "-m", "bench.load", str(spec_file), "--out", str(out_file)],
            cwd=ROOT,
            check=False,
        )
        if done.returncode == 0:
            record.update(json.loads(out_file.read_text()))
        else:
            record["error"] = f"load client exited with {done.returncode}"
        record["wall_seconds"] = round(time.monotonic() - started, 1)
        self.runs.append(record)

    # --- scenario specs --------------------------------------------------------
    def ramp_spec(self, rooms: list[Any], per_room: int, senders: int, start: float) -> dict:
        m = self.mode
        return {
            "rooms": rooms,
            "clients_per_room": per_room,
            "senders_per_room": senders,
            "start_rate": start,
            "factor": m["factor"],
            "max_rate": 1_000_000,
            "bisect": m["bisect"],
            "retries": m["retries"],
            "step_seconds": m["step_seconds"],
            "drain_seconds": m["drain_seconds"],
            "p99_limit_ms": 100,
            "concurrency": 50,
            "settle_quiet": m["settle_quiet"],
            "settle_max": m["settle_max"],
        }

    def fanout_and_rooms(
        self, label: str, kind: str, workers: list[Server], rooms: Callable[[int], list[Any]], **kw
    ) -> None:
        base = {"kind": kind, "workers": [_worker(w) for w in workers], **kw}
        fanout = self.ramp_spec(rooms(1), 200, 5, self.mode["fanout_start"])
        self.load(label, "fanout", {**base, **fanout})
        many = self.ramp_spec(rooms(50), 4, 4, self.mode["rooms_start"])
        self.load(label, "rooms", {**base, **many})

    def idle(self, label: str, kind: str, restart: Callable[[], Server], **kw: Any) -> None:
        for count in self.mode["idle"]:
            worker = restart()  # a fresh process: memory freed by earlier runs is not reused
            spec = {
                "kind": kind,
                "workers": [_worker(worker)],
                "count": count,
                "connect_seconds": self.mode["idle_seconds"],
                "warmup": 20,
                "concurrency": 50,
            }
            self.load(label, f"idle-{count}", {**spec, **kw})

    # --- servers ----------------------------------------------------------------
    def ceiling(self) -> None:
        server = start_ceiling(self.tmp)
        try:
            self.fanout_and_rooms("ceiling", "ceiling", [server], _names)
        finally:
            server.stop()

        def restart() -> Server:
            nonlocal server
            server.stop()
            server = start_ceiling(self.tmp)
            return server

        try:
            self.idle("ceiling", "ceiling", restart)
        finally:
            server.stop()

    def floor(self, redis_url: str) -> None:
        server = start_floor(self.tmp, redis_url)

        def restart() -> Server:
            nonlocal server
            server.stop()
            server = start_floor(self.tmp, redis_url)
            return server

        try:
            self.fanout_and_rooms("floor", "floor", [server], _names)
            self.idle("floor", "floor", restart)
        finally:
            server.stop()

    def ours(self, ours: Ours, label: str, two_workers: bool) -> None:
        try:
            ours.start_worker()
            tokens = ours.tokens

            def rooms(n: int) -> list[Any]:
                return ours.new_rooms(n, f"Bench {self.count}")

            self.fanout_and_rooms(label, "ours", ours.workers, rooms, tokens=tokens)
            room = rooms(1)[0]
            spec = {"kind": "ours", "workers": [_worker(ours.workers[0])], "tokens": tokens}
            acks = {"room": room, "count": self.mode["acks"], "warmup": 20}
            self.load(label, "acks", {**spec, **acks})

            def restart() -> Server:
                ours.stop_workers()
                return ours.start_worker()

            self.idle(label, "ours", restart, tokens=tokens)
            if two_workers:
                ours.stop_workers()
                ours.start_worker()
                ours.start_worker()
                label2 = label.replace("-1w", "-2w")
                self.fanout_and_rooms(label2, "ours", ours.workers, rooms, tokens=tokens)
        finally:
            ours.close()


def _worker(server: Server) -> dict[str, Any]:
    return {"base": server.base, "pid": server.pid}


def _names(n: int) -> list[Any]:
    return [f"r{i + 1}" for i in range(n)]


def _services_up(database_url: str, redis_url: str) -> str | None:
    """None if PostgreSQL and Redis answer, else why not."""
    import psycopg
    import redis

    try:
        psycopg.connect(database_url, connect_timeout=3).close()
        redis.Redis.from_url(redis_url, socket_timeout=3).ping()
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller steps, about 2 minutes")
    parser.add_argument("--procs", type=int, default=1, help="load client processes (default 1)")
    parser.add_argument("--only", default=",".join(SERVERS), help="comma-separated servers")
    parser.add_argument(
        "--asgi",
        default="uvicorn",
        help="ASGI server(s) for ours, comma-separated: uvicorn, daphne (default uvicorn)",
    )
    args = parser.parse_args(argv)
    mode = "quick" if args.quick else "full"
    only = set(args.only.split(","))
    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    if not database_url.startswith("postgres"):
        database_url = DEFAULT_DATABASE_URL
    redis_url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    down = _services_up(database_url, redis_url)
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="klima-bench-"))
    runner = Runner(mode, args.procs, tmp)
    skipped: dict[str, str] = {}
    try:
        if "ceiling" in only:
            runner.ceiling()
        if "floor" in only:
            runner.floor(redis_url) if not down else skipped.setdefault("floor", str(down))
        for asgi in args.asgi.split(","):
            # Rows of the default server carry the plain names; others are marked.
            mark = "" if asgi == "uvicorn" else f"-{asgi}"
            if "ours-sqlite" in only:
                ours = Ours.sqlite(tmp / f"sqlite-{asgi}", asgi=asgi)
                runner.ours(ours, f"ours{mark}-sqlite", two_workers=False)
            if only & {"ours-pg-1w", "ours-pg-2w"}:
                if down:
                    skipped["ours-pg"] = down
                else:
                    ours = Ours.postgres(tmp, database_url, redis_url, asgi=asgi)
                    runner.ours(ours, f"ours{mark}-pg-1w", two_workers="ours-pg-2w" in only)
    finally:
        elapsed = time.monotonic() - started
        result = {
            "started": datetime.now().isoformat(timespec="seconds"),
            "mode": mode,
            "load_processes": args.procs,
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
            "elapsed_seconds": round(elapsed, 1),
            "skipped": skipped,
            "runs": runner.runs,
        }
        RESULTS.mkdir(parents=True, exist_ok=True)
        out = RESULTS / f"{datetime.now():%Y%m%d-%H%M%S}.json"
        out.write_text(json.dumps(result, indent=1))
        print(table(runner.runs))
        for name, why in skipped.items():
            print(f"skipped {name}: {why}")
        print(f"\n{mode} run, {args.procs} load process(es), {elapsed:.0f} s; figures: {out}")
        traces = tracebacks_in_our_logs(tmp)
        for log, count in traces.items():
            print(f"{log.name}: {count} traceback(s) in our server's log")
        if traces or any("error" in run for run in runner.runs):
            print(f"server logs kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def tracebacks_in_our_logs(tmp: Path) -> dict[Path, int]:
    """Our servers' logs that hold a traceback, and how many. No client input may
    produce one, and a load that does fails in a way the table does not show
    (a disconnect that raised once left the connection subscribed)."""
    found = {}
    for log in sorted(tmp.rglob("ours-*.log")):
        count = log.read_text(errors="replace").count("Traceback (most recent call last)")
        if count:
            found[log] = count
    return found


if __name__ == "__main__":
    main()
