"""The channel layers the workers run on: channels' own, plus what the hub needs.

A worker's hub (realtime/hub.py) is the only reader of its channel and the only
member of the groups it joins, and it delivers its own process's publishes at once
(realtime/publish.py). So it needs two things the stock layers lack:

- `group_send(..., exclude=channel)`: send to every member of the group but the
  publisher's own hub, which already has the message; `group_send_many` sends
  several such publishes, in order, in one round trip;
- `receive_many(channel)`: wait for the next message and take what else is waiting
  with it, instead of one channel-layer round trip (and, in channels-redis, four
  Redis commands and three tasks) per message.

On Redis, a group send is one script (the stock one takes four round trips), a
batch of them one pipeline, and a receive is one `BZMPOP` for up to RECEIVE_BATCH
messages. The hub's channel is a general channel (no `!`), so messages carry no
`__asgi_channel__` list and go through no per-process receive buffer. What
channels-redis keeps in a backup set while a message is handled (so that a
cancelled `receive()` puts it back) is left out: the hub's receive is cancelled
only when the worker stops, and a room event that does not arrive is read from
the room's log (realtime/streams.py). Redis 7.0 or newer (BZMPOP) and one Redis host
(no sharding) are required. The subclass uses channels-redis's own helpers
(`connection`, `_group_key`, `serialize`), so
pyproject.toml pins channels-redis to the 4.3 line it was written against.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Sequence
from typing import Any

from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer
from channels_redis.core import RedisChannelLayer
from django.core.exceptions import ImproperlyConfigured
from redis.exceptions import NoScriptError

logger = logging.getLogger(__name__)

RECEIVE_BATCH = 100
# Apart by a few units of a double's precision at today's time (2e9 s: 2.4e-7).
SCORE_STEP = 1e-6

# One publish to the other processes: group, message, the channel not to send it to.
GroupSend = tuple[str, dict[str, Any], str | None]

# KEYS[1]: the group. ARGV: group member cutoff, channel key prefix, excluded channel,
# message, now, expiry (s), capacity, message cutoff. Returns the number of channels
# over capacity and the process-local (`!`) members, which need their own message.
_GROUP_SEND_SCRIPT = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], 0, ARGV[1])
local members = redis.call('ZRANGE', KEYS[1], 0, -1)
local over, specific = 0, {}
for _, channel in ipairs(members) do
    if channel ~= ARGV[3] then
        if string.find(channel, '!', 1, true) then
            table.insert(specific, channel)
        else
            local key = ARGV[2] .. channel
            redis.call('ZREMRANGEBYSCORE', key, 0, ARGV[8])
            if redis.call('ZCARD', key) < tonumber(ARGV[7]) then
                redis.call('ZADD', key, ARGV[5], ARGV[4])
                redis.call('EXPIRE', key, ARGV[6])
            else
                over = over + 1
            end
        end
    end
end
return {over, specific}
"""
# How Redis names the script (EVALSHA), not a security use of SHA-1.
_GROUP_SEND_SHA = hashlib.sha1(_GROUP_SEND_SCRIPT.encode(), usedforsecurity=False).hexdigest()


