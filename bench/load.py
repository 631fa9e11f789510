"""The load client: one scenario against one server, bounded in clients and time.

    python -m bench.load SPEC.json [--out RESULT.json]

A separate process from the servers. It starts `procs` load processes
(bench.loadproc: asyncio + websockets, one event loop each; 1 unless the client
is the bottleneck) and drives them in lock-step over pipes. SPEC is JSON:

- common: `kind` (`ours`, `ceiling`, `floor`), `workers` (`[{"base": "ws://H:P",
  "pid": N}]`; clients are spread round-robin), `tokens` (ours; users repeat),
  `procs`, `concurrency` (handshakes in flight);
- `"scenario": "ramp"`: `rooms`, `clients_per_room`, `senders_per_room`,
  `start_rate` (messages/s, all senders together), `factor`, `max_rate`, `bisect`,
  `step_seconds`, `drain_seconds`, `p99_limit_ms`, `retries`, `settle_quiet`,
  `settle_max`. Rates rise by `factor` until a step is not held (p99 over the
  limit, any loss or error, order broken, or the senders could not keep the rate;
  a failed step is tried again up to `retries` times in all, since the machine may
  be busy; after it the backlog drains: `settle_quiet` s of silence, at most
  `settle_max` s; deliveries that arrive then count as `late`, not `lost`), then
  `bisect` steps between the last held and the first failed rate. Expected
  deliveries = messages sent x receivers in the room (the sender included);
- `"scenario": "idle"`: `count` authenticated connections (`warmup` first, outside
  the measurement), VmRSS of the worker before and after, connections per second;
  none is opened after `connect_seconds` (the figures then hold for those opened);
- `"scenario": "acks"`: one sender, closed loop: `count` sends, each until its `ack`.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import sys
import time
from multiprocessing.connection import Connection
from typing import Any

from bench.loadproc import process_main, raise_nofile
from bench.stats import cpu_seconds, merge, percentiles, rss_kb

CALL_TIMEOUT = 900.0
RATE_HELD = 0.95  # the senders managed at least this share of the target rate


class Pool:
    """The load processes; `call` sends one command to each and gathers the answers."""

    def __init__(self, kind: str, size: int) -> None:
        context = multiprocessing.get_context("spawn")
        self.pipes: list[Connection] = []
        self.processes = []
        for _ in range(size):
            parent, child = context.Pipe()
            process = context.Process(target=process_main, args=(child, kind), daemon=True)
            process.start()
            self.pipes.append(parent)
            self.processes.append(process)

    def __len__(self) -> int:
        return len(self.pipes)

    def call(self, command: str, specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for pipe, spec in zip(self.pipes, specs, strict=True):
            pipe.send((command, spec))
        answers = []
        for pipe in self.pipes:
            if not pipe.poll(CALL_TIMEOUT):
                raise TimeoutError(f"load process did not answer {command}")
            answer = pipe.recv()
            if "exception" in answer:
                raise RuntimeError(f"{command}: {answer['exception']}")
            answers.append(answer)
        return answers

    def close(self) -> None:
        for pipe in self.pipes:
            try:
                pipe.send(("exit", {}))
                pipe.poll(30) and pipe.recv()
            except (OSError, EOFError):
                pass
        for process in self.processes:
            process.join(5)
            if process.is_alive():
                process.terminate()


def client_spec(spec: dict[str, Any], number: int, room: Any) -> dict[str, Any]:
    """Where client `number` connects and as whom."""
    worker = spec["workers"][number % len(spec["workers"])]
    base = worker["base"]
    kind = spec["kind"]
    if kind == "ours":
        tokens = spec["tokens"]
        return {"url": f"{base}/ws/", "token": tokens[number % len(tokens)], "room": room}
    if kind == "ceiling":
        return {"url": f"{base}/", "room": room}
    name = "idle" if room is None else room
    origin = "http://" + base.split("://", 1)[1]
    return {"url": f"{base}/ws/chat/{name}/", "origin": origin, "room": room}


def _server_cpu(spec: dict[str, Any]) -> float:
    return sum(cpu_seconds(w["pid"]) for w in spec["workers"] if w.get("pid"))


# --- scenarios ---------------------------------------------------------------
def ramp(pool: Pool, spec: dict[str, Any]) -> dict[str, Any]:
    procs = len(pool)
    clients: list[list[dict[str, Any]]] = [[] for _ in range(procs)]
    senders: list[list[tuple[int, int]]] = [[] for _ in range(procs)]
    number = 0
    for room in spec["rooms"]:
        for seat in range(spec["clients_per_room"]):
            proc = number % procs
            if seat < spec["senders_per_room"]:
                senders[proc].append((len(clients[proc]), number))
            clients[proc].append(client_spec(spec, number, room))
            number += 1
    total_senders = sum(len(s) for s in senders)
    connected = pool.call(
        "connect", [{"clients": c, "concurrency": spec["concurrency"]} for c in clients]
    )
    failed = sum(c["failed"] for c in connected)
    if failed:
        raise RuntimeError(f"{failed} clients could not connect: {connected[0]['failure']}")

    steps: list[dict[str, Any]] = []
    settle = {"quiet": spec.get("settle_quiet", 1.0), "max": spec.get("settle_max", 15.0)}
    seen = {"order_errors": [0] * procs, "errors": [0] * procs}

    def run(step_id: int, rate: float) -> dict[str, Any]:
        server_cpu = _server_cpu(spec)
        start = time.monotonic() + 0.3
        seconds = spec["step_seconds"]
        per_sender = rate / total_senders
        sent_parts = pool.call(
            "step",
            [
                {
                    "step": step_id,
                    "start": start,
                    "seconds": seconds,
                    "rate_per_sender": per_sender,
                    "senders": s,
                }
                for s in senders
            ],
        )
        sent: dict[Any, int] = {}
        for part in sent_parts:
            for room, n in part["sent"].items():
                sent[room] = sent.get(room, 0) + n
        drained = pool.call(
            "drain",
            [{"step": step_id, "sent": sent, "timeout": spec["drain_seconds"]}] * procs,
        )
        server_cpu = _server_cpu(spec) - server_cpu
        received = sum(d["received"] for d in drained)
        expected = sum(d["expected"] for d in drained)
        order_errors = errors = 0
        for i, d in enumerate(drained):
            order_errors += d["order_errors"] - seen["order_errors"][i]
            errors += d["errors"] - seen["errors"][i]
            seen["order_errors"][i], seen["errors"][i] = d["order_errors"], d["errors"]
        messages = sum(sent.values())
        latency = percentiles(merge(d["hist"] for d in drained))
        result = {
            "step": step_id,
            "target_rate": round(rate, 1),
            "sent_rate": round(messages / seconds, 1),
            "messages": messages,
            "expected": expected,
            "received": received,
            "lost": max(0, expected - received),
            "late": 0,
            "deliveries_per_s": round(received / seconds),
            "latency_ms": latency,
            "ack_ms": percentiles(merge(d["ack_hist"] for d in drained)),
            "order_errors": order_errors,
            "errors": errors,
            "error_sample": next((d["error_sample"] for d in drained if errors), None),
            "server_cpu_s": round(server_cpu, 2),
            "server_cpu_us_per_delivery": round(server_cpu * 1e6 / received, 1)
            if received
            else None,
            "client_cpu_s": round(sum(d["cpu"] for d in drained), 2),
            "wall_s": round(time.monotonic() - start, 2),
        }
        result["held"] = (
            result["lost"] == 0
            and errors == 0
            and order_errors == 0
            and latency["p99"] <= spec["p99_limit_ms"]
            and messages >= RATE_HELD * rate * seconds
        )
        return result

    held_rate: float | None = None
    failed_rate: float | None = None
    bisected = 0
    retried: set[float] = set()
    rate = float(spec["start_rate"])
    for step_id in range(1, 40):
        result = run(step_id, rate)
        steps.append(result)
        if not result["held"]:
            settled = pool.call("settle", [settle] * procs)
            # What arrived after the drain window was late, not lost.
            final = sum(a["received"].get(step_id, 0) for a in settled)
            result["late"] = final - result["received"]
            result["lost"] = max(0, result["expected"] - final)
        _log(spec, result)
        retry = rate not in retried and len(retried) < spec.get("retries", 0)
        if not result["held"] and retry:
            retried.add(rate)  # the machine is shared: one more try before giving up
            continue
        if result["held"]:
            held_rate = max(held_rate or 0.0, rate)
        else:
            failed_rate = min(failed_rate or math.inf, rate)
        if failed_rate is None:
            rate *= spec["factor"]
            if rate > spec["max_rate"]:
                break
        elif held_rate is None:
            rate /= spec["factor"]
            if rate < 1:
                break
        elif bisected >= spec["bisect"] or failed_rate / held_rate < 1.1:
            break
        else:
            rate = math.sqrt(held_rate * failed_rate)
            bisected += 1
    best = max((s for s in steps if s["held"]), key=lambda s: s["target_rate"], default=None)
    return {
        "best": best,
        "steps": steps,
        "clients": number,
        "senders": total_senders,
        "load_processes": procs,
    }


def idle(pool: Pool, spec: dict[str, Any]) -> dict[str, Any]:
    procs = len(pool)
    pid = spec["workers"][0]["pid"]

    def specs(first: int, count: int, deadline: float | None) -> list[dict[str, Any]]:
        parts: list[list[dict[str, Any]]] = [[] for _ in range(procs)]
        for number in range(first, first + count):
            parts[number % procs].append(client_spec(spec, number, None))
        concurrency = max(1, spec["concurrency"] // procs)
        return [{"clients": p, "concurrency": concurrency, "deadline": deadline} for p in parts]

    pool.call("connect", specs(0, spec["warmup"], None))
    time.sleep(1.0)
    rss_before = rss_kb(pid)
    started = time.monotonic()
    deadline = started + spec["connect_seconds"] if spec.get("connect_seconds") else None
    opened = pool.call("connect", specs(spec["warmup"], spec["count"], deadline))
    seconds = time.monotonic() - started
    count = sum(o["opened"] for o in opened)
    time.sleep(spec.get("settle_seconds", 2.0))
    rss_after = rss_kb(pid)
    pool.call("close", [{}] * procs)
    result = {
        "target": spec["count"],
        "count": count,
        "failed": sum(o["failed"] for o in opened),
        "skipped_after_time_bound": sum(o["skipped"] for o in opened),
        "failure": next((o["failure"] for o in opened if o["failure"]), None),
        "seconds": round(seconds, 2),
        "conns_per_s": round(count / seconds, 1) if seconds else None,
        "rss_before_kb": rss_before,
        "rss_after_kb": rss_after,
        "rss_per_conn_kb": round((rss_after - rss_before) / count, 2) if count else None,
    }
    _log(spec, result)
    return result


def acks(pool: Pool, spec: dict[str, Any]) -> dict[str, Any]:
    pool.call("connect", [{"clients": [client_spec(spec, 0, spec["room"])], "concurrency": 1}])
    answer = pool.call("acks", [{"count": spec["count"], "warmup": spec["warmup"]}])[0]
    result = {
        "count": spec["count"],
        "failed": answer["failed"],
        "errors": answer["errors"],
        "ack_ms": percentiles(answer["hist"]),
    }
    _log(spec, result)
    return result


SCENARIOS = {"ramp": ramp, "idle": idle, "acks": acks}


def _log(spec: dict[str, Any], result: dict[str, Any]) -> None:
    """One progress line on stderr (stdout carries the result)."""
    if "target_rate" in result:
        lat = result["latency_ms"]
        line = (
            f"rate {result['target_rate']:>7}/s sent {result['sent_rate']:>7}/s "
            f"deliv {result['deliveries_per_s']:>7}/s p50 {lat['p50']:>6} p99 {lat['p99']:>7} "
            f"lost {result['lost']} late {result['late']} err {result['errors']} "
            f"order {result['order_errors']} "
            f"srv {result['server_cpu_us_per_delivery']}us/d cli {result['client_cpu_s']}s "
            f"{'held' if result['held'] else 'NOT held'}"
        )
    else:
        line = json.dumps(result)
    print(f"  [{spec.get('label', spec['kind'])}] {line}", file=sys.stderr, flush=True)


def run_spec(spec: dict[str, Any]) -> dict[str, Any]:
    procs = 1 if spec["scenario"] == "acks" else int(spec.get("procs", 1))
    pool = Pool(spec["kind"], procs)
    try:
        return SCENARIOS[spec["scenario"]](pool, spec)
    finally:
        pool.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("spec", help="scenario as a JSON file")
    parser.add_argument("--out", help="write the result here (default: stdout)")
    args = parser.parse_args(argv)
    raise_nofile()
    with open(args.spec) as handle:
        spec = json.load(handle)
    result = run_spec(spec)
    text = json.dumps(result, indent=1)
    if args.out:
        with open(args.out, "w") as handle:
            handle.write(text)
    else:
        print(text)


if __name__ == "__main__":
    main()
