"""Small measuring helpers shared by the load client and the runner.

Latencies are kept as histograms of 0.1 ms buckets (`{bucket: count}`), so that
load processes can merge them exactly; process figures come from /proc.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable

BUCKETS_PER_SECOND = 10_000  # 0.1 ms
_TICKS = os.sysconf("SC_CLK_TCK")


def bucket(seconds: float) -> int:
    return int(seconds * BUCKETS_PER_SECOND) if seconds > 0 else 0


def merge(hists: Iterable[dict[int, int]]) -> dict[int, int]:
    total: dict[int, int] = {}
    for hist in hists:
        for key, count in hist.items():
            total[int(key)] = total.get(int(key), 0) + count
    return total


def percentiles(hist: dict[int, int], qs: Iterable[float] = (50, 95, 99)) -> dict[str, float]:
    """`{"p50": ms, ...}` plus `max` and `n`; empty histogram: all None-free zeros."""
    n = sum(hist.values())
    out: dict[str, float] = {"n": n}
    if n == 0:
        return {**out, **{f"p{q:g}": 0.0 for q in qs}, "max": 0.0}
    keys = sorted(hist)
    for q in qs:
        rank = max(1, math.ceil(q / 100 * n))
        seen = 0
        for key in keys:
            seen += hist[key]
            if seen >= rank:
                out[f"p{q:g}"] = round((key + 0.5) * 1000 / BUCKETS_PER_SECOND, 2)
                break
    out["max"] = round((keys[-1] + 0.5) * 1000 / BUCKETS_PER_SECOND, 2)
    return out


def rss_kb(pid: int) -> int:
    """Resident set size (VmRSS) of a process, in KiB."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads), in seconds."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS
