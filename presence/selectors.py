"""Reads for presence: the public face of the users in a room's snapshot."""

from __future__ import annotations

from django.contrib.auth.models import User

from accounts.selectors import PublicUser, public_user


def public_users(*, user_ids: list[int]) -> dict[int, PublicUser]:
    users = User.objects.filter(pk__in=user_ids, is_active=True).select_related("profile")
    return {user.pk: public_user(user) for user in users}
