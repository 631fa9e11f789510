"""Who may not sign in (a global ban), asked through one slot that moderation fills.

`moderation` sits above `accounts` (docs/architecture.md), yet signing in, with a
password or a token, and the websocket handshake must refuse a globally banned
user. The question is asked here, of `restrictions`; moderation plugs its answer in
when its app is ready (moderation/providers.py).
"""

from __future__ import annotations

from typing import Protocol

from django.contrib.auth.models import AnonymousUser, User

from common.slots import Slot

AnyUser = User | AnonymousUser


class Restrictions(Protocol):
    def sign_in_refusal(self, user: AnyUser) -> str | None:
        """Why `user` may not sign in, as a sentence for them; None if they may."""


restrictions: Slot[Restrictions] = Slot("accounts.restrictions.restrictions")


def sign_in_refusal(user: AnyUser) -> str | None:
    """Why `user` may not sign in, or connect a websocket, as a sentence; None if they may."""
    return restrictions.get().sign_in_refusal(user)
