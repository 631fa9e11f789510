"""common.cache: Django's Redis cache with one pool and one client per process."""

from __future__ import annotations

import os
import threading

from common.cache import KeptClientRedisCache, KeptRedisCacheClient

REDIS_URL = os.environ.get("REDIS_URL", "")


def test_every_call_gets_the_same_client_and_pool() -> None:
    # Building a redis.Redis needs no server: nothing connects until a command.
    client = KeptRedisCacheClient(["redis://127.0.0.1:6379/0"])

    first = client.get_client("k", write=True)
    seen = []
    worker = threading.Thread(target=lambda: seen.append(client.get_client("k")))
    worker.start()
    worker.join()

    assert seen == [first]
    assert first is client.get_client(None)
    assert first.connection_pool is client._get_connection_pool(False)


def test_backends_of_different_contexts_share_one_pool_and_client() -> None:
    # Django makes a backend per async context: one per websocket connection.
    first = KeptRedisCacheClient(["redis://127.0.0.1:6379/0"])
    second = KeptRedisCacheClient(["redis://127.0.0.1:6379/0"])
    elsewhere = KeptRedisCacheClient(["redis://127.0.0.1:6379/1"])

    assert first.get_client() is second.get_client()
    assert first.get_client().connection_pool is second.get_client().connection_pool
    assert elsewhere.get_client() is not first.get_client()


def test_the_backend_uses_the_kept_client() -> None:
    backend = KeptClientRedisCache("redis://127.0.0.1:6379/0", {})
    assert isinstance(backend._cache, KeptRedisCacheClient)


if REDIS_URL:

    def test_with_redis_the_configured_cache_stores_and_reads_through_it() -> None:
        from django.core.cache import caches

        cache = caches["default"]
        assert isinstance(cache, KeptClientRedisCache)
        cache.set_many({"kept-a": 1, "kept-b": [2]}, 30)
        assert cache.get_many(["kept-a", "kept-b", "kept-c"]) == {"kept-a": 1, "kept-b": [2]}
        assert cache.incr("kept-a") == 2
        cache.delete_many(["kept-a", "kept-b"])
