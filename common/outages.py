"""What counts as the server being unavailable: a service it needs (the database, Redis)
is away. That is an operator's event, not a bug: a client is answered `unavailable`,
and the log gets one line per failure, not a traceback (which would flood it while
the outage lasts, once per frame). Anything else that fails is a bug and is logged
with its traceback."""

from __future__ import annotations

import logging
import sys

from django.db import DatabaseError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

# OSError: refused and reset connections, timeouts (TimeoutError is one).
OUTAGES: tuple[type[BaseException], ...] = (
    DatabaseError,
    RedisConnectionError,
    RedisTimeoutError,
    OSError,
)


def log_failure(logger: logging.Logger, what: str, *args: object) -> None:
    """Call in an `except` block: one line for an outage, the traceback for a bug."""
    error = sys.exc_info()[1]
    if isinstance(error, OUTAGES):
        logger.warning(f"{what} (unavailable: %r)", *args, error)
    else:
        logger.exception(what, *args)
