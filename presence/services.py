"""Presence and typing: who is in which room right now, announced only on real changes.

The `PresenceKeeper` of a worker process (one per event loop) knows the local
connections in each room. It writes them to the store (presence/store.py) on
join, leave and status change, refreshes them every PRESENCE_SWEEP_SECONDS, and
in the same beat sweeps its rooms: entries of a worker that died without
cleaning up (SIGKILL) expire after PRESENCE_TTL_SECONDS and their users are
announced offline by whichever live worker sweeps first (the store decides
atomically, so only one does). Nothing here touches the database but the lookup
of a stranger's public name.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import Any

from accounts.selectors import PublicUser
from common.outages import log_failure
from presence import frames, selectors
from presence.conf import presence_setting
from presence.store import Change, get_store
from realtime.db import db_async
from realtime.loops import PerLoop
from realtime.publish import room_ephemeral

logger = logging.getLogger(__name__)

_public_users = db_async(selectors.public_users)


@dataclass
class LocalEntry:
    user: PublicUser
    status: str  # "active" | "idle": what the connection reported


@dataclass
class Snapshot:
    presence: list[dict[str, Any]]
    counts: dict[str, int] | None  # set instead of `presence` for large rooms


class PresenceKeeper:
    def __init__(self) -> None:
        self.store = get_store()
        self.rooms: dict[int, dict[str, LocalEntry]] = {}
        self.names: dict[int, PublicUser] = {}
        self.task: asyncio.Task[None] | None = None
        self.pending: set[asyncio.Task[None]] = set()

    @property
    def ttl(self) -> int:
        return int(presence_setting("PRESENCE_TTL_SECONDS"))

    def _ensure_running(self) -> None:
        if self.task is None or self.task.done():
            self.task = asyncio.ensure_future(self._beat())

    async def stop(self) -> None:
        tasks = [t for t in [self.task, *self.pending] if t is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    # --- connections -----------------------------------------------------
    async def join(self, room: int, connection: str, user: PublicUser, status: str) -> None:
        self._ensure_running()
        self.names[user["id"]] = user
        self.rooms.setdefault(room, {})[connection] = LocalEntry(user=user, status=status)
        changes = await self.store.update(
            room, ttl=self.ttl, puts=((connection, user["id"], status),), users=(user["id"],)
        )
        await self._announce(room, changes)

    async def leave(self, room: int, connection: str, *, grace: bool = True) -> None:
        """The connection left the room. With `grace`, a quick return announces nothing;
        without (banned, access revoked) the user disappears at once."""
        entry = self.rooms.get(room, {}).pop(connection, None)
        if room in self.rooms and not self.rooms[room]:
            del self.rooms[room]
        if entry is None:
            return
        user_id = entry.user["id"]
        if not grace:
            changes = await self.store.update(
                room, ttl=self.ttl, drop=connection, drop_user=user_id, users=(user_id,)
            )
            await self._announce(room, changes)
            return
        # The entry stays for the grace (a sweep meanwhile still counts it), then expires.
        await self.store.update(
            room,
            ttl=self.ttl,
            puts=((connection, user_id, entry.status),),
            put_ttl=presence_setting("PRESENCE_GRACE_SECONDS"),
        )
        task = asyncio.ensure_future(self._settle_later(room, user_id))
        self.pending.add(task)
        task.add_done_callback(self.pending.discard)

    async def _settle_later(self, room: int, user_id: int) -> None:
        await asyncio.sleep(presence_setting("PRESENCE_GRACE_SECONDS") + 0.05)
        await self._announce(room, await self.store.update(room, ttl=self.ttl, users=(user_id,)))

    async def set_status(self, connection: str, status: str) -> None:
        """The client reported `active` or `idle`: applies to every room it is in here."""
        for room, entries in list(self.rooms.items()):
            entry = entries.get(connection)
            if entry is None or entry.status == status:
                continue
            entry.status = status
            user_id = entry.user["id"]
            changes = await self.store.update(
                room, ttl=self.ttl, puts=((connection, user_id, status),), users=(user_id,)
            )
            await self._announce(room, changes)

    # --- what the room sees -------------------------------------------------
    async def snapshot(self, room: int) -> Snapshot:
        shown = await self.store.shown(room)
        if len(shown) > presence_setting("PRESENCE_LARGE_ROOM"):
            idle = sum(1 for status in shown.values() if status == "idle")
            return Snapshot(presence=[], counts={"online": len(shown) - idle, "idle": idle})
        names = await self._names(list(shown))
        listed = [
            {"user": names[user_id], "status": status}
            for user_id, status in sorted(shown.items())
            if user_id in names
        ]
        return Snapshot(presence=listed, counts=None)

    async def typing(self, room: int, user: PublicUser, thread: int | None) -> None:
        """Pass the first notice on at once, then at most one per throttle window."""
        window = int(presence_setting("TYPING_THROTTLE_SECONDS") * 1000)
        if not await self.store.first_typing(room, user["id"], window):
            return
        shown = await self.store.shown(room)
        if len(shown) > presence_setting("PRESENCE_LARGE_ROOM"):
            return
        await room_ephemeral(
            room_id=room,
            frame=frames.typing(room=room, thread=thread, user=user),
            except_user=user["id"],
        )

    async def _announce(self, room: int, changes: list[Change]) -> None:
        if not changes:
            return
        shown = await self.store.shown(room)
        if len(shown) > presence_setting("PRESENCE_LARGE_ROOM"):
            idle = sum(1 for status in shown.values() if status == "idle")
            frame = frames.presence_counts(room=room, online=len(shown) - idle, idle=idle)
            await room_ephemeral(room_id=room, frame=frame)
            return
        names = await self._names([user_id for user_id, _status in changes])
        for user_id, status in changes:
            if user_id in names:
                frame = frames.presence(room=room, user=names[user_id], status=status)
                await room_ephemeral(room_id=room, frame=frame, about_user=user_id)

    async def _names(self, user_ids: list[int]) -> dict[int, PublicUser]:
        missing = [u for u in user_ids if u not in self.names]
        if missing:
            self.names.update(await _public_users(user_ids=missing))
        return {u: self.names[u] for u in user_ids if u in self.names}

    # --- the heartbeat ------------------------------------------------------
    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(presence_setting("PRESENCE_SWEEP_SECONDS"))
            for room, entries in list(self.rooms.items()):
                try:
                    puts = tuple((c, e.user["id"], e.status) for c, e in entries.items())
                    changes = await self.store.update(room, ttl=self.ttl, puts=puts, sweep=True)
                    await self._announce(room, changes)
                except Exception:  # the next beat tries again
                    log_failure(logger, "presence sweep of room %s failed", room)


_keepers = PerLoop(PresenceKeeper)


def get_keeper() -> PresenceKeeper:
    """The keeper of the running event loop (one per worker process)."""
    return _keepers.get()
