"""Django's Redis cache backend, with one Redis client kept per connection pool.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` for every cache
call, and redis-py's constructor fills a table of about 150 response callbacks:
about 0.4 ms of CPU, more than the round trip to Redis itself. Posting reads the
posting grants' versions (rooms/grants.py) on every message, in the database
thread that every post of the worker goes through, and with rate limits on three
more calls follow (moderation/ratelimit.py): bench/ and docs/performance.md.

A `redis.Redis` is safe to share between threads: it takes a connection from its
pool for each command. The pools stay Django's (one per server, made on first use).
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class KeptRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # Django's own (private) members, which its get_client uses the same way.
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:  # two threads may both build one here: either serves
            client = self._client(connection_pool=pool)  # type: ignore[attr-defined]
            self._clients[id(pool)] = client
        return client


class KeptClientRedisCache(RedisCache):
    """`CACHES` backend: Django's RedisCache with `KeptRedisCacheClient`."""

    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = KeptRedisCacheClient
