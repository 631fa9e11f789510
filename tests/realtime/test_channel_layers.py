"""realtime.channel_layers: a group send that leaves out the publisher's own hub and a
batched receive, on the in-memory layer always and on Redis when REDIS_URL is set."""

from __future__ import annotations

import asyncio
import logging
import os
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from django.core.exceptions import ImproperlyConfigured
from redis.asyncio.client import Pipeline

from realtime.channel_layers import (
    _GROUP_SEND_SCRIPT,
    HubInMemoryChannelLayer,
    HubRedisChannelLayer,
)

REDIS_URL = os.environ.get("REDIS_URL", "")
LAYERS = ["memory", *(["redis"] if REDIS_URL else [])]

Layer = HubInMemoryChannelLayer | HubRedisChannelLayer


def _make(kind: str, **config: Any) -> Layer:
    if kind == "memory":
        return HubInMemoryChannelLayer(**config)
    prefix = f"klima-test-layer-{uuid.uuid4().hex[:10]}:asgi"
    return HubRedisChannelLayer(hosts=[REDIS_URL], prefix=prefix, **config)


@pytest_asyncio.fixture(params=LAYERS)
async def layer(request: pytest.FixtureRequest) -> AsyncIterator[Layer]:
    made = _make(request.param, capacity=5)
    yield made
    await made.flush()  # on Redis: deletes this test's keys (its own prefix)


async def _next(layer: Layer, channel: str) -> list[dict[str, Any]]:
    return await asyncio.wait_for(layer.receive_many(channel), 2)


async def _nothing_waits(layer: Layer, channel: str) -> None:
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(layer.receive_many(channel), 0.2)


def test_both_layers_are_tested_where_redis_is_available() -> None:
    assert ("redis" in LAYERS) == bool(REDIS_URL)


async def test_group_send_reaches_every_member_but_the_excluded_one(layer: Layer) -> None:
    own, other, third = "hub.own", "hub.other", "hub.third"
    for channel in (own, other, third):
        await layer.group_add("room.1", channel)
    await layer.group_add("room.2", own)

    await layer.group_send("room.1", {"type": "room.event", "seq": 1}, exclude=own)
    await layer.group_send("room.2", {"type": "room.event", "seq": 7}, exclude=own)

    assert await _next(layer, other) == [{"type": "room.event", "seq": 1}]
    assert await _next(layer, third) == [{"type": "room.event", "seq": 1}]
    await _nothing_waits(layer, own)


async def test_group_send_many_sends_each_as_group_send_would_in_order(layer: Layer) -> None:
    for channel in ("hub.own", "hub.other"):
        await layer.group_add("room.1", channel)
    await layer.group_add("user.2", "hub.other")

    await layer.group_send_many(
        [
            ("room.1", {"seq": 1}, "hub.own"),
            ("user.2", {"text": "für dich"}, None),
            ("room.1", {"seq": 2}, None),
        ]
    )

    assert await _next(layer, "hub.other") == [{"seq": 1}, {"text": "für dich"}, {"seq": 2}]
    assert await _next(layer, "hub.own") == [{"seq": 2}]


async def test_without_exclude_every_member_gets_it(layer: Layer) -> None:
    await layer.group_add("user.3", "hub.a")
    await layer.group_add("user.3", "hub.b")
    await layer.group_send("user.3", {"type": "user.frame", "text": "ä"})
    assert await _next(layer, "hub.a") == [{"type": "user.frame", "text": "ä"}]
    assert await _next(layer, "hub.b") == [{"type": "user.frame", "text": "ä"}]


async def test_receive_many_takes_what_waits_oldest_first_up_to_the_limit(layer: Layer) -> None:
    await layer.group_add("room.1", "hub.reader")
    for seq in range(1, 5):
        await layer.group_send("room.1", {"seq": seq})

    assert await asyncio.wait_for(layer.receive_many("hub.reader", limit=3), 2) == [
        {"seq": 1},
        {"seq": 2},
        {"seq": 3},
    ]
    assert await _next(layer, "hub.reader") == [{"seq": 4}]


async def test_receive_many_waits_for_the_next_message(layer: Layer) -> None:
    await layer.group_add("room.1", "hub.reader")
    waiting = asyncio.ensure_future(layer.receive_many("hub.reader"))
    await asyncio.sleep(0.1)
    assert not waiting.done()
    await layer.group_send("room.1", {"seq": 1})
    assert await asyncio.wait_for(waiting, 2) == [{"seq": 1}]


async def test_a_full_channel_drops_with_a_warning_and_the_others_still_get_it(
    layer: Layer, caplog: pytest.LogCaptureFixture
) -> None:
    await layer.group_add("room.1", "hub.full")
    await layer.group_add("room.1", "hub.reading")
    with caplog.at_level(logging.WARNING, logger="realtime.channel_layers"):
        for seq in range(1, 8):  # capacity 5
            await layer.group_send("room.1", {"seq": seq})
            assert await _next(layer, "hub.reading") == [{"seq": seq}]

    assert await _next(layer, "hub.full") == [{"seq": s} for s in range(1, 6)]
    assert "over capacity" in caplog.text


