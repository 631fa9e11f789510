"""Ending an async test's realtime machinery, in one place for every test package.

Each async test runs on an event loop of its own; the channel layer, the fan-out hub,
the presence keeper and the publisher of realtime.publish belong to that loop and must
be stopped before it closes."""

from __future__ import annotations

import contextlib

import channels.db
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import close_old_connections, connections

from presence.services import get_keeper
from presence.store import RedisStore
from realtime import hub, publish
from rooms import async_services


async def stop_realtime() -> None:
    await publish.drained()  # publishes handed to this loop go out before the layer closes
    await hub.get_hub().stop()
    keeper = get_keeper()
    await keeper.stop()  # presence keeps per-loop timers, as the hub does
    if isinstance(keeper.store, RedisStore):
        await keeper.store.redis.aclose()
    # channels' ApplicationCommunicator replaces `channels.db.close_old_connections` with a
    # no-op (mock.patch) while it sends or receives; two communicators awaiting at once
    # (asyncio.gather) undo each other's patch in the wrong order and leave the no-op in
    # place for good. Put the real one back and close the database thread's connection
    # (realtime.db keeps it), or it outlives the test and PostgreSQL cannot drop the test
    # database at the end.
    channels.db.close_old_connections = close_old_connections
    await sync_to_async(connections.close_all)()
    await async_services.posting_threads.close_connections()
    close_pools = getattr(get_channel_layer(), "close_pools", None)
    if close_pools is not None:  # channels-redis: no connections left on a closing loop
        with contextlib.suppress(Exception):
            await close_pools()
