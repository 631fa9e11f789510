"""The presence stores (presence/store.py), each available one through the same tests:
MemoryStore always, RedisStore when REDIS_URL is set."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest

from presence import store as store_module
from presence.store import MemoryStore, RedisStore
from tests.presence.conftest import REDIS_URL, STORES, _delete_keys

Store = MemoryStore | RedisStore

ROOM = 11
OTHER_ROOM = 12
LENA = 7
JONAS = 8
TTL = 30  # seconds; the tests that need an expiry move the store's clock instead


class Clock:
    """The stores read the time only through `presence.store.now_ms` (Redis too: the
    script gets `now` as an argument), so a test can move it."""

    def __init__(self) -> None:
        self.ms = int(time.time() * 1000)

    def __call__(self) -> int:
        return self.ms

    def advance(self, seconds: float) -> None:
        self.ms += int(seconds * 1000)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(store_module, "now_ms", clock)
    return clock


async def join(store: Store, conn: str, user: int, status: str = "active", room: int = ROOM):
    return await store.update(room, ttl=TTL, puts=((conn, user, status),), users=(user,))


async def leave(store: Store, conn: str, user: int, room: int = ROOM):
    """A connection leaves without grace: dropped and its user reconciled at once."""
    return await store.update(room, ttl=TTL, drop=conn, users=(user,))


async def redis_keys(store: Store) -> list[str]:
    assert isinstance(store, RedisStore)
    return sorted([key async for key in store.redis.scan_iter(f"{store.prefix}:*")])


def test_both_stores_are_tested_when_redis_is_configured() -> None:
    """Guards the parametrization itself: with REDIS_URL the Redis store must be among them."""
    assert "memory" in STORES
    assert ("redis" in STORES) == bool(REDIS_URL)


# --- transitions ---------------------------------------------------------------


async def test_online_idle_active_offline(store: Store) -> None:
    assert await join(store, "c1", LENA) == [(LENA, "online")]
    assert await store.shown(ROOM) == {LENA: "online"}

    idle = await store.update(ROOM, ttl=TTL, puts=(("c1", LENA, "idle"),), users=(LENA,))
    assert idle == [(LENA, "idle")]
    assert await store.shown(ROOM) == {LENA: "idle"}

    active = await store.update(ROOM, ttl=TTL, puts=(("c1", LENA, "active"),), users=(LENA,))
    assert active == [(LENA, "online")]
    assert await store.shown(ROOM) == {LENA: "online"}

    assert await leave(store, "c1", LENA) == [(LENA, "offline")]
    assert await store.shown(ROOM) == {}


async def test_only_real_changes_are_reported(store: Store) -> None:
    assert await join(store, "c1", LENA) == [(LENA, "online")]
    # Refreshing the same entry, or reconciling an unchanged user, changes nothing.
    assert await join(store, "c1", LENA) == []
    assert await store.update(ROOM, ttl=TTL, users=(LENA,)) == []
    assert await store.update(ROOM, ttl=TTL, puts=(("c1", LENA, "idle"),), users=(LENA,)) == [
        (LENA, "idle")
    ]
    assert await store.update(ROOM, ttl=TTL, puts=(("c1", LENA, "idle"),), users=(LENA,)) == []
    # A user who was never announced does not go offline.
    assert await store.update(ROOM, ttl=TTL, drop="nobody", users=(JONAS,)) == []
    assert await store.shown(ROOM) == {LENA: "idle"}


async def test_two_users_are_independent(store: Store) -> None:
    assert await join(store, "c1", LENA) == [(LENA, "online")]
    assert await join(store, "c2", JONAS) == [(JONAS, "online")]
    assert await store.update(ROOM, ttl=TTL, puts=(("c2", JONAS, "idle"),), users=(JONAS,)) == [
        (JONAS, "idle")
    ]
    assert await store.shown(ROOM) == {LENA: "online", JONAS: "idle"}
    assert await leave(store, "c1", LENA) == [(LENA, "offline")]
    assert await store.shown(ROOM) == {JONAS: "idle"}


async def test_rooms_are_separate(store: Store) -> None:
    assert await join(store, "c1", LENA, room=ROOM) == [(LENA, "online")]
    assert await join(store, "c1", LENA, room=OTHER_ROOM) == [(LENA, "online")]
    assert await leave(store, "c1", LENA, room=ROOM) == [(LENA, "offline")]
    assert await store.shown(ROOM) == {}
    assert await store.shown(OTHER_ROOM) == {LENA: "online"}


# --- several connections of one user --------------------------------------------


async def test_two_connections_of_one_user_count_as_one_person(store: Store) -> None:
    assert await join(store, "tab1", LENA) == [(LENA, "online")]
    assert await join(store, "tab2", LENA) == []
    assert await store.shown(ROOM) == {LENA: "online"}
    # One tab closing leaves her online.
    assert await leave(store, "tab1", LENA) == []
    assert await store.shown(ROOM) == {LENA: "online"}
    assert await leave(store, "tab2", LENA) == [(LENA, "offline")]
    assert await store.shown(ROOM) == {}


async def test_idle_only_when_every_connection_is_idle(store: Store) -> None:
    await join(store, "tab1", LENA)
    await join(store, "tab2", LENA)

    async def report(conn: str, status: str):
        return await store.update(ROOM, ttl=TTL, puts=((conn, LENA, status),), users=(LENA,))

    assert await report("tab1", "idle") == []  # tab2 is still active
    assert await report("tab2", "idle") == [(LENA, "idle")]
    assert await report("tab1", "active") == [(LENA, "online")]
    # The idle tab closing leaves the active one: still online.
    assert await leave(store, "tab2", LENA) == []
    assert await store.shown(ROOM) == {LENA: "online"}


async def test_the_idle_tab_remaining_makes_the_user_idle(store: Store) -> None:
    await join(store, "tab1", LENA)
    await join(store, "tab2", LENA, status="idle")
    assert await store.shown(ROOM) == {LENA: "online"}
    assert await leave(store, "tab1", LENA) == [(LENA, "idle")]


# --- the grace: dropping without reconciling ----------------------------------------


async def test_shown_reflects_only_announced_statuses(store: Store) -> None:
    # An entry that was put but whose user was not reconciled is not announced yet.
    assert await store.update(ROOM, ttl=TTL, puts=(("c1", LENA, "active"),)) == []
    assert await store.shown(ROOM) == {}
    # A sweep reconciles everyone in the room.
    assert await store.update(ROOM, ttl=TTL, sweep=True) == [(LENA, "online")]
    assert await store.shown(ROOM) == {LENA: "online"}
    # Dropping without reconciling (the grace) keeps what the room was told.
    assert await store.update(ROOM, ttl=TTL, drop="c1") == []
    assert await store.shown(ROOM) == {LENA: "online"}
    assert await store.update(ROOM, ttl=TTL, users=(LENA,)) == [(LENA, "offline")]
    assert await store.shown(ROOM) == {}


async def test_a_return_within_the_grace_announces_nothing(store: Store) -> None:
    await join(store, "c1", LENA)
    assert await store.update(ROOM, ttl=TTL, drop="c1") == []
    assert await join(store, "c2", LENA) == []  # a reload: a new connection
    # The grace ends: reconciling her finds her online, as announced.
    assert await store.update(ROOM, ttl=TTL, users=(LENA,)) == []
    assert await store.shown(ROOM) == {LENA: "online"}


async def test_a_change_is_reported_once_when_two_reconcile_it(store: Store) -> None:
    """Two workers settle the same user at once: only one of them announces."""
    other = store
    if isinstance(store, RedisStore):
        other = RedisStore(REDIS_URL, store.prefix.removesuffix(":presence"))
        assert other.prefix == store.prefix
    try:
        await join(store, "c1", LENA)
        await store.update(ROOM, ttl=TTL, drop="c1")
        results = await asyncio.gather(
            *[s.update(ROOM, ttl=TTL, users=(LENA,)) for s in (store, other, store, other)]
        )
        assert sorted(change for result in results for change in result) == [(LENA, "offline")]
    finally:
        if other is not store:
            await other.redis.aclose()


async def test_two_workers_share_one_room(store: Store) -> None:
    """A second process's store (same Redis prefix) sees the first one's connections."""
    if not isinstance(store, RedisStore):
        other = store  # in-process: one store per event loop, so the same object
    else:
        other = RedisStore(REDIS_URL, store.prefix.removesuffix(":presence"))
    try:
        assert await join(store, "w1-c1", LENA) == [(LENA, "online")]
        assert await join(other, "w2-c1", LENA) == []
        assert await join(other, "w2-c2", JONAS) == [(JONAS, "online")]
        assert await store.shown(ROOM) == {LENA: "online", JONAS: "online"}
        assert await leave(store, "w1-c1", LENA) == []  # her other worker still has her
        assert await leave(other, "w2-c1", LENA) == [(LENA, "offline")]
    finally:
        if other is not store:
            await other.redis.aclose()


# --- expiry (a worker that died) -----------------------------------------------------


async def test_an_entry_not_refreshed_past_its_ttl_is_swept_offline_once(
    store: Store, clock: Clock
) -> None:
    await store.update(ROOM, ttl=1, puts=(("dead", LENA, "active"),), users=(LENA,))
    await store.update(ROOM, ttl=1, puts=(("alive", JONAS, "active"),), users=(JONAS,))
    clock.advance(0.8)
    # The live worker's beat: refresh its own entry, sweep the room.
    beat = await store.update(ROOM, ttl=1, puts=(("alive", JONAS, "active"),), sweep=True)
    assert beat == []  # nothing expired yet
    clock.advance(0.5)  # 1.3 s after Lena's last refresh, 0.5 s after Jonas's
    beat = await store.update(ROOM, ttl=1, puts=(("alive", JONAS, "active"),), sweep=True)
    assert beat == [(LENA, "offline")]
    assert await store.shown(ROOM) == {JONAS: "online"}
    beat = await store.update(ROOM, ttl=1, puts=(("alive", JONAS, "active"),), sweep=True)
    assert beat == []  # reported once


async def test_an_expired_entry_is_noticed_by_any_update_of_the_room(
    store: Store, clock: Clock
) -> None:
    await store.update(ROOM, ttl=1, puts=(("dead", LENA, "idle"),), users=(LENA,))
    clock.advance(2)
    # Not a sweep: Jonas joining still drops Lena's stale entry and reports it.
    changes = await store.update(ROOM, ttl=1, puts=(("c2", JONAS, "active"),), users=(JONAS,))
    assert sorted(changes) == [(LENA, "offline"), (JONAS, "online")]
    assert await store.update(ROOM, ttl=1, sweep=True) == []


async def test_one_of_two_connections_expiring_keeps_the_user(store: Store, clock: Clock) -> None:
    await store.update(ROOM, ttl=1, puts=(("dead", LENA, "active"),), users=(LENA,))
    await store.update(ROOM, ttl=1, puts=(("alive", LENA, "idle"),), users=(LENA,))
    clock.advance(0.7)
    await store.update(ROOM, ttl=1, puts=(("alive", LENA, "idle"),))
    clock.advance(0.7)
    # Her active connection is gone; the idle one remains.
    assert await store.update(ROOM, ttl=1, sweep=True) == [(LENA, "idle")]


# --- the typing throttle -------------------------------------------------------------


async def test_first_typing_once_per_window(store: Store) -> None:
    assert await store.first_typing(ROOM, LENA, 200) is True
    assert await store.first_typing(ROOM, LENA, 200) is False
    # Per user and room.
    assert await store.first_typing(ROOM, JONAS, 200) is True
    assert await store.first_typing(OTHER_ROOM, LENA, 200) is True
    await asyncio.sleep(0.25)  # the window elapses
    assert await store.first_typing(ROOM, LENA, 200) is True
    assert await store.first_typing(ROOM, LENA, 200) is False


# --- nothing left behind -------------------------------------------------------------


async def test_nothing_is_left_after_everyone_left(store: Store) -> None:
    await join(store, "c1", LENA)
    await join(store, "c2", JONAS)
    await join(store, "c3", JONAS, room=OTHER_ROOM)
    await store.update(ROOM, ttl=TTL, drop="c1")  # with grace ...
    await store.update(ROOM, ttl=TTL, users=(LENA,))  # ... settled later
    await leave(store, "c2", JONAS)
    await leave(store, "c3", JONAS, room=OTHER_ROOM)
    assert await store.shown(ROOM) == {}
    if isinstance(store, RedisStore):
        assert await redis_keys(store) == []
    else:
        assert store.conns == {} and store.shown_ == {}


async def test_typing_keys_expire_by_themselves(store: Store) -> None:
    assert await store.first_typing(ROOM, LENA, 100)
    await asyncio.sleep(0.15)
    # Lets MemoryStore clean up. A long TTL this time: on a loaded CI machine 100 ms
    # could pass before the check below, and the key would be gone (pttl -2).
    assert await store.first_typing(ROOM, JONAS, 10_000)
    if isinstance(store, RedisStore):
        keys = await redis_keys(store)
        assert keys == [f"{store.prefix}:{ROOM}:typing:{JONAS}"]
        assert 0 < await store.redis.pttl(keys[0]) <= 10_000
    else:
        assert list(store.typing) == [(ROOM, JONAS)]


async def test_redis_keys_expire_when_nobody_refreshes_them(store: Store) -> None:
    """Keys of a room whose workers all died do not stay forever."""
    await join(store, "c1", LENA)
    if isinstance(store, RedisStore):
        keys = await redis_keys(store)
        assert keys == [f"{store.prefix}:{ROOM}:conns", f"{store.prefix}:{ROOM}:shown"]
        for key in keys:
            assert 0 < await store.redis.ttl(key) <= 2 * TTL
    else:
        assert set(store.conns) == {ROOM}


# Redis only, and defined only where Redis is (the memory store has no connections).
if REDIS_URL:

    async def test_a_burst_of_updates_waits_for_the_pools_connections_rather_than_failing() -> None:
        """200 clients leaving at once are 200 updates at once: more than a pool holds.
        They wait for a connection (presence.store.REDIS_CONNECTIONS) instead of failing."""
        prefix = f"klima-test-store-{uuid.uuid4().hex[:10]}"
        store = RedisStore(REDIS_URL, prefix)
        try:
            updates = [join(store, f"c{n}", 1000 + n) for n in range(200)]

            changes = await asyncio.gather(*updates)

            assert all(change == [(1000 + n, "online")] for n, change in enumerate(changes))
            assert store.redis.connection_pool.max_connections == store_module.REDIS_CONNECTIONS
        finally:
            await store.redis.aclose()
            _delete_keys(prefix)
