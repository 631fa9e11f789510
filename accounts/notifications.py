"""Notifications: something that concerns one user, kept in their list and sent live.

`notification_create` is the one writer: it stores the notification and, after
commit, sends the `notification` frame (PROTOCOL.md) to every connection of the
user, subscribed to a room or not. The reads for the REST list live here too,
beside the one write they mirror.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypedDict

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone, translation

from accounts.models import Notification
from accounts.selectors import user_language
from common.errors import not_found
from common.times import iso
from common.validation import clean_id
from realtime import publish

TEXT_MAX = 500


class NotificationFrame(TypedDict):
    type: str
    id: int
    kind: str
    text: str
    url: str
    created_at: str | None


def notification_frame(notification: Notification) -> NotificationFrame:
    return {
        "type": "notification",
        "id": notification.pk,
        "kind": notification.kind,
        "text": notification.text,
        "url": notification.url,
        "created_at": iso(notification.created_at),
    }


def notification_create(*, user: User, kind: str, text: str, url: str = "") -> Notification:
    """Store a notification for `user` and send it to their open connections after commit.

    `text` is a finished sentence in the user's language (the caller translates).
    """
    if kind not in Notification.Kind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    if len(text) > TEXT_MAX:
        text = text[: TEXT_MAX - 1] + "…"
    notification = Notification.objects.create(user=user, kind=kind, text=text, url=url)
    publish.user_frame_on_commit(
        user_id=user.pk,
        frame=dict(notification_frame(notification)),
    )
    return notification


def notification_list(*, user: User) -> QuerySet[Notification]:
    """The user's notifications: unread first, then newest first."""
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    return (
        Notification.objects.filter(user=user)
        .annotate(unread=unread)
        .order_by("-unread", "-created_at", "-pk")
    )


def notification_mark_read(*, user: User, notification_id: int) -> Notification:
    """Mark one of the user's notifications read (again: changes nothing)."""
    notification_id = clean_id(notification_id, field="id")
    notification = Notification.objects.filter(user=user, pk=notification_id).first()
    if notification is None:
        raise not_found()
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notification_unread_count(*, user: User) -> int:
    """The number in the header's bell."""
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the user read; returns how many were unread."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notify(*, user: User, kind: str, text: Callable[[], str], url: str = "") -> Notification:
    """Notify `user` in their own language: `text` is called with it active, so that
    neither the actor's language nor the server's default leaks into it."""
    with translation.override(user_language(user) or settings.LANGUAGE_CODE):
        return notification_create(user=user, kind=kind, text=text(), url=url)
