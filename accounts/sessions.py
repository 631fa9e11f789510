"""Django's database sessions, refusing a session key with a NUL character.

A quoted cookie may carry an octal escape (`sessionid="abcdefgh\\000"`), which
Django decodes to NUL; PostgreSQL refuses NUL in a query, so the stock backend
turns such a cookie into a server error on every page. Here the key is simply
invalid, as any other unknown key: the request goes on without a session.
Enabled with `SESSION_ENGINE = "accounts.sessions"`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import db


class SessionStore(db.SessionStore):
    def _validate_session_key(self, key: Any) -> bool:
        # Not in django-stubs, but the hook every session backend's key passes through.
        valid = super()._validate_session_key(key)  # type: ignore[misc]
        return bool(valid) and "\x00" not in key
