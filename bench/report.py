"""The table of a bench run: one row per server and scenario, ratios against the
ceiling and the floor of the same run.

Ramps (`fanout`, `rooms`) show their highest held step; `idle-N` rows show server
memory per idle connection and connections opened per second; `acks` rows show
send -> ack latency in the latency columns. Ratio columns compare ours with the
ceiling and the floor: deliveries/s for ramps (higher is better), memory per
connection and connections/s for idle rows (`mem` lower is better).
"""

from __future__ import annotations

from typing import Any

ORDER = [
    "ours-sqlite",
    "ours-pg-1w",
    "ours-pg-2w",
    "ours-daphne-sqlite",
    "ours-daphne-pg-1w",
    "ours-daphne-pg-2w",
    "ceiling",
    "floor",
]
COLUMNS = [
    ("server", 18),
    ("scenario", 10),
    ("deliv/s", 8),
    ("p50 ms", 7),
    ("p95 ms", 7),
    ("p99 ms", 7),
    ("lost", 5),
    ("rate held", 9),
    ("cpu us/d", 8),
    ("KB/idle", 7),
    ("conns/s", 7),
    ("ours/ceiling", 18),
    ("ours/floor", 18),
]


def _scenario_key(scenario: str) -> tuple[int, int]:
    head, _, count = scenario.partition("-")
    rank = {"fanout": 0, "rooms": 1, "idle": 2, "acks": 3}.get(head, 9)
    return rank, int(count or 0)


def _cells(run: dict[str, Any]) -> dict[str, Any]:
    if "error" in run:
        return {"deliv/s": "error: " + str(run["error"])[:60]}
    if run["scenario"] in ("fanout", "rooms"):
        best = run.get("best")
        if best is None:
            lowest = min(step["target_rate"] for step in run["steps"])
            return {"deliv/s": "none held", "rate held": f"<{lowest:g}/s"}
        lat = best["latency_ms"]
        return {
            "deliv/s": best["deliveries_per_s"],
            "p50 ms": lat["p50"],
            "p95 ms": lat["p95"],
            "p99 ms": lat["p99"],
            "lost": best["lost"],
            "rate held": f"{best['sent_rate']:g}/s",
            "cpu us/d": best["server_cpu_us_per_delivery"],
        }
    if run["scenario"].startswith("idle"):
        return {"KB/idle": run["rss_per_conn_kb"], "conns/s": run["conns_per_s"]}
    lat = run["ack_ms"]
    return {"p50 ms": lat["p50"], "p95 ms": lat["p95"], "p99 ms": lat["p99"]}


def _ratio(ours: dict[str, Any], other: dict[str, Any] | None) -> str:
    if other is None or "error" in ours or "error" in other:
        return ""
    if ours["scenario"] in ("fanout", "rooms"):
        a, b = ours.get("best"), other.get("best")
        if not a:
            return ""
        if b is None:  # the other held no step: even its lowest rate was too much for it
            lowest = min((s["deliveries_per_s"] for s in other["steps"]), default=0)
            return f"> {a['deliveries_per_s'] / lowest:.0f}x" if lowest else ""
        if not b["deliveries_per_s"]:
            return ""
        return f"{a['deliveries_per_s'] / b['deliveries_per_s']:.2f}x"
    if ours["scenario"].startswith("idle"):
        mem = ours["rss_per_conn_kb"] / other["rss_per_conn_kb"] if other["rss_per_conn_kb"] else 0
        conns = ours["conns_per_s"] / other["conns_per_s"] if other["conns_per_s"] else 0
        return f"mem {mem:.2f}x conn {conns:.2f}x"
    return ""


def table(runs: list[dict[str, Any]]) -> str:
    index = {(r["server"], r["scenario"]): r for r in runs}
    rows = sorted(
        runs,
        key=lambda r: (
            _scenario_key(r["scenario"]),
            ORDER.index(r["server"]) if r["server"] in ORDER else 9,
        ),
    )
    lines = ["  ".join(name.rjust(width) for name, width in COLUMNS)]
    lines.append("-" * len(lines[0]))
    for run in rows:
        cells = {"server": run["server"], "scenario": run["scenario"], **_cells(run)}
        if run["server"].startswith("ours"):
            cells["ours/ceiling"] = _ratio(run, index.get(("ceiling", run["scenario"])))
            cells["ours/floor"] = _ratio(run, index.get(("floor", run["scenario"])))
        line = "  ".join(
            str(cells.get(name, "") if cells.get(name) is not None else "-").rjust(width)
            for name, width in COLUMNS
        )
        lines.append(line.rstrip())
    lines.append(
        "deliv/s, latency, lost, rate held, cpu us/d (server CPU per delivery): the highest "
        "rate step held (p99 <= 100 ms, no loss); acks rows: send -> ack latency."
    )
    for run in rows:
        if run["scenario"] in ("fanout", "rooms") and run.get("steps") and not run.get("best"):
            low = min(run["steps"], key=lambda s: s["target_rate"])
            lines.append(
                f"{run['server']} {run['scenario']}: no step held; at its lowest rate "
                f"({low['target_rate']:g}/s, {low['deliveries_per_s']} deliveries/s) p99 was "
                f"{low['latency_ms']['p99']} ms, lost {low['lost']}; ratios against it "
                "read '> N x'"
            )
        failed = [s for s in run.get("steps", []) if not s["held"]]
        if failed:
            busy = failed[-1]["client_cpu_s"] / failed[-1]["wall_s"] / run["load_processes"]
            if busy >= 0.9:
                lines.append(
                    f"{run['server']} {run['scenario']}: the load client was busy {busy:.0%} "
                    f"of the failed step (rate {failed[-1]['target_rate']:g}/s): the client "
                    "may be the limit there"
                )
        idle = run["scenario"].startswith("idle") and "error" not in run
        if idle and run["count"] < run["target"]:
            lines.append(
                f"{run['server']} {run['scenario']}: {run['count']} connections reached "
                f"in the time bound ({run['seconds']} s), {run['failed']} failed"
            )
    return "\n".join(lines)
