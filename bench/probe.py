"""A fixed-rate probe of our server: where the CPU goes at a given rate.

    python -m bench.probe --db pg --rates 200,240 --seconds 6
    python -m bench.probe --db sqlite --rates 300 --py-spy
    python -m bench.probe --db pg --workers 2 --rates 200

`make bench` finds the highest rate each server holds; this answers the next
question, why it holds no more. It starts our server as `make bench` does
(uvicorn, a fresh database with the demo data, `KLIMA_RATE_LIMITS=off`),
connects 200 clients to one room with 5 senders (with `--workers 2`, client n
on worker n mod 2, as `make bench`'s ours-pg-2w), and runs each rate for
`--seconds`. Per step it prints what the load client measured (sent rate,
deliveries, p50/p99 send-to-receive and send-to-ack) and, read from /proc over
the step: each thread of the worker (the event loop, the database and posting
threads) in % of a core and ms of CPU per message (user and system, voluntary
context switches), the load client, PostgreSQL, Redis and the whole machine.
`--py-spy` records the (first) worker during each step (py-spy must be installed:
`.venv/bin/pip install py-spy`) into bench/results/probe-<rate>.txt, raw
format: one line per stack, its thread first, its count last.
Environment variables pass through to the server (e.g. KLIMA_POSTING_THREADS=0).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.load import Pool, client_spec
from bench.run import DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL, RESULTS
from bench.servers import ROOT, Ours
from bench.stats import merge, percentiles

CLIENTS, SENDERS = 200, 5
TICK = os.sysconf("SC_CLK_TCK")


def _stat(path: str) -> tuple[float, float]:
    """(user + system, system) CPU seconds of a process or thread."""
    with open(path) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    user, system = int(fields[11]), int(fields[12])
    return (user + system) / TICK, system / TICK


def _switches(path: str) -> int:
    with open(path) as f:
        for line in f:
            if line.startswith("voluntary_ctxt_switches:"):
                return int(line.split()[1])
    return 0


def _threads(pid: int) -> dict[int, tuple[float, float, int]]:
    found = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        base = f"/proc/{pid}/task/{tid}"
        try:
            found[int(tid)] = (*_stat(f"{base}/stat"), _switches(f"{base}/status"))
        except OSError:  # the thread ended meanwhile
            continue
    return found


def _named_cpu(prefix: str) -> float:
    """CPU seconds of every process whose name starts with `prefix` (postgres, redis)."""
    total = 0.0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/comm") as f:
                if f.read().startswith(prefix):
                    total += _stat(f"/proc/{pid}/stat")[0]
        except OSError:
            continue
    return total


def _machine() -> tuple[int, int]:
    """(idle, total) jiffies of all cores."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    return values[3] + values[4], sum(values)


class Sample:
    """Everything the probe reads from /proc, at one moment."""

    def __init__(self, workers: list[int], clients: list[int]) -> None:
        self.at = time.monotonic()
        self.threads = {pid: _threads(pid) for pid in workers}
        self.clients = sum(_stat(f"/proc/{pid}/stat")[0] for pid in clients)
        self.postgres = _named_cpu("postgres")
        self.redis = _named_cpu("redis-server")
        self.machine = _machine()


def _report(rate: float, sent: int, seconds: float, drained: dict[str, Any]) -> str:
    lat = percentiles(merge([drained["hist"]]))
    ack = percentiles(merge([drained["ack_hist"]]))
    return (
        f"rate {rate:g}/s: sent {sent / seconds:.1f}/s, received {drained['received']}"
        f" of {drained['expected']}, p50 {lat['p50']} ms, p99 {lat['p99']} ms,"
        f" ack p99 {ack['p99']} ms"
    )


