"""The fan-out's gap wait (realtime.streams.RoomStream): an event that overtook the one
before it waits up to GAP_WAIT_SECONDS for it, counted from when that gap opened,
before the room's log is read. Events overtake each other all the time under load
(two posting threads, two workers), and nearly always the missing one comes a few
milliseconds later."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from realtime import streams
from realtime.messages import room_event
from realtime.streams import RoomStream

ROOM = 7
WAIT = 0.2


def _event(seq: int) -> dict[str, Any]:
    return room_event(room_id=ROOM, seq=seq, kind="message.created", data={"n": seq})


@pytest.fixture
def log_reads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """The stream's reads of the room's log, as (after, upto); the log has every event."""
    monkeypatch.setattr(streams, "GAP_WAIT_SECONDS", WAIT)
    reads: list[tuple[int, int]] = []

    async def fetch(*, room_id: int, after: int, upto: int) -> list[dict[str, Any]]:
        assert room_id == ROOM
        reads.append((after, upto))
        return [_event(seq) for seq in range(after + 1, upto + 1)]

    monkeypatch.setattr(streams, "_fetch_logged", fetch)
    return reads


async def test_a_gap_that_closes_by_itself_reads_nothing_and_the_next_waits_in_full(
    log_reads: list[tuple[int, int]],
) -> None:
    stream = RoomStream(ROOM)
    stream.anchor(0)

    await stream.receive(_event(2))  # 1 is missing: a wait begins
    await asyncio.sleep(WAIT * 0.75)
    await stream.receive(_event(1))  # it came: nothing to read
    await stream.receive(_event(4))  # a new gap, 3/4 into the first one's wait
    await asyncio.sleep(WAIT * 0.5)  # the first wait would have ended by now

    assert log_reads == []
    assert stream.delivered == 2 and set(stream.pending) == {4}

    await stream.receive(_event(3))
    await asyncio.sleep(WAIT * 1.5)
    assert log_reads == [] and stream.delivered == 4 and stream.repair is None


async def test_a_gap_that_stays_open_is_filled_from_the_log_after_the_wait(
    log_reads: list[tuple[int, int]],
) -> None:
    stream = RoomStream(ROOM)
    stream.anchor(0)

    await stream.receive(_event(3))  # 1 and 2 were lost
    await asyncio.sleep(WAIT * 0.5)
    assert log_reads == []

    await asyncio.sleep(WAIT)
    assert log_reads == [(0, 2)]
    assert stream.delivered == 3 and stream.pending == {} and stream.repair is None
