"""Where presence lives: in this process (embedded default) or in Redis (shared by workers).

Per room, two maps: `conns` (connection id -> user, status, expiry) and `shown`
(user id -> the status last announced to the room). `reconcile` drops expired
connections, computes each user's status (online if any connection is active,
idle if all are idle, offline if none) and returns only the users whose status
differs from what was announced, updating `shown` in the same step. In Redis that
step is one Lua script, so two workers never announce the same change twice.
Keys expire when nobody refreshes them: a room left by everyone leaves nothing.
"""

from __future__ import annotations

import time
from typing import Protocol

from django.conf import settings

from realtime.loops import PerLoop

Change = tuple[int, str]  # (user id, "online" | "idle" | "offline")

# A worker's connections to Redis for presence. Every connect, subscribe and
# disconnect makes one call, and 200 clients may leave at once: the pool waits for
# a free connection (up to REDIS_WAIT_SECONDS) where redis-py's default pool fails
# at once past 100 (MaxConnectionsError: presence entries left behind, and a trace).
REDIS_CONNECTIONS = 32
REDIS_WAIT_SECONDS = 10.0


def now_ms() -> int:
    return int(time.time() * 1000)


class PresenceStore(Protocol):
    async def update(
        self,
        room: int,
        *,
        ttl: int,
        puts: tuple[tuple[str, int, str], ...] = (),
        drop: str | None = None,
        users: tuple[int, ...] = (),
        sweep: bool = False,
        put_ttl: float | None = None,
        drop_user: int | None = None,
    ) -> list[Change]:
        """Put (or refresh) (conn, user, status) entries, valid for `put_ttl` seconds
        (default `ttl`), and/or drop a connection, then reconcile `users` (every user of
        the room when `sweep`). `drop_user` removes every entry of that user (access
        lost: no grace for any of their connections). `ttl` also bounds the keys' life."""

    async def shown(self, room: int) -> dict[int, str]:
        """What the room has been told: {user id: status}."""

    async def first_typing(self, room: int, user: int, window_ms: int) -> bool:
        """True once per `window_ms` per user and room (the typing throttle)."""


def _status_of(statuses: list[str]) -> str:
    if not statuses:
        return "offline"
    return "online" if "active" in statuses else "idle"


class MemoryStore:
    """One process: plain dicts on the event loop (no awaits inside, so each call is atomic)."""

    def __init__(self) -> None:
        self.conns: dict[int, dict[str, tuple[int, str, int]]] = {}
        self.shown_: dict[int, dict[int, str]] = {}
        self.typing: dict[tuple[int, int], int] = {}

    async def update(
        self,
        room: int,
        *,
        ttl: int,
        puts: tuple[tuple[str, int, str], ...] = (),
        drop: str | None = None,
        users: tuple[int, ...] = (),
        sweep: bool = False,
        put_ttl: float | None = None,
        drop_user: int | None = None,
    ) -> list[Change]:
        now = now_ms()
        conns = self.conns.setdefault(room, {})
        shown = self.shown_.setdefault(room, {})
        expires = now + int((ttl if put_ttl is None else put_ttl) * 1000)
        for conn, user, status in puts:
            conns[conn] = (user, status, expires)
        if drop is not None:
            conns.pop(drop, None)
        for conn in [c for c, (u, _s, _e) in conns.items() if u == drop_user]:
            del conns[conn]
        touched = set(users)
        for conn, (user, _status, expires) in list(conns.items()):
            if expires < now:
                del conns[conn]
                touched.add(user)
        if sweep:
            touched |= set(shown) | {user for user, _s, _e in conns.values()}
        changes: list[Change] = []
        for user in touched:
            status = _status_of([s for u, s, _e in conns.values() if u == user])
            if status == "offline":
                if shown.pop(user, None) is not None:
                    changes.append((user, "offline"))
            elif shown.get(user) != status:
                shown[user] = status
                changes.append((user, status))
        if not conns:
            self.conns.pop(room, None)
        if not shown:
            self.shown_.pop(room, None)
        return changes

    async def shown(self, room: int) -> dict[int, str]:
        return dict(self.shown_.get(room, {}))

    async def first_typing(self, room: int, user: int, window_ms: int) -> bool:
        now = now_ms()
        for key in [k for k, until in self.typing.items() if until < now]:
            del self.typing[key]
        if (room, user) in self.typing:
            return False
        self.typing[(room, user)] = now + window_ms
        return True


