"""bench.run reports our servers' tracebacks: the table cannot show them, and one
found this way was a disconnect that left its connection subscribed."""

from __future__ import annotations

from pathlib import Path

from bench.run import tracebacks_in_our_logs

TRACE = "Traceback (most recent call last):\n  File ...\nValueError: x\n"


def test_only_our_logs_with_a_traceback_are_reported_with_their_count(tmp_path: Path) -> None:
    (tmp_path / "sqlite-uvicorn").mkdir()
    sqlite_log = tmp_path / "sqlite-uvicorn" / "ours-sqlite-8001.log"
    sqlite_log.write_text("WARNING x\n" + TRACE * 2)
    (tmp_path / "ours-postgres-8002.log").write_text("INFO ready\n")
    (tmp_path / "floor-8003.log").write_text(TRACE)  # not ours: the floor's own

    assert tracebacks_in_our_logs(tmp_path) == {sqlite_log: 2}
