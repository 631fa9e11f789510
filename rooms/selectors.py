"""Reads about rooms: lookups that authorize, replay, history, threads, unread counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from common.errors import DomainError, forbidden, not_found
from common.times import iso
from common.validation import clean_id
from initiatives.models import Initiative, Membership
from realtime.messages import RoomEventMessage, room_event
from rooms import permissions
from rooms.models import Message, ReadState, Room, RoomEvent
from rooms.rendering import message_data, message_variants, reaction_counts, room_data
from rooms.restrictions import ensure_not_banned, restrictions

AnyUser = User | AnonymousUser

REPLAY_LATEST = 50  # subscribe without `since`
REPLAY_MAX = 500  # events per `subscribed` with `since`; `more` says there are more
REPLAY_RESET_AFTER = 5000  # `since` further behind: answer as without `since`, `reset`


def access_room(*, user: AnyUser, room_id: Any) -> Room:
    """The room if `user` may read it. Unknown rooms are `not_found`; members-only rooms
    of an initiative the user is not in are `forbidden`."""
    try:
        room = Room.objects.select_related("initiative").get(pk=clean_id(room_id, field="room"))
    except Room.DoesNotExist:
        raise not_found() from None
    if not permissions.can_read_room(user, room):
        raise forbidden(_("Dieser Raum ist nur für Mitglieder der Initiative."))
    # A ban keeps its person out of the room altogether: no reading, no subscribing.
    ensure_not_banned(user, room)
    return room


def may_read_room(*, user: AnyUser, room_id: int) -> bool:
    """Whether `user` may (still) read the room: checked again when access changes."""
    try:
        access_room(user=user, room_id=room_id)
    except DomainError:
        return False
    return True


def access_message(*, room: Room, message_id: Any) -> Message:
    """A message of `room` (the caller has already authorized the room)."""
    try:
        return Message.objects.select_related("author__profile", "room").get(
            pk=clean_id(message_id, field="message"), room=room
        )
    except Message.DoesNotExist:
        raise not_found() from None


def _messages() -> QuerySet[Message]:
    return Message.objects.select_related("author", "author__profile")


def _visible_unread(user: User) -> Q:
    """Messages that count as unread: others' live messages (hidden ones only for moderators)."""
    condition = Q(deleted_at__isnull=True) & ~Q(author_id=user.pk)
    if not permissions.sees_hidden_content(user):
        condition &= Q(hidden_at__isnull=True)
    return condition


def unread_count(*, user: User, room: Room) -> int:
    last_read = last_read_seq(user=user, room=room)
    return room.messages.filter(_visible_unread(user), seq__gt=last_read).count()


def public_rooms(*, initiative: Initiative) -> QuerySet[Room]:
    """The rooms of an initiative that anyone may know of (not members-only)."""
    return Room.objects.filter(initiative=initiative, members_only=False).order_by("pk")


def last_read_seq(*, user: User, room: Room) -> int:
    """The user's read mark in the room (0 before the first read)."""
    return (
        ReadState.objects.filter(user_id=user.pk, room=room)
        .values_list("last_read_seq", flat=True)
        .first()
    ) or 0


def room_list(*, user: User) -> QuerySet[Room]:
    """Rooms `user` can read, each with `unread`; city-wide rooms first."""
    last_read = ReadState.objects.filter(user_id=user.pk, room=OuterRef("pk")).values(
        "last_read_seq"
    )[:1]
    unread = (
        Q(messages__deleted_at__isnull=True)
        & ~Q(messages__author_id=user.pk)
        & Q(messages__seq__gt=Coalesce(Subquery(last_read), 0))
    )
    if not permissions.sees_hidden_content(user):
        unread &= Q(messages__hidden_at__isnull=True)
    return (
        readable_rooms(user=user)
        .select_related("initiative")
        .annotate(unread=Count("messages", filter=unread))
        .order_by(F("initiative_id").asc(nulls_first=True), "pk")
    )


