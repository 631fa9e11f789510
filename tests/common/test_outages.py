"""An outage is one line in the log; a bug keeps its traceback."""

from __future__ import annotations

import logging

import pytest
from django.db import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError

from common.outages import log_failure

logger = logging.getLogger("tests.outages")


@pytest.mark.parametrize(
    "error",
    [OperationalError("server closed"), RedisConnectionError("refused"), TimeoutError()],
)
def test_an_outage_is_one_warning_line_without_traceback(
    error: Exception, caplog: pytest.LogCaptureFixture
) -> None:
    try:
        raise error
    except Exception:
        log_failure(logger, "reading room %s failed", 7)
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    assert record.exc_info is None
    assert record.getMessage().startswith("reading room 7 failed (unavailable: ")


def test_a_bug_is_logged_with_its_traceback(caplog: pytest.LogCaptureFixture) -> None:
    try:
        raise KeyError("seq")
    except Exception:
        log_failure(logger, "reading room %s failed", 7)
    [record] = caplog.records
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None and record.exc_info[0] is KeyError
    assert record.getMessage() == "reading room 7 failed"
