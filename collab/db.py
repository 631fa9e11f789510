"""The event loop's one way to the ORM: `db_async(fn)` runs `fn` in Django's database
thread and awaits it, so no consumer or background task blocks the event loop.

It is channels' `database_sync_to_async` with one difference: the database thread
keeps its connection between calls. Django under ASGI runs with CONN_MAX_AGE = 0,
and channels closes the connection after every call, so each websocket frame
opened a new database connection (SQLite: open + PRAGMAs; PostgreSQL: a pool
checkout or a 5-10 ms connect). That was 14 % of the server's CPU while posting
(py-spy, bench rooms scenario). Consumers share one database thread per process
(asgiref's thread-sensitive executor), so this is one connection per worker.
A connection with unrecoverable errors is closed as Django would close it, and
none is kept longer than KEEP_SECONDS, so a restarted database is picked up.
HTTP views are not affected: Django opens and closes theirs per request.
"""

from __future__ import annotations

import time
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