def readable_rooms(*, user: AnyUser) -> QuerySet[Room]:
    """The rooms `user` may read (permissions.can_read_room, and no ban), as a query:
    nobody's when not signed in."""
    if not user.is_authenticated or not user.is_active:
        return Room.objects.none()
    if permissions.sees_hidden_content(user):
        visible = Q()
    else:
        member_of = Membership.objects.filter(user_id=user.pk).values("initiative_id")
        visible = Q(members_only=False) | Q(initiative__isnull=True) | Q(initiative__in=member_of)
    return Room.objects.filter(visible).exclude(restrictions.get().banned_rooms(user))


@dataclass(frozen=True)
class Replay:
    seq: int
    events: list[dict[str, Any]]
    more: bool
    reset: bool


def replay(*, room: Room, since: int | None, for_moderator: bool) -> Replay:
    """What `subscribed` carries (PROTOCOL.md, Replay and catch-up)."""
    latest = Room.objects.filter(pk=room.pk).values_list("last_seq", flat=True).get()
    reset = since is not None and (since > latest or latest - since > REPLAY_RESET_AFTER)
    if since is None or reset:
        # Up to `latest` only: a message committed after it was read comes live, and
        # would come twice if the replay had it too (its seq is above the anchor).
        latest_messages = _messages().filter(room=room, seq__lte=latest)
        recent = list(latest_messages.order_by("-seq")[:REPLAY_LATEST])
        recent.reverse()
        counts = reaction_counts(m.pk for m in recent)
        events = [
            {
                "seq": m.seq,
                "event": RoomEvent.Kind.MESSAGE_CREATED,
                "data": message_data(m, counts.get(m.pk, {}), for_moderator=for_moderator),
            }
            for m in recent
        ]
        return Replay(seq=latest, events=events, more=False, reset=reset)
    window = list(
        RoomEvent.objects.filter(room=room, seq__gt=since, seq__lte=latest).order_by("seq")[
            : REPLAY_MAX + 1
        ]
    )
    more = len(window) > REPLAY_MAX
    window = window[:REPLAY_MAX]
    return Replay(
        seq=latest,
        events=render_events(window, room=room, for_moderator=for_moderator),
        more=more,
        reset=False,
    )


def events_between(*, room_id: int, after: int, upto: int) -> list[RoomEvent]:
    """Log entries after..upto (inclusive), in order: the fan-out fills gaps with them."""
    return list(
        RoomEvent.objects.filter(room_id=room_id, seq__gt=after, seq__lte=upto).order_by("seq")
    )


def render_events(
    events: list[RoomEvent], *, room: Room, for_moderator: bool
) -> list[dict[str, Any]]:
    """Each event rendered from the current state of what it refers to."""
    message_ids = {e.message_id for e in events if e.message_id is not None}
    messages = {m.pk: m for m in _messages().filter(pk__in=message_ids)}
    counts = reaction_counts(message_ids)
    rendered = []
    for event in events:
        if event.message_id is not None:
            data: Any = message_data(
                messages[event.message_id],
                counts.get(event.message_id, {}),
                for_moderator=for_moderator,
            )
        else:
            data = room_data(room)
        rendered.append({"seq": event.seq, "event": event.kind, "data": data})
    return rendered


def history(
    *,
    room: Room,
    before: int | None = None,
    after_seq: int | None = None,
    limit: int = 50,
    for_moderator: bool,
) -> tuple[list[dict[str, Any]], bool]:
    """A page of REST history, oldest first, and whether there is a next page."""
    qs = _messages().filter(room=room)
    if after_seq is not None:
        page = list(qs.filter(seq__gt=after_seq).order_by("seq")[: limit + 1])
        has_next = len(page) > limit
        page = page[:limit]
    else:
        if before is not None:
            qs = qs.filter(seq__lt=Subquery(Message.objects.filter(pk=before).values("seq")[:1]))
        page = list(qs.order_by("-seq")[: limit + 1])
        has_next = len(page) > limit
        page = page[:limit]
        page.reverse()
    return _with_seq(page, for_moderator=for_moderator), has_next


def thread(*, room: Room, root: Message, for_moderator: bool) -> list[dict[str, Any]]:
    """The root message and its replies, oldest first."""
    replies = list(_messages().filter(room=room, thread=root).order_by("seq"))
    return _with_seq([root, *replies], for_moderator=for_moderator)


