"""Who may post and change the community's contributions: the one place these rules live.

- News: the leads of an initiative for it; city-wide news: the site moderators.
- Lifehacks: anyone signed in.
- Offers: organisations that a site moderator has verified (accounts: Profile.verified_at).
- Needs: the leads of the initiative (and the site moderators).
- Taking something down again: its author, and whoever may post it in that place.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, User

from accounts.selectors import is_moderator
from initiatives.models import Initiative
from initiatives.permissions import can_moderate_in

AnyUser = User | AnonymousUser


def is_member(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_post_news(user: AnyUser, initiative: Initiative | None) -> bool:
    if initiative is None:
        return is_moderator(user)
    return can_moderate_in(user, initiative)


def can_post_offer(user: AnyUser) -> bool:
    profile = getattr(user, "profile", None)
    return is_member(user) and profile is not None and profile.is_verified_organisation


def can_post_need(user: AnyUser, initiative: Initiative) -> bool:
    return can_moderate_in(user, initiative)


def can_remove(user: AnyUser, item: Any) -> bool:
    """Who takes it down, or changes a news item's picture: the author, or who looks
    after the place it was posted in (leads of its initiative, the site moderators)."""
    if not is_member(user):
        return False
    if item.author_id == user.pk:
        return True
    return can_moderate_in(user, getattr(item, "initiative", None))
