"""A connection's room subscriptions: the `subscribed` snapshot, and which of a room's
live events and notices each subscription still needs (PROTOCOL.md, Replay and
catch-up).

The hub (realtime/hub.py) delivers a room's events to every local subscriber in seq
order. A subscription passes on those it has not sent yet: while its `subscribed`
is being prepared, what arrives waits in its buffer; a replay that had `more`
pauses it until the client subscribes again with the last seq it received.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User

from accounts.selectors import PublicUser
from presence.services import PresenceKeeper, get_keeper
from realtime.connection import Connection
from realtime.hub import Hub, get_hub
from realtime.streams import Event
from realtime.websocket import SharedText
from rooms import async_services, frames


@dataclass
class Subscription:
    """One room on this connection. While `pending` (its `subscribed` is not sent yet)
    live events and presence/typing frames (which have no seq) wait in `buffer`;
    `paused` (replay had `more`) drops events until the client subscribes again."""

    last_seq: int = 0
    pending: bool = True
    paused: bool = False
    buffer: list[Event | SharedText] = field(default_factory=list)

    def due(self, event: Event) -> bool:
        """Whether the connection still needs `event` (not paused, not sent yet)."""
        return not self.paused and event.seq > self.last_seq


class SubscribingConnection(Connection):
    """The rooms part of a protocol connection (rooms/consumers.py fills in the user)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user: User | None = None  # None until the handshake proved someone
        self.user_id = 0
        self.public_user: PublicUser | None = None
        self.sees_hidden = False  # a moderator: events with hidden text
        self.activity = "active"  # what the client last reported with `presence`
        self.subscriptions: dict[int, Subscription] = {}

    @property
    def hub(self) -> Hub:
        return get_hub()

    @property
    def keeper(self) -> PresenceKeeper:
        return get_keeper()

    async def subscribe(self, room_id: int, since: int | None, ref: Any) -> None:
        """Subscribe (again) to the room; nothing half-done stays behind on failure."""
        resubscribe = room_id in self.subscriptions
        self.drop_queued(room_id)  # the new `subscribed` covers them
        subscription = Subscription()
        self.subscriptions[room_id] = subscription
        try:
            await self._subscribe(room_id, since, subscription, resubscribe, ref)
        except BaseException as exc:
            if self.subscriptions.get(room_id) is subscription:
                del self.subscriptions[room_id]
                await self.hub.leave_room(room_id, self)
                await self.keeper.leave(room_id, self.connection_id, grace=False)
                if resubscribe and getattr(exc, "code", None) in {"forbidden", "not_found"}:
                    await self.send_frame(
                        frames.unsubscribed(room=room_id, reason="access_revoked")
                    )
            raise

    async def _subscribe(
        self,
        room_id: int,
        since: int | None,
        subscription: Subscription,
        resubscribe: bool,
        ref: Any,
    ) -> None:
        assert self.user is not None and self.public_user is not None
        # Join the room's stream before reading the log, so no event slips between.
        stream = await self.hub.join_room(room_id, self)
        snapshot = await async_services.subscription_snapshot(
            user=self.user, room_id=room_id, since=since
        )
        if not resubscribe:
            await self.keeper.join(room_id, self.connection_id, self.public_user, self.activity)
        present = await self.keeper.snapshot(room_id)
        replay = snapshot.replay
        stream.anchor(replay.seq)
        subscription.last_seq = replay.events[-1]["seq"] if replay.more else replay.seq
        subscription.paused = replay.more
        await self.send_frame(
            frames.subscribed(
                room=room_id,
                seq=replay.seq,
                messages=replay.events,
                more=replay.more,
                reset=replay.reset,
                presence=present.presence,
                presence_counts=present.counts,
                unread=snapshot.unread,
                you=snapshot.you,
                ref=ref,
            )
        )
        for item in subscription.buffer:
            if not isinstance(item, Event):
                self.deliver(item, room_id)
            elif subscription.due(item):
                subscription.last_seq = item.seq
                self.deliver(self._audience(item), room_id)
        subscription.buffer.clear()
        subscription.pending = False
        await stream.flush()

    async def end_subscription(self, room_id: int, reason: str, ref: Any = None) -> None:
        """Leave the room's stream and its presence, and say so with `unsubscribed`."""
        if self.subscriptions.pop(room_id, None) is not None:
            self.drop_queued(room_id)
            await self.hub.leave_room(room_id, self)
            # Leaving on request may be a quick tab switch; a ban or lost access is not.
            await self.keeper.leave(room_id, self.connection_id, grace=reason == "requested")
        elif reason != "requested":
            return  # another control ended it meanwhile and said so (one `unsubscribed`)
        await self.send_frame(frames.unsubscribed(room=room_id, reason=reason, ref=ref))

    # --- deliveries from the hub ----------------------------------------------------
    # None of these waits: the hub hands every local subscriber its frame in one pass,
    # and a socket that cannot take it now must not hold up the room for the others.
    def deliver_room_event(self, room_id: int, event: Event) -> None:
        subscription = self.subscriptions.get(room_id)
        if subscription is None:
            return
        if subscription.pending:
            subscription.buffer.append(event)
        elif subscription.due(event):
            subscription.last_seq = event.seq
            self.deliver(self._audience(event), room_id)

    def _audience(self, event: Event) -> SharedText:
        """Moderators get the variant with hidden text where the event has one."""
        return (event.text_mod if self.sees_hidden else None) or event.text

    def deliver_ephemeral(self, room_id: int, text: SharedText, about_user: int | None) -> None:
        subscription = self.subscriptions.get(room_id)
        if subscription is None:
            return
        if subscription.pending:
            # A change right after the snapshot must not be lost, but the announcement
            # of this user's own arrival is in it already (and may come late over Redis).
            if about_user != self.user_id:
                subscription.buffer.append(text)
            return
        self.deliver(text, room_id)
