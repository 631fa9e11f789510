"""realtime.db.db_async: the database thread keeps its connection between calls, and
drops one that broke or grew too old."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from django.db import connections

from realtime import db
from realtime.db import db_async

# Committing for real (the database thread has its own connection); serialized_rollback
# brings back what the migrations loaded, as in the other transactional tests.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def closes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every close of a database connection, from any thread (the test database may be
    in memory, whose connection Django never really closes, so count the calls)."""
    calls: list[str] = []
    wrapper = type(connections["default"])
    real_close = wrapper.close

    def close(self: Any) -> None:
        calls.append(self.alias)
        real_close(self)

    monkeypatch.setattr(wrapper, "close", close)
    return calls


def _use_the_database() -> None:
    connections["default"].ensure_connection()


async def test_consecutive_calls_keep_the_connection(closes: list[str]) -> None:
    for _ in range(3):
        await db_async(_use_the_database)()

    assert closes == []


async def test_a_broken_connection_is_closed(closes: list[str]) -> None:
    def break_it() -> None:
        conn = connections["default"]
        conn.ensure_connection()
        conn.errors_occurred = True
        conn.is_usable = lambda: False  # type: ignore[method-assign]

    def mend_it() -> None:
        del connections["default"].is_usable

    await db_async(break_it)()
    await db_async(mend_it)()

    assert closes and set(closes) == {"default"}


async def test_a_connection_older_than_keep_seconds_is_closed(
    closes: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    await db_async(_use_the_database)()
    monkeypatch.setattr(db, "KEEP_SECONDS", -1.0)

    def forget_the_deadline() -> None:
        connections["default"]._klima_kept = None  # as if opened now, with the new keep time

    await db_async(forget_the_deadline)()

    assert closes and set(closes) == {"default"}


# --- DatabaseThreads: posting side by side -------------------------------------------


def _thread_name() -> str:
    return threading.current_thread().name


async def test_without_threads_calls_go_to_the_database_thread() -> None:
    threads = db.DatabaseThreads(0)

    assert await threads.wrap(_thread_name)() == await db_async(_thread_name)()
    await threads.close_connections()  # nothing to close: no error


async def test_calls_run_side_by_side_in_threads_that_keep_their_connection(
    closes: list[str],
) -> None:
    threads = db.DatabaseThreads(2)
    both_inside = threading.Barrier(2)

    def meet() -> str:
        _use_the_database()
        both_inside.wait(timeout=5)  # one thread at a time would never get past this
        return _thread_name()

    call = threads.wrap(meet)
    names = await asyncio.gather(call(), call())
    await asyncio.gather(call(), call())

    assert len(set(names)) == 2 and all(n.startswith("posting") for n in names)
    assert closes == []  # each thread kept its connection from one call to the next
    await threads.close_connections()
    assert closes == ["default", "default"]  # and each one's is closed at the end