class HubRedisChannelLayer(RedisChannelLayer):
    """channels-redis with a one-round-trip group send and a batched receive."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.ring_size != 1:
            raise ImproperlyConfigured("The channel layer takes exactly one Redis host.")
        if self.channel_capacity:
            raise ImproperlyConfigured("The channel layer takes one `capacity` for all.")
        self._last_score = 0.0

    async def group_send(
        self, group: str, message: dict[str, Any], *, exclude: str | None = None
    ) -> None:
        """Send `message` to each member of `group` but `exclude`, in one Redis script."""
        await self.group_send_many([(group, message, exclude)])

    async def group_send_many(self, sends: Sequence[GroupSend]) -> None:
        """Each of `sends` as `group_send` would, in order, in one round trip: a pipeline
        of the group-send script, which Redis runs in order. (`EVALSHA` by hand: a
        redis-py `Script` in a pipeline asks `SCRIPT EXISTS` first, a second round trip.)"""
        for group, _message, _exclude in sends:
            assert self.require_valid_group_name(group), "Group name not valid"
        connection = self.connection(0)
        try:
            replies = await self._group_send_pipeline(connection, sends)
        except NoScriptError:  # a new or flushed Redis: nothing of the batch ran
            await connection.script_load(_GROUP_SEND_SCRIPT)
            replies = await self._group_send_pipeline(connection, sends)
        for (group, message, _exclude), (over, specific) in zip(sends, replies, strict=True):
            for channel in specific:  # a process-local channel: channels-redis's own way
                try:
                    await self.send(channel.decode(), message)
                except ChannelFull:
                    over += 1
            if over:
                logger.warning(
                    "%s channel(s) of group %s over capacity: message dropped", over, group
                )

    async def _group_send_pipeline(self, connection: Any, sends: Sequence[GroupSend]) -> Any:
        async with connection.pipeline(transaction=False) as pipeline:
            for group, message, exclude in sends:
                now = self._next_score()
                pipeline.evalsha(
                    _GROUP_SEND_SHA,
                    1,
                    self._group_key(group),
                    int(now) - self.group_expiry,
                    self.prefix,
                    exclude or "",
                    self.serialize(message),
                    now,
                    int(self.expiry),
                    self.capacity,
                    int(now) - int(self.expiry),
                )
            return await pipeline.execute()

    def _next_score(self) -> float:
        """A message's score in its channel's sorted set: the time, but above the score of
        this process's message before it. A receiver pops the lowest score first and
        ties go by the (random) bytes, so a batch sent within one microsecond would
        come out shuffled."""
        score = max(time.time(), self._last_score + SCORE_STEP)
        self._last_score = score
        return score

    async def receive_many(self, channel: str, limit: int = RECEIVE_BATCH) -> list[dict[str, Any]]:
        """Wait for the next message on the general channel `channel`; return it with
        up to `limit - 1` more that wait behind it, oldest first."""
        assert "!" not in channel, "receive_many reads general channels"
        assert self.require_valid_channel_name(channel, receive=True)
        connection = self.connection(0)
        key = self.prefix + channel
        while True:
            popped = await connection.bzmpop(self.brpop_timeout, 1, [key], min=True, count=limit)
            if popped is None:
                continue
            messages = []
            for member, _score in popped[1]:
                try:  # one message that does not decode must not cost the others
                    messages.append(self.deserialize(member))
                except Exception:
                    logger.exception("dropped a message on %s that does not decode", channel)
            if messages:
                return messages


class HubInMemoryChannelLayer(InMemoryChannelLayer):
    """channels' in-memory layer (one process) with the same two additions."""

    async def group_send(
        self, group: str, message: dict[str, Any], *, exclude: str | None = None
    ) -> None:
        assert isinstance(message, dict), "Message is not a dict"
        self.require_valid_group_name(group)
        self._clean_expired()
        for channel in list(self.groups.get(group, ())):
            if channel == exclude:
                continue
            try:
                await self.send(channel, message)
            except ChannelFull:
                logger.warning("channel %s of group %s over capacity: dropped", channel, group)

    async def group_send_many(self, sends: Sequence[GroupSend]) -> None:
        for group, message, exclude in sends:
            await self.group_send(group, message, exclude=exclude)

    async def receive_many(self, channel: str, limit: int = RECEIVE_BATCH) -> list[dict[str, Any]]:
        batch = [await self.receive(channel)]
        queue = self.channels.get(channel)
        while queue is not None and not queue.empty() and len(batch) < limit:
            batch.append(queue.get_nowait()[1])
        if queue is not None and queue.empty():
            self.channels.pop(channel, None)
        return batch