def message_view(message: Message, *, for_moderator: bool) -> dict[str, Any]:
    """One message as REST shows it: the event `data` plus its `seq`."""
    return _with_seq([message], for_moderator=for_moderator)[0]


def _with_seq(messages: list[Message], *, for_moderator: bool) -> list[dict[str, Any]]:
    counts = reaction_counts(m.pk for m in messages)
    out = []
    for m in messages:
        data = dict(message_data(m, counts.get(m.pk, {}), for_moderator=for_moderator))
        data["seq"] = m.seq
        out.append(data)
    return out


def logged_event_messages(*, room_id: int, after: int, upto: int) -> list[RoomEventMessage]:
    """Channel-layer messages (both audiences) for the log entries after..upto: what the
    fan-out delivers when a broadcast was lost or overtaken."""
    out = []
    room = None
    for event in events_between(room_id=room_id, after=after, upto=upto):
        if event.message_id is not None:
            message = _messages().get(pk=event.message_id)
            public, moderator = message_variants(message)
            data: Any = public
        else:
            room = room or Room.objects.select_related("initiative").get(pk=room_id)
            data, moderator = room_data(room), None
        out.append(
            room_event(
                room_id=room_id, seq=event.seq, kind=event.kind, data=data, moderator_data=moderator
            )
        )
    return out


def latest_seqs(*, room_ids: list[int]) -> dict[int, int]:
    """{room id: last_seq}: one query for every room a worker process serves."""
    return dict(Room.objects.filter(pk__in=room_ids).values_list("pk", "last_seq"))


@dataclass(frozen=True)
class Snapshot:
    """Everything a `subscribed` frame needs, read in one go."""

    room: Room
    replay: Replay
    unread: int
    you: dict[str, Any]


def subscription_snapshot(*, user: User, room_id: int, since: int | None) -> Snapshot:
    """Authorize, then read the room's log for a `subscribe` (with or without `since`,
    an integer >= 0 that the consumer checked)."""
    room = access_room(user=user, room_id=room_id)
    return Snapshot(
        room=room,
        replay=replay(room=room, since=since, for_moderator=permissions.sees_hidden_content(user)),
        unread=unread_count(user=user, room=room),
        you=you_in(user=user, room=room),
    )


def you_in(*, user: AnyUser, room: Room) -> dict[str, Any]:
    """The `you` of `subscribed`: the user's role here, their mute state (`muted_until`
    null while muted means until lifted) and whether they may post."""
    mute = restrictions.get().mute_state(user, room)
    return {
        "role": permissions.room_role(user, room),
        "muted": mute.active,
        "muted_until": iso(mute.until) if mute.active else None,
        "can_post": permissions.can_post(user, room) and not mute.active,
    }


MENTIONABLE_MAX = 8


def mentionable(*, room: Room, prefix: str) -> Sequence[User]:
    """Whom the composer offers after `@` + `prefix`: people who may read the room (an
    initiative's members for its rooms, anyone for a city-wide one) whose user name or
    display name starts with it; the room's own members first, at most 8."""
    people = User.objects.filter(is_active=True).select_related("profile")
    if prefix:
        people = people.filter(
            Q(username__istartswith=prefix) | Q(profile__display_name__istartswith=prefix)
        )
    if room.initiative_id is not None:
        members = Membership.objects.filter(initiative_id=room.initiative_id).values("user_id")
        if room.members_only:
            people = people.filter(pk__in=members)
        else:  # members first, then others who may read an open room
            people = people.annotate(
                is_member=Count("memberships", filter=Q(memberships__initiative=room.initiative_id))
            ).order_by("-is_member", "username")
            return [u for u in people[: MENTIONABLE_MAX * 2] if _may_read(u, room)][
                :MENTIONABLE_MAX
            ]
    return [u for u in people.order_by("username")[: MENTIONABLE_MAX * 2] if _may_read(u, room)][
        :MENTIONABLE_MAX
    ]


def _may_read(user: User, room: Room) -> bool:
    return (
        permissions.can_read_room(user, room)
        and not restrictions.get().ban_state(user, room).active
    )
