"""Reads about users: the public shape of a user and who is a moderator."""

from __future__ import annotations

from typing import TypedDict

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