def _usage(workers: list[int], before: Sample, after: Sample, messages: int) -> list[str]:
    wall = after.at - before.at
    per_msg = 1000 / max(1, messages)
    lines = []
    for number, pid in enumerate(workers, 1):
        label = f"worker {number}: " if len(workers) > 1 else ""
        threads0, threads = before.threads[pid], after.threads[pid]
        for tid, (cpu, system, switches) in sorted(threads.items()):
            cpu0, system0, switches0 = threads0.get(tid, (0.0, 0.0, 0))
            used = cpu - cpu0
            if used < 0.02:
                continue
            name = label + ("event loop" if tid == pid else f"thread {tid}")
            lines.append(
                f"  {name:>24}: {100 * used / wall:5.1f} %, {used * per_msg:.2f} ms/msg"
                f" (system {(system - system0) * per_msg:.2f}),"
                f" {(switches - switches0) / max(1, messages):.1f} switches/msg"
            )
    total = sum(
        sum(t[0] for t in after.threads[pid].values())
        - sum(t[0] for t in before.threads[pid].values())
        for pid in workers
    )
    idle = (after.machine[0] - before.machine[0]) / max(1, after.machine[1] - before.machine[1])
    lines.append(
        f"  {'workers' if len(workers) > 1 else 'worker'} {100 * total / wall:.1f} %"
        f" ({total * per_msg:.2f} ms/msg),"
        f" load client {100 * (after.clients - before.clients) / wall:.0f} %,"
        f" PostgreSQL {100 * (after.postgres - before.postgres) / wall:.0f} %,"
        f" Redis {100 * (after.redis - before.redis) / wall:.0f} %,"
        f" machine {100 * os.cpu_count() * (1 - idle):.0f} % of {100 * os.cpu_count()} %"
    )
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "pg"], default="pg")
    parser.add_argument("--rates", default="200", help="messages/s, comma-separated")
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--workers", type=int, choices=[1, 2], default=1, help="2: pg only")
    parser.add_argument("--py-spy", action="store_true", help="record the worker (py-spy)")
    args = parser.parse_args(argv)
    rates = [float(r) for r in args.rates.split(",")]
    if args.workers > 1 and args.db != "pg":
        sys.exit("two workers need PostgreSQL and Redis: --db pg")
    spy = shutil.which("py-spy", path=str(ROOT / ".venv" / "bin")) or shutil.which("py-spy")
    if args.py_spy and spy is None:
        sys.exit("py-spy is not installed: .venv/bin/pip install py-spy")
    tmp = Path(tempfile.mkdtemp(prefix="klima-probe-"))
    if args.db == "pg":
        database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
        redis_url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
        ours = Ours.postgres(tmp, database_url, redis_url, asgi="uvicorn")
    else:
        ours = Ours.sqlite(tmp, asgi="uvicorn")
    pool = None
    try:
        workers = [ours.start_worker() for _ in range(args.workers)]
        worker_pids = [w.pid for w in workers]
        room = ours.new_rooms(1, "Probe")[0]
        spec = {
            "kind": "ours",
            "workers": [{"base": w.base} for w in workers],
            "tokens": ours.tokens,
        }
        pool = Pool("ours", 1)
        clients = [client_spec(spec, n, room) for n in range(CLIENTS)]
        connected = pool.call("connect", [{"clients": clients, "concurrency": 50}])[0]
        if connected["failed"]:
            raise RuntimeError(f"clients could not connect: {connected['failure']}")
        client_pids = [p.pid for p in pool.processes if p.pid is not None]
        senders = [(n, n) for n in range(SENDERS)]
        for step, rate in enumerate(rates, 1):
            recording = None
            if args.py_spy:
                RESULTS.mkdir(parents=True, exist_ok=True)
                out = RESULTS / f"probe-{args.db}-{rate:g}.txt"
                command = [spy, "record", "-p", str(worker_pids[0]), "-d", str(int(args.seconds))]
                command += ["-r", "200", "-f", "raw", "--threads", "--nonblocking", "-o", str(out)]
                recording = subprocess.Popen(
                    command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                )
            before = Sample(worker_pids, client_pids)
            job = {
                "step": step,
                "start": time.monotonic() + 0.3,
                "seconds": args.seconds,
                "rate_per_sender": rate / SENDERS,
                "senders": senders,
            }
            sent = pool.call("step", [job])[0]["sent"]
            after = Sample(worker_pids, client_pids)
            drained = pool.call("drain", [{"step": step, "sent": sent, "timeout": 10}])[0]
            if recording is not None:
                recording.wait()
            messages = sum(sent.values())
            print(_report(rate, messages, args.seconds, drained))
            print("\n".join(_usage(worker_pids, before, after, messages)), flush=True)
    finally:
        if pool is not None:
            pool.close()
        ours.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
