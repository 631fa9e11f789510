"""The signed-in user of a request, typed, for views behind IsAuthenticated."""

from __future__ import annotations

from django.contrib.auth.models import User
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request


def current_user(request: Request) -> User:
    """`request.user` as a real user; anonymous requests get DRF's 401 (or 403)."""
    user = request.user
    if not isinstance(user, User) or not user.is_active:
        raise NotAuthenticated()
    return user
