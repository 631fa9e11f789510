"""One object per event loop, made on first use.

A worker process runs one event loop, and its hub, presence keeper and socket
writes belong to it; the test suite starts a loop per async test. What belongs to
a loop is kept here under that loop, and goes with it.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class PerLoop(Generic[T]):
    __slots__ = ("_make", "_objects")

    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._objects: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, T] = (
            weakref.WeakKeyDictionary()
        )

    def get(self, loop: asyncio.AbstractEventLoop | None = None) -> T:
        """The object of `loop` (by default the running one)."""
        if loop is None:
            loop = asyncio.get_running_loop()
        found = self._objects.get(loop)
        if found is None:
            found = self._objects[loop] = self._make()
        return found
