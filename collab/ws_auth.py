"""Websocket handshake: who is connecting, and from where (PROTOCOL.md, Connection).

- `Authorization: Token <key>`: API clients and bots; they may omit `Origin`
  (a browser cannot set this header on a websocket, so no cross-site risk).
- Otherwise the Django session cookie, and only from the site's own `Origin`
  (scheme, host and port: collab/origins.py): a handshake carrying the session
  cookie from a missing or foreign origin is refused with HTTP 403 (cross-site
  websocket hijacking).

A handshake with neither (or with a token or session that proves nobody) gets
through as AnonymousUser; the consumer accepts it and closes with 4401.
"""

from __future__ import annotations

from typing import Any

from channels.auth import AuthMiddlewareStack
from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.http.cookie import parse_cookie
from rest_framework.authtoken.models import Token

from accounts.restrictions import sign_in_refusal
from collab.origins import origin_allowed
from realtime.db import db_async

TOKEN_PREFIX = b"token "


@db_async
def user_for_token(key: str) -> User | AnonymousUser:
    if "\x00" in key:  # no key has one, and PostgreSQL refuses NUL in a query
        return AnonymousUser()
    try:
        token = Token.objects.select_related("user", "user__profile").get(key=key)
    except (Token.DoesNotExist, ValueError):
        return AnonymousUser()
    return _signed_in(token.user)


@db_async
def user_with_profile(user: User | AnonymousUser) -> User | AnonymousUser:
    """The session's user loaded again with its profile, as the token path loads it:
    consumers read `user.profile` in async code, where a lazy query is not allowed."""
    if not user.is_authenticated:
        return AnonymousUser()
    found = User.objects.select_related("profile").filter(pk=user.pk, is_active=True).first()
    return _signed_in(found) if found else AnonymousUser()


def _signed_in(user: User) -> User | AnonymousUser:
    """The user, unless deactivated or banned globally: such a handshake counts as
    nobody's, so it is closed with 4401 like any unauthenticated one. (A user banned
    while connected is closed with 4403 by moderation.services.member_ban.)"""
    if not user.is_active or sign_in_refusal(user) is not None:
        return AnonymousUser()
    return user


class SessionUserMiddleware:
    """Inside AuthMiddlewareStack: replaces its lazy user by the user with profile."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        user = await user_with_profile(scope["user"])
        return await self.inner(dict(scope, user=user, auth_method="session"), receive, send)


class WebsocketAuthMiddleware:
    """Token auth for API clients, session auth (with the origin check) for browsers."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.browser_stack = AuthMiddlewareStack(SessionUserMiddleware(inner))

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        # This frame lives as long as the connection: it keeps no more than it needs.
        kind, key = _credential(scope)
        if kind == "session":
            if not origin_allowed(scope):
                denier = WebsocketDenier()  # closes before accepting: HTTP 403
                return await denier(scope, receive, send)
            return await self.browser_stack(scope, receive, send)
        user: User | AnonymousUser = AnonymousUser()
        if kind == "token":
            user = await user_for_token(key) if key else AnonymousUser()
            return await self.inner(dict(scope, user=user, auth_method="token"), receive, send)
        return await self.inner(dict(scope, user=user), receive, send)


def _credential(scope: dict[str, Any]) -> tuple[str | None, str]:
    """("session", "") for a session cookie that may prove someone, ("token", key) for
    an `Authorization: Token` header (an empty key proves nobody), (None, "") else."""
    headers = dict(scope.get("headers", []))
    authorization = headers.get(b"authorization")
    if authorization is None:
        cookies = parse_cookie(headers.get(b"cookie", b"").decode("latin-1"))
        session_key = cookies.get(settings.SESSION_COOKIE_NAME)
        # A key with a NUL (a quoted cookie may carry "\\000") proves nobody, and
        # PostgreSQL would answer the session lookup with an exception.
        if session_key is not None and "\x00" not in session_key:
            return "session", ""
        return None, ""
    if authorization[: len(TOKEN_PREFIX)].lower() == TOKEN_PREFIX:
        return "token", authorization[len(TOKEN_PREFIX) :].decode("latin-1").strip()
    return "token", ""
