"""Finding text: PostgreSQL's full-text search with the German configuration (so that
"Fahrräder" finds "Fahrrad"), or, on SQLite (the embedded default), every word as a
substring (no stemming). Snippets are the database's headline (PostgreSQL) or a window
around the first hit (SQLite), escaped, with the hits in <mark>: nothing of the
stored text is ever HTML.

Messages are many (a million is the benchmark's, `python -m bench.search`): their
German text vector has a GIN index on PostgreSQL (rooms migration 0003), matched by
the same `SearchVector("body", config="german")` expression here.
"""

from __future__ import annotations

import html
import operator
import re
from functools import lru_cache, reduce
from typing import Any

import nh3
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet, TextField, Value
from django.db.models.functions import Concat

CONFIG = "german"
MARK_OPEN, MARK_CLOSE = "\x02", "\x03"  # the headline's marks, made <mark> after escaping
WORDS_MAX = 8  # words a fallback search looks for
WINDOW = 90  # characters of a fallback snippet before and after the first hit


def full_text() -> bool:
    return connection.vendor == "postgresql"


def _query(q: str) -> SearchQuery:
    # websearch: words are ANDed, "quoted phrases" and -not work as on a search engine,
    # and no input is a syntax error.
    return SearchQuery(q, config=CONFIG, search_type="websearch")


def matching(rows: QuerySet[Any], fields: tuple[str, ...], q: str) -> QuerySet[Any]:
    """The rows whose `fields` match `q`."""
    if full_text():
        return rows.annotate(document=SearchVector(*fields, config=CONFIG)).filter(
            document=_query(q)
        )
    condition = Q()
    for word in _words(q):
        condition &= reduce(operator.or_, (Q(**{f"{field}__icontains": word}) for field in fields))
    return rows.filter(condition)


def _words(q: str) -> list[str]:
    return [word.strip('"') for word in q.split() if word.strip('"')][:WORDS_MAX]


def snippet_text(fields: tuple[str, ...]) -> Any:
    """What a snippet is cut from: the fields after the title's (all of a single one)."""
    rest = fields[1:] or fields
    if len(rest) == 1:
        return rest[0]
    parts: list[Any] = []
    for field in rest:
        parts += [field, Value(" ")]
    return Concat(*parts[:-1], output_field=TextField())


def with_headlines(rows: QuerySet[Any], fields: tuple[str, ...], q: str) -> QuerySet[Any]:
    """`rows` (one page of hits) with `headline`, on PostgreSQL."""
    if not full_text():
        return rows
    return rows.annotate(
        headline=SearchHeadline(
            snippet_text(fields),
            _query(q),
            config=CONFIG,
            start_sel=MARK_OPEN,
            stop_sel=MARK_CLOSE,
            max_words=35,
            min_words=15,
        )
    )


def snippet(item: Any, fields: tuple[str, ...], q: str) -> str:
    """Safe HTML: the text around the hits, escaped, with the hits in <mark>."""
    headline = getattr(item, "headline", None)
    if headline is None:
        rest = fields[1:] or fields
        headline = _window(" ".join(str(getattr(item, f) or "") for f in rest), _words(q))
    escaped = html.escape(headline, quote=False)
    marked = escaped.replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>")
    return _cleaner().clean(marked)


def _window(text: str, words: list[str]) -> str:
    """Around the first hit, with the hits between the marks (the fallback's headline)."""
    text = " ".join(text.replace(MARK_OPEN, "").replace(MARK_CLOSE, "").split())
    if not words:
        return text[: 2 * WINDOW]
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    first = pattern.search(text)
    start = max(0, first.start() - WINDOW) if first else 0
    end = start + 2 * WINDOW + (first.end() - first.start() if first else 0)
    part = pattern.sub(lambda m: MARK_OPEN + m.group(0) + MARK_CLOSE, text[start:end])
    return ("…" if start else "") + part + ("…" if end < len(text) else "")


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(tags={"mark"}, attributes={}, strip_comments=True)
