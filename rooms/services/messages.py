"""Posting, editing and deleting messages: one path for the websocket and REST alike."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common import ratelimit
from common.errors import DomainError, forbidden, not_found
from common.validation import clean_optional_id
from rooms import grants, permissions, selectors
from rooms.models import Message, Revision, Room, RoomEvent
from rooms.restrictions import ensure_not_muted
from rooms.services import events, mentions
from rooms.services.validation import clean_body, clean_client_id


@dataclass(frozen=True)
class Posted:
    """The stored message and its `message.created` seq (what `ack` reports), and for a
    new message with mentions, whom they reached (`ack.mentions`)."""

    message: Message
    seq: int
    created: bool
    mentions: mentions.MentionReport | None = None


def _ensure_may_write(user: User, room: Room) -> None:
    """The rules for any change to what a room shows (post, edit), in this order:
    the room takes new content, the user may post there, no mute. (No ban either:
    `selectors.access_room`, which every writer calls first, refuses banned users;
    a post with a valid grant, rooms/grants.py, skips both: the grant stands for them.)"""
    if permissions.is_read_only(room):
        raise forbidden(_("Dieser Raum ist archiviert: hier kann man nur noch lesen."))
    if not permissions.can_post(user, room):
        raise forbidden()
    ensure_not_muted(user, room)


def _ensure_may_post_here(user: User, room: Room, thread_id: int | None) -> Message | None:
    """Every rule that can refuse a post, in one place (socket and REST), in this order:
    read-only, permission, ban, mute (`_ensure_may_write`, or a grant that remembers it:
    rooms/grants.py), then here thread root, slow mode, rate limit. The rate limit
    comes last because it counts the post: a post refused for any other reason costs no
    slot. Returns the thread root the post replies to (None: a new topic)."""
    root = _thread_root(room, thread_id, user)
    _ensure_slow_mode_allows(user, room)
    ratelimit.ensure_post_rate(user.pk)
    return root


def _ensure_slow_mode_allows(user: User, room: Room) -> None:
    if not room.slow_mode_seconds or permissions.can_moderate_room(user, room):
        return
    last = (
        Message.objects.filter(room=room, author=user)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if last is None:
        return
    remaining = room.slow_mode_seconds - (timezone.now() - last).total_seconds()
    if remaining > 0:
        raise DomainError(
            "slow_mode",
            _("Langsamer Modus: du kannst hier nur alle %(n)d Sekunden schreiben.")
            % {"n": room.slow_mode_seconds},
            retry_after=math.ceil(remaining),
        )


def _thread_root(room: Room, thread_id: int | None, user: User) -> Message | None:
    """The root a reply attaches to; replies to a reply attach to its root."""
    if thread_id is None:
        return None
    root = selectors.access_message(room=room, message_id=thread_id)
    if root.thread_id is not None:
        root = selectors.access_message(room=room, message_id=root.thread_id)
    if root.deleted_at is not None or (
        root.hidden_at is not None and not permissions.sees_hidden_content(user)
    ):
        raise not_found()
    return root


def message_post(
    *, user: User, room_id: Any, body: Any, client_id: Any, thread_id: Any = None
) -> Posted:
    """Store a message, log `message.created` with the room's next seq, announce it after
    commit. Idempotent by (user, client_id): a retry returns the stored message."""
    client_id = clean_client_id(client_id)
    thread_id = clean_optional_id(thread_id, field="thread")
    room, made_under = grants.granted_room(user.pk, room_id)
    granted = room is not None
    if room is None:
        room = selectors.access_room(user=user, room_id=room_id)
    try:
        body = clean_body(body)
        rendered = mentions.render_body(body)
        # The checks only read: what writes (and locks the room's row) is one step at
        # the end, atomic by itself (events.log_new_message).
        if not granted:  # the full check, then a grant that remembers it
            _ensure_may_write(user, room)
            if made_under is not None:
                grants.remember(user.pk, room, made_under)
        root = _ensure_may_post_here(user, room, thread_id)
        message = Message(
            room=room, author=user, thread=root, body=body, html=rendered.html, client_id=client_id
        )
        seq = events.log_new_message(message=message)
    except (IntegrityError, DomainError):
        # A retry (same client_id) of a stored post gets the first answer again, even
        # where a rule would refuse a new post now (slow mode, a mute since then). The
        # unique (author, client_id) constraint finds it: almost every post is new, and
        # a lookup before each one was a query per post (bench: docs/performance.md).
        existing = _already_posted(user, client_id)
        if existing is None:
            raise
        return existing
    report = mentions.tell_about_post(message=message, rendered=rendered, root=root)
    return Posted(message=message, seq=seq, created=True, mentions=report)


def _already_posted(user: User, client_id: str) -> Posted | None:
    pk = (
        Message.objects.filter(author_id=user.pk, client_id=client_id)
        .values_list("pk", flat=True)
        .first()
    )
    if pk is None:
        return None
    message = Message.objects.select_related("author__profile", "room").get(pk=pk)
    return Posted(message=message, seq=message.seq, created=False)


def message_edit(*, user: User, room_id: Any, message_id: Any, body: Any) -> Message:
    """The author changes the text within the edit window; the old text becomes a revision."""
    room = selectors.access_room(user=user, room_id=room_id)
    body = clean_body(body)
    with transaction.atomic():
        message = events.message_lock(room=room, message_id=message_id)
        if message.deleted_at is not None:
            raise not_found()
        if not permissions.can_edit_message(user, message):
            if message.author_id != user.pk:
                raise forbidden(_("Nur wer eine Nachricht geschrieben hat, kann sie bearbeiten."))
            raise forbidden(_("Diese Nachricht kann nicht mehr bearbeitet werden."))
        # Not slow mode or the rate limit: fixing a typo is not posting again.
        _ensure_may_write(user, room)
        if body == message.body:
            return message
        Revision.objects.create(message=message, body=message.body)
        rendered = mentions.render_body(body)
        message.body = body
        message.html = rendered.html
        message.edited_at = timezone.now()
        message.save(update_fields=["body", "html", "edited_at"])
        events.message_event(message=message, kind=RoomEvent.Kind.MESSAGE_EDITED)
        mentions.tell_about_edit(message=message, rendered=rendered)
    return message


def message_delete(*, user: User, room_id: Any, message_id: Any) -> Message:
    """The author or a moderator deletes. The text is erased (revisions too); the message
    keeps its place in the room as deleted. Deleting twice changes nothing."""
    room = selectors.access_room(user=user, room_id=room_id)
    with transaction.atomic():
        message = events.message_lock(room=room, message_id=message_id)
        if not permissions.can_delete_message(user, message):
            raise forbidden(_("Nur wer eine Nachricht geschrieben hat, kann sie löschen."))
        if message.deleted_at is not None:
            return message
        message.deleted_at = timezone.now()
        message.body = ""
        message.html = ""
        message.save(update_fields=["deleted_at", "body", "html"])
        message.revisions.all().delete()
        events.message_event(message=message, kind=RoomEvent.Kind.MESSAGE_DELETED)
    return message
