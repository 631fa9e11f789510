"""Slots: how a lower package calls into an app above it without importing it.

Imports go one way, down (docs/architecture.md). Where a lower package needs
something that only an app above it knows (the fan-out needs the room log of
`rooms`; posting in `rooms` needs the mutes of `moderation`), it declares a
`Slot` typed by a Protocol, and the app above plugs its provider in once, in
its `AppConfig.ready()`. The lower package calls `slot.get()` and never learns
who filled it. Every slot of the project is listed in docs/architecture.md.

A slot has no default: an app that is missing, or forgot to plug in its provider,
would otherwise switch a rule off without a word (bans and mutes, say). The system
check `check_slots_plugged` (common/apps.py) stops the start instead.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")

_every_slot: list[Slot[Any]] = []


class Slot(Generic[T]):
    """One provider of `T`, plugged in by an app above."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.provider: T | None = None
        _every_slot.append(self)

    def plug(self, provider: T) -> None:
        """Called once, from the providing app's `AppConfig.ready()`."""
        self.provider = provider

    def get(self) -> T:
        if self.provider is None:
            raise ImproperlyConfigured(f"No app has plugged in {self.name}.")
        return self.provider

    def __repr__(self) -> str:
        return f"Slot({self.name!r}: {self.provider!r})"


def check_slots_plugged(**_kwargs: Any) -> list[checks.CheckMessage]:
    """Every slot that was declared has its provider (run by `manage.py check` and at
    every start of the server)."""
    return [
        checks.Error(
            f"No app has plugged in {slot.name}.",
            hint="Is the app that provides it in INSTALLED_APPS, and does its "
            "AppConfig.ready() plug it in? (docs/architecture.md, Slots)",
            id="common.E001",
        )
        for slot in _every_slot
        if slot.provider is None
    ]
