"""Reads about users: the public shape of a user and who is a moderator."""

from __future__ import annotations

from typing import Any, TypedDict

from django.contrib.auth.models import AnonymousUser, User

MODERATORS_GROUP = "moderators"


class PublicUser(TypedDict):
    """What anyone may learn about a user (PROTOCOL.md: id, username, display_name)."""

    id: int
    username: str
    display_name: str


def display_name_of(user: User) -> str:
    profile = getattr(user, "profile", None)
    return (profile.display_name if profile else "") or user.get_username()


def public_user(user: User) -> PublicUser:
    return {"id": user.pk, "username": user.get_username(), "display_name": display_name_of(user)}


def is_moderator(user: User | AnonymousUser) -> bool:
    """Site moderators are the members of the group `moderators` (and superusers)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if getattr(user, "is_superuser", False):
        return True
    return bool(user.groups.filter(name=MODERATORS_GROUP).exists())


def user_language(user: User | AnonymousUser) -> str | None:
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    return profile.language if profile else None


def users_of_group_change(*, instance: Any, action: str, reverse: bool, pk_set: Any) -> list[int]:
    """The users whose groups an `m2m_changed` of `User.groups` changed (or is about to:
    a clear of a group's users tells who, only before). `instance` is the user, or
    for `group.user_set`, the group, with the users in `pk_set`."""
    if not reverse:
        return [instance.pk] if action.startswith("post_") else []
    if action == "pre_clear":
        return list(instance.user_set.values_list("pk", flat=True))
    if action in ("post_add", "post_remove"):
        return list(pk_set or [])
    return []
