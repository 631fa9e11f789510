"""One way to do "these, one after another, in the order they came, without making the
caller wait": a queue with one task that handles its items in turn (`InOrder`), or
whatever waits at once as one batch, batch after batch (`InBatches`).

Used for a worker's publishes (realtime/publish.py: commit order; those to the other
workers in batches, one Redis round trip each) and for the frames a slow socket has
not taken yet (realtime/connection.py: the outbox).
Belongs to one event loop; `add` is called from it. A handler that raises ends the
run and drops what still waits: for both users that means the other end is gone.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")


class InOrder(Generic[T]):
    # A list rather than a deque: a deque allocates a 64-slot block at once, and a
    # socket's outbox is empty nearly always (idle memory: docs/performance.md).
    __slots__ = ("_handle", "items", "task")

    def __init__(self, handle: Callable[[T], Awaitable[None]]) -> None:
        self._handle: Callable[[Any], Awaitable[None]] = handle
        self.items: list[T] = []
        self.task: asyncio.Task[None] | None = None

    def __len__(self) -> int:
        """What waits, not counting an item being handled right now."""
        return len(self.items)

    @property
    def busy(self) -> bool:
        """An item is being handled or waits (an empty queue may still be busy)."""
        return self.task is not None

    def add(self, item: T) -> None:
        self.items.append(item)
        if self.task is None:
            self.task = asyncio.get_running_loop().create_task(self._run())

    def keep_only(self, keep: Callable[[T], bool]) -> None:
        self.items = [item for item in self.items if keep(item)]

    def clear(self) -> None:
        """Drop what waits (an item being handled is finished)."""
        self.items.clear()

    def stop(self) -> None:
        """Drop what waits and stop handling."""
        self.items.clear()
        if self.task is not None:
            self.task.cancel()

    async def drained(self) -> None:
        """Wait until everything added so far is handled."""
        while self.task is not None:
            await asyncio.shield(self.task)

    async def _run(self) -> None:
        try:
            while self.items:
                await self._handle_next()
        except Exception:
            logger.debug("handling in order stopped", exc_info=True)
            self.items.clear()
        finally:
            self.task = None

    async def _handle_next(self) -> None:
        await self._handle(self.items.pop(0))


class InBatches(InOrder[T]):
    """What waits when the handler is free goes to it as one list (at most `limit`
    items), in the order added. For a handler whose cost is mostly a round trip: a
    worker's publishes to the other workers, one Redis pipeline per batch
    (realtime/publish.py). One item at a time, each waiting for the reply to the one
    before it, the loop's turn per reply capped them at one per turn of a busy loop."""

    __slots__ = ("limit",)

    def __init__(self, handle: Callable[[list[T]], Awaitable[None]], limit: int = 100) -> None:
        super().__init__(handle)  # type: ignore[arg-type]  # takes a list, see _handle_next
        self.limit = limit

    async def _handle_next(self) -> None:
        batch, self.items = self.items[: self.limit], self.items[self.limit :]
        await self._handle(batch)
