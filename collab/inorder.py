"""One way to do "these, one after another, in the order they came, without making the
caller wait": a queue with one task that handles its items in turn.

Used for a worker's publishes to the channel layer (rooms/broadcast.py: commit order)
and for the frames a slow socket has not taken yet (rooms/consumers.py: the outbox).
Belongs to one event loop; `add` is called from it. A handler that raises ends the
run and drops what still waits: for both users that means the other end is gone.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")


class InOrder(Generic[T]):
    # A list rather than a deque: a deque allocates a 64-slot block at once, and a
    # socket's outbox is empty nearly always (idle memory: docs/performance.md).
    __slots__ = ("_handle", "items", "task")

    def __init__(self, handle: Callable[[T], Awaitable[None]]) -> None:
        self._handle = handle
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
                await self._handle(self.items.pop(0))
        except Exception:
            logger.debug("handling in order stopped", exc_info=True)
            self.items.clear()
        finally:
            self.task = None
