"""Django's Redis cache backend, with one connection pool and one client per process.

- Django keeps a cache backend per async context, so each websocket connection
  that posts (its own task) got a backend of its own, with its own connection
  pool and so its own Redis connection, held for the connection's life. Here
  the pools live in the process, one per server and options, shared by every
  backend object.
- Django's `RedisCacheClient.get_client` builds a new `redis.Redis` for every
  cache call, and redis-py's constructor fills a table of response callbacks that
  costs more CPU than the round trip itself, on every post (the grants' versions,
  rooms/grants.py, and the rate limit, common/ratelimit.py). Here one client per
  pool serves every call (figures: docs/performance.md, change 13).

Both are safe to share between threads: a `redis.Redis` takes a connection from
its pool for each command, and redis-py's pools start afresh in a forked child.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

_pools: dict[tuple[str, str], Any] = {}
_clients: dict[int, Any] = {}


class KeptRedisCacheClient(RedisCacheClient):
    # Django's own (private) members, used the same way its methods use them.
    def _get_connection_pool(self, write: bool) -> Any:
        server = self._servers[self._get_connection_pool_index(write)]  # type: ignore[attr-defined]
        options = self._pool_options  # type: ignore[attr-defined]
        key = (server, repr(sorted(options.items())))
        pool = _pools.get(key)
        if pool is None:  # two threads may both build one: the first one stored serves
            built = self._pool_class.from_url(server, **options)  # type: ignore[attr-defined]
            pool = _pools.setdefault(key, built)
        return pool

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        client = _clients.get(id(pool))  # pools are never dropped: ids stay theirs
        if client is None:
            client = _clients.setdefault(id(pool), self._client(connection_pool=pool))  # type: ignore[attr-defined]
        return client


class KeptClientRedisCache(RedisCache):
    """`CACHES` backend: Django's RedisCache with `KeptRedisCacheClient`."""

    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = KeptRedisCacheClient
