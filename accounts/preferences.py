"""Who wants which notifications where: per kind, in the app (list, bell, live frame)
and by mail (batched: accounts/notification_mails.py). docs/notifications.md.

Only what differs from `DEFAULTS` is stored (Profile.notification_settings), so a
default changed later reaches everyone who never chose. Decisions about a person
(`moderation`, `appeal`) always reach their list: only their mail can be switched off.
"""

from __future__ import annotations

from typing import Any, TypedDict

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Notification, Profile
from common.errors import DomainError

Kind = Notification.Kind


class Channels(TypedDict):
    app: bool
    email: bool


DEFAULTS: dict[str, Channels] = {
    Kind.MENTION.value: {"app": True, "email": True},
    Kind.REPLY.value: {"app": True, "email": True},
    Kind.MODERATION.value: {"app": True, "email": True},
    Kind.APPEAL.value: {"app": True, "email": True},
    Kind.WAITLIST.value: {"app": True, "email": True},
    Kind.REMINDER.value: {"app": True, "email": True},
    Kind.FOLLOW.value: {"app": True, "email": False},
}
ALWAYS_IN_APP = frozenset({Kind.MODERATION.value, Kind.APPEAL.value})
CHANNELS = ("app", "email")


def channels(profile: Profile | None, kind: str) -> Channels:
    """Where `kind` reaches this person."""
    chosen = (profile.notification_settings if profile else {}).get(kind, {})
    result: Channels = {**DEFAULTS[kind], **{k: v for k, v in chosen.items() if k in CHANNELS}}
    if kind in ALWAYS_IN_APP:
        result["app"] = True
    return result


def preferences(profile: Profile) -> dict[str, Channels]:
    """Every kind with its channels, as the profile page and the API show them."""
    return {kind: channels(profile, kind) for kind in DEFAULTS}


@transaction.atomic
def preferences_set(*, user: User, changes: Any) -> dict[str, Channels]:
    """Change some channels: `{"follow": {"email": true}, "mention": {"app": false}}`.
    Anything else is `invalid`, and nothing is changed."""
    if not isinstance(changes, dict):
        raise DomainError("invalid", _("Erwartet: {Art: {app, email}}."))
    profile = Profile.objects.select_for_update().get(user=user)
    stored = dict(profile.notification_settings or {})
    for kind, chosen in changes.items():
        if kind not in DEFAULTS or not isinstance(chosen, dict):
            raise DomainError(
                "invalid",
                _("Unbekannte Art: %(kind)s (bekannt: %(kinds)s).")
                % {"kind": str(kind)[:40], "kinds": ", ".join(DEFAULTS)},
            )
        for channel, on in chosen.items():
            if channel not in CHANNELS or not isinstance(on, bool):
                raise DomainError("invalid", _("Je Art: app und email, true oder false."))
            if channel == "app" and not on and kind in ALWAYS_IN_APP:
                raise DomainError(
                    "invalid", _("Entscheidungen der Moderation kommen immer in deine Liste.")
                )
        merged = {**stored.get(kind, {}), **chosen}
        stored[kind] = {c: v for c, v in merged.items() if v != DEFAULTS[kind][c]}  # type: ignore[literal-required]
        if not stored[kind]:
            del stored[kind]
    profile.notification_settings = stored
    profile.save(update_fields=["notification_settings"])
    return preferences(profile)
