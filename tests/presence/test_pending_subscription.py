"""Presence frames that reach a connection while its `subscribed` is not sent yet.

Over Redis the announcement of a user's own arrival can reach their connection after
it has read the presence snapshot (which has them already): it must not follow the
snapshot as a stale per-user frame. Frames about others in that window are kept and
sent right after `subscribed`, so no change is lost."""

from __future__ import annotations

from realtime.websocket import SharedText
from rooms.consumers import ProtocolConsumer
from rooms.subscriptions import Subscription


def _subscribing(user_id: int, room_id: int) -> ProtocolConsumer:
    consumer = ProtocolConsumer()
    consumer.user_id = user_id
    consumer.subscriptions = {room_id: Subscription()}
    return consumer


def test_the_users_own_arrival_is_not_kept_for_after_the_snapshot() -> None:
    consumer = _subscribing(user_id=5, room_id=1)

    consumer.deliver_ephemeral(1, SharedText('{"type":"presence"}'), about_user=5)

    assert consumer.subscriptions[1].buffer == []


def test_changes_of_others_and_counts_are_kept_in_order() -> None:
    consumer = _subscribing(user_id=5, room_id=1)

    other, counts = SharedText("other"), SharedText("counts")
    consumer.deliver_ephemeral(1, other, about_user=6)
    consumer.deliver_ephemeral(1, counts, about_user=None)

    assert consumer.subscriptions[1].buffer == [other, counts]
