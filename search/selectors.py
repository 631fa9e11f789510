"""Search across what a person may read: one type (`type=message`, ...) or all of them,
newest first, a page at a time. Decided (docs/search.md): newest first, as chat search
in Zulip and Slack sorts by default, and one scale for every type (a date), so that
the mixed list needs no rank that compares a message with an initiative."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from common.times import iso
from search import engine
from search.kinds import KINDS, AnyUser, Kind

COUNT_MAX = 1000


@dataclass(frozen=True)
class Results:
    count: int
    counts: dict[str, int]  # per type, for the tabs
    hits: list[dict[str, Any]]


def search(*, user: AnyUser, q: str, kind: str | None, page: int, size: int) -> Results:
    """Page `page` (1-based) of `size` hits for `q`; `kind`: one type, or None for all."""
    kinds = [KINDS[kind]] if kind else list(KINDS.values())
    found = {k.name: engine.matching(k.rows(user), k.fields, q) for k in kinds}
    # Counted up to COUNT_MAX: the count of a frequent word is the slowest part of a
    # search over a million messages; "1000+" tells as much (docs/search.md).
    counts = {name: rows[:COUNT_MAX].count() for name, rows in found.items()}
    offset = (page - 1) * size
    heads: list[tuple[Any, int, str]] = []  # (date, pk, kind): newest first, all types
    for k in kinds:
        if counts[k.name]:
            # By date, not by id: ordered by id, PostgreSQL walks the primary key and
            # tests every message for a rare word (seconds on a million).
            newest = found[k.name].order_by(f"-{k.date}", "-pk").values_list("pk", k.date)
            for pk, date in newest[: offset + size]:
                heads.append((date, pk, k.name))
    heads.sort(reverse=True)
    chosen = heads[offset : offset + size]
    return Results(count=sum(counts.values()), counts=counts, hits=_hits(user, chosen, q))


def _hits(user: AnyUser, chosen: list[tuple[Any, int, str]], q: str) -> list[dict[str, Any]]:
    """The chosen hits, each type's rows read in one query (through the same rules,
    by id) with their headlines: computed for this page only, not for every match."""
    by_kind: dict[str, list[int]] = {}
    for _date, pk, name in chosen:
        by_kind.setdefault(name, []).append(pk)
    rows: dict[tuple[str, int], Any] = {}
    for name, ids in by_kind.items():
        kind = KINDS[name]
        query = engine.with_headlines(kind.rows(user).filter(pk__in=ids), kind.fields, q)
        rows.update({(name, item.pk): item for item in query})
    return [
        _hit(KINDS[name], rows[(name, pk)], q) for _date, pk, name in chosen if (name, pk) in rows
    ]


def _hit(kind: Kind, item: Any, q: str) -> dict[str, Any]:
    return {
        "type": kind.name,
        "id": item.pk,
        "title": kind.title(item),
        "snippet": engine.snippet(item, kind.fields, q),
        "url": kind.url(item),
        "context": kind.context(item),
        "date": iso(getattr(item, kind.date)),
    }