async def test_a_member_past_the_group_expiry_gets_nothing(layer: Layer) -> None:
    await layer.group_add("room.1", "hub.fresh")
    await layer.group_add("room.1", "hub.stale")
    await _age_membership(layer, "room.1", "hub.stale", seconds=layer.group_expiry + 10)

    await layer.group_send("room.1", {"seq": 1})

    assert await _next(layer, "hub.fresh") == [{"seq": 1}]
    await _nothing_waits(layer, "hub.stale")


async def _age_membership(layer: Layer, group: str, channel: str, *, seconds: float) -> None:
    joined = time.time() - seconds
    if isinstance(layer, HubInMemoryChannelLayer):
        layer.groups[group][channel] = joined
    else:
        await layer.connection(0).zadd(layer._group_key(group), {channel: joined})


async def test_a_process_local_member_gets_it_through_its_own_channel(layer: Layer) -> None:
    specific = await layer.new_channel("worker.")
    await layer.group_add("room.1", specific)
    await layer.group_add("room.1", "hub.general")

    await layer.group_send("room.1", {"type": "room.event", "seq": 1})

    assert await asyncio.wait_for(layer.receive(specific), 2) == {"type": "room.event", "seq": 1}
    assert await _next(layer, "hub.general") == [{"type": "room.event", "seq": 1}]


def test_redis_layer_refuses_what_its_one_script_cannot_serve() -> None:
    host = "redis://127.0.0.1:6379/0"  # not connected to: the check is in the constructor
    with pytest.raises(ImproperlyConfigured):
        HubRedisChannelLayer(hosts=[host, host])
    with pytest.raises(ImproperlyConfigured):
        HubRedisChannelLayer(hosts=[host], channel_capacity={"hub.*": 10})


# Redis only, and defined only where Redis is (the in-memory layer keeps the objects:
# there is nothing to decode), so no pass of the suite skips it.
if REDIS_URL:

    async def test_a_message_that_does_not_decode_costs_only_itself(
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        layer = _make("redis", capacity=5)
        assert isinstance(layer, HubRedisChannelLayer)
        try:
            await layer.group_add("room.1", "hub.reader")
            await layer.group_send("room.1", {"seq": 1})
            bad = {b"kein msgpack": time.time()}
            await layer.connection(0).zadd(layer.prefix + "hub.reader", bad)
            await layer.group_send("room.1", {"seq": 2})

            with caplog.at_level(logging.ERROR, logger="realtime.channel_layers"):
                assert await _next(layer, "hub.reader") == [{"seq": 1}, {"seq": 2}]
            assert "does not decode" in caplog.text
        finally:
            await layer.flush()

    async def test_group_send_many_is_one_round_trip_without_asking_for_the_script(
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """One pipeline per batch, and no `SCRIPT EXISTS` before it (a redis-py `Script`
        in a pipeline asks first: a second round trip per batch)."""
        layer = _make("redis", capacity=5)
        assert isinstance(layer, HubRedisChannelLayer)
        commands: list[list[Any]] = []
        pipeline_execute = Pipeline.execute

        async def spy(self: Pipeline, raise_on_error: bool = True) -> list[Any]:
            commands.append([args[0] for args, _options in self.command_stack])
            return await pipeline_execute(self, raise_on_error)

        monkeypatch.setattr(Pipeline, "execute", spy)
        try:
            await layer.group_add("room.1", "hub.reader")
            await layer.connection(0).script_load(_GROUP_SEND_SCRIPT)  # as after a first send
            exists = await _script_exists_calls(layer)

            await layer.group_send_many([("room.1", {"seq": n}, None) for n in range(1, 4)])

            assert commands == [["EVALSHA"] * 3]
            assert await _script_exists_calls(layer) == exists
            assert await _next(layer, "hub.reader") == [{"seq": 1}, {"seq": 2}, {"seq": 3}]
        finally:
            await layer.flush()

    async def test_group_send_loads_its_script_into_a_redis_that_lacks_it() -> None:
        """A restarted or flushed Redis has no scripts: the batch is sent again after
        `SCRIPT LOAD`, once (the NOSCRIPT replies ran nothing)."""
        layer = _make("redis", capacity=5)
        assert isinstance(layer, HubRedisChannelLayer)
        try:
            await layer.group_add("room.1", "hub.reader")
            await layer.connection(0).script_flush()

            await layer.group_send_many(
                [("room.1", {"seq": 1}, None), ("room.1", {"seq": 2}, None)]
            )

            assert await _next(layer, "hub.reader") == [{"seq": 1}, {"seq": 2}]
            await _nothing_waits(layer, "hub.reader")
        finally:
            await layer.flush()

    async def _script_exists_calls(layer: HubRedisChannelLayer) -> int:
        stats = await layer.connection(0).info("commandstats")
        return int(stats.get("cmdstat_script|exists", {}).get("calls", 0))
