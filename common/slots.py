"""Slots: how a lower package calls into an app above it without importing it.

Imports go one way, down (docs/architecture.md). Where a lower package needs
something that only an app above it knows (the fan-out needs the room log of
`rooms`; posting in `rooms` needs the mutes of `moderation`), it declares a
`Slot` typed by a Protocol, and the app above plugs its provider in once, in
its `AppConfig.ready()`. The lower package calls `slot.get()` and never learns
who filled it. Every slot of the project is listed in docs/architecture.md.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")


class Slot(Generic[T]):
    """One provider of `T`, plugged in by an app above; `default` until then (None:
    asking before an app plugged one in is a configuration error)."""

    def __init__(self, name: str, default: T | None = None) -> None:
        self.name = name
        self.provider: T | None = default

    def plug(self, provider: T) -> None:
        """Called once, from the providing app's `AppConfig.ready()`."""
        self.provider = provider

    def get(self) -> T:
        if self.provider is None:
            raise ImproperlyConfigured(f"No app has plugged in {self.name}.")
        return self.provider

    def __repr__(self) -> str:
        return f"Slot({self.name!r}: {self.provider!r})"