RECONCILE = """
-- ARGV: now_ms, ttl, sweep (1/0), drop conn or '', drop user or '', n puts,
--       n x (conn, value), users...
local now = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local sweep = ARGV[3] == '1'
local drop_user = ARGV[5]
local nputs = tonumber(ARGV[6])
for i = 0, nputs - 1 do redis.call('HSET', KEYS[1], ARGV[7 + 2 * i], ARGV[8 + 2 * i]) end
if ARGV[4] ~= '' then redis.call('HDEL', KEYS[1], ARGV[4]) end
local touched = {}
for i = 7 + 2 * nputs, #ARGV do touched[ARGV[i]] = true end
if sweep then
  for _, uid in ipairs(redis.call('HKEYS', KEYS[2])) do touched[uid] = true end
end
local best = {}
local entries = redis.call('HGETALL', KEYS[1])
for i = 1, #entries, 2 do
  local uid, st, exp = string.match(entries[i + 1], '([^|]+)|([^|]+)|([^|]+)')
  if tonumber(exp) < now or uid == drop_user then
    redis.call('HDEL', KEYS[1], entries[i])
    touched[uid] = true
  else
    if sweep then touched[uid] = true end
    if st == 'active' then best[uid] = 'online' elseif best[uid] == nil then best[uid] = 'idle' end
  end
end
local changes = {}
for uid, _ in pairs(touched) do
  local status = best[uid] or 'offline'
  local shown = redis.call('HGET', KEYS[2], uid)
  if status == 'offline' then
    if shown then
      redis.call('HDEL', KEYS[2], uid)
      table.insert(changes, uid)
      table.insert(changes, 'offline')
    end
  elseif shown ~= status then
    redis.call('HSET', KEYS[2], uid, status)
    table.insert(changes, uid)
    table.insert(changes, status)
  end
end
for _, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then redis.call('EXPIRE', key, ttl * 2) end
end
return changes
"""


class RedisStore:
    """Shared by every worker: two hashes per room, reconciled by one Lua script."""

    def __init__(self, url: str, prefix: str) -> None:
        import redis.asyncio as redis

        pool = redis.BlockingConnectionPool.from_url(
            url,
            decode_responses=True,
            max_connections=REDIS_CONNECTIONS,
            timeout=REDIS_WAIT_SECONDS,
        )
        self.redis = redis.Redis.from_pool(pool)
        self.prefix = f"{prefix}:presence"
        self.script = self.redis.register_script(RECONCILE)

    def _keys(self, room: int) -> list[str]:
        return [f"{self.prefix}:{room}:conns", f"{self.prefix}:{room}:shown"]

    async def update(
        self,
        room: int,
        *,
        ttl: int,
        puts: tuple[tuple[str, int, str], ...] = (),
        drop: str | None = None,
        users: tuple[int, ...] = (),
        sweep: bool = False,
        put_ttl: float | None = None,
        drop_user: int | None = None,
    ) -> list[Change]:
        now = now_ms()
        expires = now + int((ttl if put_ttl is None else put_ttl) * 1000)
        entries = [x for conn, user, status in puts for x in (conn, f"{user}|{status}|{expires}")]
        args = [
            now,
            ttl,
            "1" if sweep else "0",
            drop or "",
            "" if drop_user is None else drop_user,
            len(puts),
            *entries,
            *users,
        ]
        flat = await self.script(keys=self._keys(room), args=args)
        return [(int(flat[i]), str(flat[i + 1])) for i in range(0, len(flat), 2)]

    async def shown(self, room: int) -> dict[int, str]:
        raw = await self.redis.hgetall(self._keys(room)[1])
        return {int(user): str(status) for user, status in raw.items()}

    async def first_typing(self, room: int, user: int, window_ms: int) -> bool:
        key = f"{self.prefix}:{room}:typing:{user}"
        return bool(await self.redis.set(key, 1, px=window_ms, nx=True))


def _new_store() -> PresenceStore:
    if settings.REDIS_URL:
        return RedisStore(settings.REDIS_URL, settings.REDIS_PREFIX)
    return MemoryStore()


_stores = PerLoop(_new_store)


def get_store() -> PresenceStore:
    """The store of the running event loop: Redis when REDIS_URL is set, else in-process."""
    return _stores.get()
