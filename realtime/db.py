"""The event loop's one way to the ORM: `db_async(fn)` runs `fn` in Django's database
thread and awaits it, so no consumer or background task blocks the event loop.

It is channels' `database_sync_to_async` with one difference: the database thread
keeps its connection between calls. Django under ASGI runs with CONN_MAX_AGE = 0,
and channels closes the connection after every call, so each websocket frame
opened a new database connection (SQLite: open + PRAGMAs; PostgreSQL: a pool
checkout or a 5-10 ms connect), a good part of the server's CPU while posting
(docs/performance.md, change 3). Consumers share one database thread per process
(asgiref's thread-sensitive executor), so this is one connection per worker.
A connection with unrecoverable errors is closed as Django would close it, and
none is kept longer than KEEP_SECONDS, so a restarted database is picked up.
HTTP views are not affected: Django opens and closes theirs per request.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import SyncToAsync
from django.db import connections

KEEP_SECONDS = 300.0


def tidy_connections() -> None:
    """Close the thread's connections that failed or are older than KEEP_SECONDS."""
    now = time.monotonic()
    for conn in connections.all(initialized_only=True):
        if conn.connection is None:
            continue
        kept = getattr(conn, "_klima_kept", None)
        if kept is None or kept[0] is not conn.connection:
            kept = (conn.connection, now + KEEP_SECONDS)
            conn._klima_kept = kept  # type: ignore[attr-defined]
        conn.close_at = kept[1]
        conn.close_if_unusable_or_obsolete()


class DatabaseThreadCall(SyncToAsync):
    def thread_handler(self, loop: Any, *args: Any, **kwargs: Any) -> Any:
        tidy_connections()
        try:
            return super().thread_handler(loop, *args, **kwargs)
        finally:
            tidy_connections()


# Used as a function or decorator, like channels' database_sync_to_async.
db_async = DatabaseThreadCall


class DatabaseThreads:
    """A few database threads of their own, for one kind of call that may run side by
    side with itself (posting: rooms/async_services.py), each thread keeping its connection
    as the database thread does.

    Why: every call of a worker's event loop goes through its one database thread, and
    a post there mostly waits, for PostgreSQL and for the Redis read of the posting
    grants, and for the GIL back after each wait while the loop fans out. Posts that
    wait side by side get through more of them per second (bench/, docs/performance.md).
    Safe for posting since a post's write is one statement that holds its room's row
    (and a reply's root) only while it runs (rooms/services/events.py), the fan-out
    puts publishes that overtake each other back in seq order, and a connection
    handles its frames one after another, so its posts keep their order. (Two
    sockets of one user may now pass a room's slow-mode check at the same moment, as
    they could on two workers before.) With `threads` = 0 the
    calls go to the database thread like every other (SQLite: one writer at a time
    anyway, and its in-memory test database refuses a second one).
    """

    def __init__(self, threads: int) -> None:
        self.threads = threads
        # Its threads start with the first call, in the worker process.
        self.executor = ThreadPoolExecutor(threads, "posting") if threads else None

    def wrap(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        if self.executor is None:
            return db_async(fn)
        return DatabaseThreadCall(fn, thread_sensitive=False, executor=self.executor)

    async def close_connections(self) -> None:
        """Close the connection each thread keeps (tests: before the test database goes).
        One job per thread, all held at a barrier until each thread has one."""
        if self.executor is None:
            return
        barrier = threading.Barrier(self.threads)

        def close() -> None:
            try:
                barrier.wait(timeout=10)
            finally:  # a broken barrier (a call still running) must not keep it open
                connections.close_all()

        loop = asyncio.get_running_loop()
        jobs = [loop.run_in_executor(self.executor, close) for _ in range(self.threads)]
        await asyncio.gather(*jobs)
