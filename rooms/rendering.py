"""Messages and rooms as the protocol shows them (`data` of events, REST objects).

One renderer for live events, replay and REST, so a fresh fetch always equals
old state plus events. Rendering is per audience: moderators see hidden text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any, TypedDict

from django.db.models import Count

from accounts.selectors import PublicUser, public_user
from common.times import iso
from rooms.models import Message, Reaction, Room


class MessageData(TypedDict, total=False):
    id: int
    room: int
    thread: int | None
    author: PublicUser
    body: str | None
    html: str | None
    created_at: str | None
    edited_at: str | None
    hidden: bool
    deleted: bool
    reactions: dict[str, int]
    reply_count: int
    client_id: str
    hidden_reason: str
    seq: int


def reaction_counts(message_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """{message id: {emoji: count}} in one query."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        Reaction.objects.filter(message_id__in=list(message_ids))
        .values("message_id", "emoji")
        .annotate(n=Count("id"))
        .order_by("message_id", "emoji")
    )
    for row in rows:
        counts[row["message_id"]][row["emoji"]] = row["n"]
    return counts


def message_data(
    message: Message, reactions: dict[str, int], *, for_moderator: bool
) -> MessageData:
    """The message as it is now, for one audience (PROTOCOL.md, Events)."""
    hidden = message.hidden_at is not None
    deleted = message.deleted_at is not None
    shows_text = not deleted and (not hidden or for_moderator)
    data: MessageData = {
        "id": message.pk,
        "room": message.room_id,
        "thread": message.thread_id,
        "author": public_user(message.author),
        "body": message.body if shows_text else None,
        "html": message.html if shows_text else None,
        "created_at": iso(message.created_at),
        "edited_at": iso(message.edited_at),
        "hidden": hidden,
        "deleted": deleted,
        "reactions": reactions if not deleted else {},
        "reply_count": message.reply_count,
        "client_id": message.client_id,
    }
    if hidden and for_moderator:
        data["hidden_reason"] = message.hidden_reason
    return data


def message_variants(
    message: Message, *, new: bool = False
) -> tuple[MessageData, MessageData | None]:
    """(what everyone sees, what moderators see where it differs, else None). A `new`
    message has no reactions yet, which saves the query on the posting path."""
    reactions = {} if new else reaction_counts([message.pk]).get(message.pk, {})
    public = message_data(message, reactions, for_moderator=False)
    if message.hidden_at is None or message.deleted_at is not None:
        return public, None
    return public, message_data(message, reactions, for_moderator=True)


def messages_data(messages: list[Message], *, for_moderator: bool) -> list[MessageData]:
    """Many messages with two queries in all (messages come with author and profile)."""
    counts = reaction_counts(m.pk for m in messages)
    return [message_data(m, counts.get(m.pk, {}), for_moderator=for_moderator) for m in messages]


def room_data(room: Room, *, unread: int | None = None) -> dict[str, Any]:
    initiative = room.initiative
    data: dict[str, Any] = {
        "id": room.pk,
        "title": room.title,
        "initiative": (
            {"id": initiative.pk, "slug": initiative.slug, "title": initiative.title}
            if initiative
            else None
        ),
        "members_only": room.members_only,
        "slow_mode_seconds": room.slow_mode_seconds,
        "archived": room.archived,
        "last_seq": room.last_seq,
    }
    if unread is not None:
        data["unread"] = unread
    return data
