"""Helpers for the rooms tests: posts through the service, reads of what is committed, and
the exact field sets of PROTOCOL.md (the websocket client: tests/ws.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from asgiref.sync import sync_to_async
from django.contrib.auth.models import User
from django.db import connection, transaction

from rooms import services
from rooms.models import Room
from rooms.services import Posted
from tests.ws import cid

T = TypeVar("T")

SUBSCRIBED_FIELDS = {
    "type",
    "room",
    "seq",
    "messages",
    "more",
    "reset",
    "presence",
    "unread",
    "you",
}
EVENT_FIELDS = {"type", "room", "seq", "event", "data"}
REPLAY_ITEM_FIELDS = {"seq", "event", "data"}
MESSAGE_FIELDS = {
    "id",
    "room",
    "thread",
    "author",
    "body",
    "html",
    "created_at",
    "edited_at",
    "hidden",
    "deleted",
    "reactions",
    "reply_count",
    "client_id",
}
USER_FIELDS = {"id", "username", "display_name"}


async def committed(fn: Callable[[], T]) -> T:
    """Run `fn` on a new thread with its own database connection: it sees only what
    is committed."""

    def run() -> T:
        try:
            return fn()
        finally:
            connection.close()

    return await sync_to_async(run, thread_sensitive=False)()


def post(user: User, room: Room, body: str = "Hallo", **extra: Any) -> Posted:
    """Post through the service (as socket and REST do)."""
    return services.message_post(
        user=user, room_id=room.pk, body=body, client_id=extra.pop("client_id", cid()), **extra
    )


def post_many(user: User, room: Room, n: int) -> list[Posted]:
    """n messages "Nachricht 1".."Nachricht n", committed together (fast on PostgreSQL)."""
    with transaction.atomic():
        return [post(user, room, f"Nachricht {i}") for i in range(1, n + 1)]
