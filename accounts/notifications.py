"""Notifications: something that concerns one user, kept in their list and sent live.

`notification_create` is the one writer: it stores the notification and, after
commit, sends the `notification` frame (PROTOCOL.md) to every connection of the
user, subscribed to a room or not. The reads for the REST list live here too,
beside the one write they mirror.

A notification may be about something (`subject`: a message, an event, a news item)
and quote it. The apps above register, per subject kind, which of a user's subjects
that user may still read (`register_subject`); `notifications_data` quotes only
those: a message since hidden, deleted or in a room the user has left is not quoted
any more (the sentence stays, the words go).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypedDict

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import preferences
from accounts.models import Notification
from accounts.selectors import user_language
from common.errors import not_found
from common.times import iso
from common.validation import clean_id
from realtime import publish

TEXT_MAX = 500
QUOTE_MAX = 200

# subject kind -> (user, ids) -> the ids among them that the user may read now
Readable = Callable[[User, list[int]], set[int]]
_subjects: dict[str, Readable] = {}


def register_subject(kind: str, readable: Readable) -> None:
    """An app says which of its things (`kind`: "message", "event", ...) a user may
    read, for the quotes of that user's notifications about them."""
    _subjects[kind] = readable


class NotificationFrame(TypedDict):
    type: str
    id: int
    kind: str
    text: str
    quote: str
    url: str
    created_at: str | None


def with_quote(text: str, quote: str) -> str:
    """The sentence and the words it quotes, as one text (in the active language)."""
    return _("%(text)s: „%(quote)s“") % {"text": text, "quote": quote} if quote else text


def notification_frame(notification: Notification, *, quote: bool = True) -> NotificationFrame:
    shown = notification.quote if quote else ""
    return {
        "type": "notification",
        "id": notification.pk,
        "kind": notification.kind,
        "text": with_quote(notification.text, shown),
        "quote": shown,
        "url": notification.url,
        "created_at": iso(notification.created_at),
    }


def notifications_data(*, user: User, items: Iterable[Notification]) -> list[dict[str, Any]]:
    """The REST list's (and the page's) notifications: quoting only what `user` may
    still read, asked once per subject kind."""
    items = list(items)
    wanted: dict[str, list[int]] = {}
    for item in items:
        if item.quote and item.subject_kind and item.subject_id is not None:
            wanted.setdefault(item.subject_kind, []).append(item.subject_id)
    readable = {
        kind: (_subjects[kind](user, ids) if kind in _subjects else set())
        for kind, ids in wanted.items()
    }
    rows = []
    for item in items:
        about = item.subject_kind  # nothing it is about: nothing to withdraw
        quoted = not about or item.subject_id in readable.get(about, set())
        row: dict[str, Any] = dict(notification_frame(item, quote=quoted))
        del row["type"]
        rows.append({**row, "read_at": iso(item.read_at)})
    return rows


def notification_create(
    *,
    user: User,
    kind: str,
    text: str,
    url: str = "",
    subject: tuple[str, int] | None = None,
    quote: str = "",
) -> Notification:
    """Store a notification for `user` and send it to their open connections after commit.

    `text` is a finished sentence in the user's language (the caller translates);
    `quote`, the words of `subject` it quotes (shortened here).
    """
    notification = _row(user=user, kind=kind, text=text, url=url, subject=subject, quote=quote)
    notification.save()
    if notification.in_app:
        publish.user_frame_on_commit(
            user_id=user.pk,
            frame=dict(notification_frame(notification)),
        )
    return notification


def notification_list(*, user: User) -> QuerySet[Notification]:
    """The user's notifications: unread first, then newest first."""
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    return (
        Notification.objects.filter(user=user, in_app=True)
        .annotate(unread=unread)
        .order_by("-unread", "-created_at", "-pk")
    )


def notification_mark_read(*, user: User, notification_id: int) -> Notification:
    """Mark one of the user's notifications read (again: changes nothing)."""
    notification_id = clean_id(notification_id, field="id")
    notification = Notification.objects.filter(user=user, in_app=True, pk=notification_id).first()
    if notification is None:
        raise not_found()
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notification_unread_count(*, user: User) -> int:
    """The number in the header's bell."""
    return Notification.objects.filter(user=user, in_app=True, read_at__isnull=True).count()


def notification_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the user read; returns how many were unread."""
    return Notification.objects.filter(user=user, in_app=True, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notify_many(
    *,
    users: Iterable[User],
    kind: str,
    text: Callable[[], str],
    url: str = "",
    subject: tuple[str, int] | None = None,
    quote: str = "",
) -> int:
    """`notify` for many people at once (an initiative's followers): one sentence per
    language, one INSERT for all, a frame to each after commit. Returns how many."""
    by_language: dict[str, list[User]] = {}
    for user in users:
        by_language.setdefault(user_language(user) or settings.LANGUAGE_CODE, []).append(user)
    rows = []
    for language, people in by_language.items():
        with translation.override(language):
            sentence = text()
        made = (
            _row(user=user, kind=kind, text=sentence, url=url, subject=subject, quote=quote)
            for user in people
        )
        rows += [row for row in made if row.in_app or row.by_mail]  # wanted somewhere
    for notification in Notification.objects.bulk_create(rows):
        if notification.in_app:
            with translation.override(user_language(notification.user) or settings.LANGUAGE_CODE):
                frame = dict(notification_frame(notification))
            publish.user_frame_on_commit(user_id=notification.user_id, frame=frame)
    return len(rows)


def _row(
    *, user: User, kind: str, text: str, url: str, subject: tuple[str, int] | None, quote: str
) -> Notification:
    """One notification, not saved yet: its texts shortened to fit, its channels as the
    person chose them (accounts/preferences.py; neither: kept, shown nowhere)."""
    if kind not in Notification.Kind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    wanted = preferences.channels(getattr(user, "profile", None), kind)
    return Notification(
        in_app=wanted["app"],
        by_mail=wanted["email"],
        user=user,
        kind=kind,
        text=_shortened(text, TEXT_MAX),
        url=url,
        subject_kind=subject[0] if subject else "",
        subject_id=subject[1] if subject else None,
        quote=_shortened(" ".join(quote.split()), QUOTE_MAX),
    )


def _shortened(text: str, maximum: int) -> str:
    return text if len(text) <= maximum else text[: maximum - 1] + "…"


def notify(
    *,
    user: User,
    kind: str,
    text: Callable[[], str],
    url: str = "",
    subject: tuple[str, int] | None = None,
    quote: str = "",
) -> Notification:
    """Notify `user` in their own language: `text` is called with it active, so that
    neither the actor's language nor the server's default leaks into it."""
    with translation.override(user_language(user) or settings.LANGUAGE_CODE):
        return notification_create(
            user=user, kind=kind, text=text(), url=url, subject=subject, quote=quote
        )
