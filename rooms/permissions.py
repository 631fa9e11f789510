"""Who may read, post in, create and moderate rooms and messages: the one place for these rules.

Plain predicates `(user, ...) -> bool`; services turn a refusal into the
protocol's error, REST and the websocket use the same services.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.utils import timezone

from accounts.selectors import is_moderator
from initiatives import permissions as initiative_rules
from initiatives.models import Initiative
from rooms.models import Message, Room

AnyUser = User | AnonymousUser


def can_read_room(user: AnyUser, room: Room) -> bool:
    """Signed-in users read open rooms; members-only rooms need membership (or moderation)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if not room.members_only or room.initiative is None:
        return True
    return initiative_rules.is_member(user, room.initiative) or is_moderator(user)


def is_read_only(room: Room) -> bool:
    """Archived rooms, and every room of an archived initiative, take no new content."""
    return room.archived or (
        room.initiative is not None and room.initiative.status == Initiative.Status.ARCHIVED
    )


def can_post(user: AnyUser, room: Room) -> bool:
    return can_read_room(user, room) and not is_read_only(room)


def can_moderate_room(user: AnyUser, room: Room) -> bool:
    """Site moderators everywhere; leads in their initiative's rooms (the one rule:
    initiatives.permissions.can_moderate_in)."""
    return initiative_rules.can_moderate_in(user, room.initiative)


def can_create_room(user: AnyUser, initiative: Initiative) -> bool:
    return initiative_rules.can_edit_initiative(user, initiative) and (
        initiative.status != Initiative.Status.ARCHIVED
    )


def edit_window() -> timedelta:
    return timedelta(seconds=settings.KLIMA["EDIT_WINDOW_SECONDS"])


def can_edit_message(user: AnyUser, message: Message) -> bool:
    """Authors edit their own live messages within the edit window."""
    return (
        user.is_authenticated
        and message.author_id == user.pk
        and message.deleted_at is None
        and message.hidden_at is None
        and timezone.now() - message.created_at <= edit_window()
    )


def can_delete_message(user: AnyUser, message: Message) -> bool:
    """The author, or a site moderator, deletes."""
    return user.is_authenticated and (message.author_id == user.pk or is_moderator(user))


def sees_hidden_content(user: AnyUser) -> bool:
    """Site moderators see hidden text, with who hid it and why."""
    return is_moderator(user)


def room_role(user: AnyUser, room: Room) -> str | None:
    """The `you.role` of the protocol: moderator, lead, member, or None."""
    if is_moderator(user):
        return "moderator"
    if room.initiative is None:
        return None
    return initiative_rules.role_in(user, room.initiative)
