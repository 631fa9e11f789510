"""Who a message tells: the members it mentions (`@name`), everyone (`@alle`), and the
people of a thread it replies in. docs/notifications.md has the rules.

Rendering finds the mentions (common.markup.render_with_mentions: never inside code or
a link, only names of active users). After the message is stored, `tell_about_post`
(and, for an edit, `tell_about_edit`) notifies; a `Mention` row per message and person
keeps an edit from notifying twice. Nobody hears of a room they may not read: whom a
message mentions but cannot reach comes back to its author in the `ack`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from accounts.models import Notification
from accounts.notifications import notify, notify_many
from accounts.selectors import display_name_of
from common.markup import Mentions, mention_candidates, render_markdown, render_with_mentions
from initiatives.models import Membership
from rooms import permissions
from rooms.models import Mention, Message, Room
from rooms.restrictions import restrictions

PROFILE_URL = "/personen/{}/"  # the public profile page (frontend)
CANDIDATES_MAX = 50  # names looked up per message


@dataclass(frozen=True)
class Rendered:
    html: str
    mentions: Mentions
    users: dict[str, User]  # lower-case name -> the user it names


@dataclass(frozen=True)
class MentionReport:
    """What the author learns in the `ack` (docs/protocol.md, addition 24)."""

    notified: list[str]
    unreachable: list[str]  # mentioned, but may not read the room: nobody was told
    everyone: str | None  # `@alle`: "notified", "forbidden", "too_large"; None: not used

    def as_frame(self) -> dict[str, Any]:
        return {"notified": self.notified, "unreachable": self.unreachable, "all": self.everyone}


def render_body(body: str) -> Rendered:
    """The message's HTML with its mentions linked (no query without an `@`)."""
    candidates = sorted(mention_candidates(body))[:CANDIDATES_MAX]
    if not candidates:
        return Rendered(render_markdown(body), Mentions(), {})
    users: dict[str, User] = {
        user.username.lower(): user
        for user in User.objects.filter(is_active=True)
        .annotate(lower_name=Lower("username"))
        .filter(lower_name__in=candidates)
        .select_related("profile")
    }
    html, found = render_with_mentions(
        body,
        known={name: user.username for name, user in users.items()},
        link=PROFILE_URL.format,
    )
    return Rendered(html, found, users)


def tell_about_post(
    *, message: Message, rendered: Rendered, root: Message | None
) -> MentionReport | None:
    """After a new message is stored: notify whom it mentions, then the thread's people."""
    report = None
    told: set[int] = set()
    if rendered.mentions.users or rendered.mentions.everyone:
        report, told = _tell_mentioned(message, rendered)
    if root is not None:
        _tell_thread(message, root, skip=told)
    return report


def tell_about_edit(*, message: Message, rendered: Rendered) -> None:
    """After an edit: only whom the new text mentions for the first time."""
    if rendered.mentions.users or rendered.mentions.everyone:
        _tell_mentioned(message, rendered)


def _tell_mentioned(message: Message, rendered: Rendered) -> tuple[MentionReport, set[int]]:
    room, author = message.room, message.author
    named = {rendered.users[name.lower()] for name in rendered.mentions.users} - {author}
    readers = _readers(room, named)
    targets = {user for user in named if user.pk in readers}
    everyone = None
    if rendered.mentions.everyone:
        everyone = _everyone_allowed(author, room)
        if everyone == "notified":
            members = User.objects.filter(
                pk__in=Membership.objects.filter(initiative=room.initiative).values("user_id"),
                is_active=True,
            ).exclude(pk=author.pk)
            everyone_readers = _readers(room, set(members))
            targets |= {user for user in members if user.pk in everyone_readers}
    new = _first_mentions(message, targets)
    name, title = display_name_of(author), room.title
    # One batch per sentence (an `@alle` reaches up to MENTION_ALL_MAX people).
    for people, sentence in (
        ([u for u in new if u in named], lambda: _("%(name)s hat dich in „%(room)s“ erwähnt")),
        ([u for u in new if u not in named], lambda: _("%(name)s hat alle in „%(room)s“ erwähnt")),
    ):
        if people:
            notify_many(
                users=people,
                kind=Notification.Kind.MENTION,
                text=lambda sentence=sentence: sentence() % {"name": name, "room": title},  # type: ignore[misc]
                url=f"/raeume/{room.pk}/",
                subject=("message", message.pk),
                quote=message.body,
            )
    report = MentionReport(
        notified=sorted(user.username for user in named if user.pk in readers),
        unreachable=sorted(user.username for user in named if user.pk not in readers),
        everyone=everyone,
    )
    return report, {user.pk for user in targets}


def _tell_thread(message: Message, root: Message, *, skip: set[int]) -> None:
    """Everyone who wrote in the thread (its root included), but the author and those
    the reply mentions (they heard already), and only while they may read the room."""
    writers = set(
        Message.objects.filter(thread=root, deleted_at__isnull=True).values_list(
            "author_id", flat=True
        )
    )
    if root.deleted_at is None:
        writers.add(root.author_id)
    writers -= skip | {message.author_id}
    if not writers:
        return
    people = set(User.objects.filter(pk__in=writers, is_active=True).select_related("profile"))
    readers = _readers(message.room, people)
    name, title = display_name_of(message.author), message.room.title
    for user in people:
        if user.pk in readers:
            notify(
                user=user,
                kind=Notification.Kind.REPLY,
                text=lambda: (
                    _("%(name)s hat in „%(room)s“ in einem Thread geantwortet, in dem du schreibst")
                    % {"name": name, "room": title}
                ),
                url=f"/raeume/{message.room_id}/",
                subject=("message", message.pk),
                quote=message.body,
            )


def _readers(room: Room, users: set[User]) -> set[int]:
    """The ids of `users` who may read `room` now (members-only rooms, bans)."""
    return {
        user.pk
        for user in users
        if permissions.can_read_room(user, room)
        and not restrictions.get().ban_state(user, room).active
    }


def _everyone_allowed(author: User, room: Room) -> str:
    """`@alle` tells an initiative room's members, if its author looks after the room
    and the initiative has at most MENTION_ALL_MAX members; a city-wide room has no
    member list to tell."""
    if not permissions.can_moderate_room(author, room):
        return "forbidden"
    if room.initiative is None:
        return "too_large"
    members = Membership.objects.filter(initiative=room.initiative).count()
    return "notified" if members <= int(settings.KLIMA["MENTION_ALL_MAX"]) else "too_large"


def _first_mentions(message: Message, users: set[User]) -> list[User]:
    """Record the mentions of `message`; returns the users it had not mentioned before."""
    already = set(
        Mention.objects.filter(message=message, user__in=users).values_list("user_id", flat=True)
    )
    new = [user for user in users if user.pk not in already]
    Mention.objects.bulk_create(
        [Mention(message=message, user=user) for user in new], ignore_conflicts=True
    )
    return new


def readable_messages(user: User, ids: list[int]) -> set[int]:
    """Which of these messages `user` may read now (the quotes of their notifications)."""
    sees_hidden = permissions.sees_hidden_content(user)
    rooms: dict[int, bool] = {}
    readable = set()
    for message in Message.objects.filter(pk__in=ids, deleted_at__isnull=True).select_related(
        "room__initiative"
    ):
        if message.hidden_at is not None and not sees_hidden:
            continue
        if message.room_id not in rooms:
            rooms[message.room_id] = bool(_readers(message.room, {user}))
        if rooms[message.room_id]:
            readable.add(message.pk)
    return readable
