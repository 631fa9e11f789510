"""realtime.inorder: items handled one after another, in the order added (InOrder), or
what waits at once as one batch (InBatches)."""

from __future__ import annotations

import asyncio

from realtime.inorder import InBatches, InOrder


async def test_items_are_handled_in_order_one_at_a_time_without_the_caller_waiting() -> None:
    handled: list[int] = []
    busy = 0

    async def handle(item: int) -> None:
        nonlocal busy
        busy += 1
        assert busy == 1  # never two at once
        await asyncio.sleep(0)
        handled.append(item)
        busy -= 1

    queue: InOrder[int] = InOrder(handle)
    for item in range(5):
        queue.add(item)
    assert handled == [] and len(queue) == 5  # add returned at once

    await asyncio.wait_for(queue.drained(), 1)
    assert handled == [0, 1, 2, 3, 4] and queue.task is None


async def test_a_failing_handler_ends_the_run_and_drops_what_waits() -> None:
    handled: list[int] = []

    async def handle(item: int) -> None:
        if item == 2:
            raise ConnectionError("gone")
        handled.append(item)

    queue: InOrder[int] = InOrder(handle)
    for item in range(5):
        queue.add(item)
    await asyncio.wait_for(queue.drained(), 1)

    assert handled == [0, 1] and len(queue) == 0


async def test_keep_only_and_stop() -> None:
    gate = asyncio.Event()
    handled: list[int] = []

    async def handle(item: int) -> None:
        await gate.wait()
        handled.append(item)

    queue: InOrder[int] = InOrder(handle)
    for item in range(6):
        queue.add(item)
    await asyncio.sleep(0)  # the task takes item 0 and waits at the gate
    queue.keep_only(lambda item: item % 2 == 0)
    gate.set()
    await asyncio.wait_for(queue.drained(), 1)
    assert handled == [0, 2, 4]

    gate.clear()
    queue.add(7)
    queue.add(8)
    await asyncio.sleep(0)
    task = queue.task
    queue.stop()
    assert len(queue) == 0 and task is not None
    await asyncio.gather(task, return_exceptions=True)
    assert task.cancelled() and handled == [0, 2, 4]


async def test_what_waits_while_a_batch_is_handled_comes_next_as_one_batch() -> None:
    batches: list[list[int]] = []
    gate = asyncio.Event()

    async def handle(batch: list[int]) -> None:
        batches.append(batch)
        if len(batches) == 1:
            await gate.wait()

    queue: InBatches[int] = InBatches(handle, limit=3)
    queue.add(0)
    await asyncio.sleep(0)  # the task takes [0] and waits at the gate
    for item in range(1, 8):
        queue.add(item)
    assert batches == [[0]] and len(queue) == 7
    gate.set()
    await asyncio.wait_for(queue.drained(), 1)

    assert batches == [[0], [1, 2, 3], [4, 5, 6], [7]]  # in order, at most `limit`
    assert queue.task is None
