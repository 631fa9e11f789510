"""What moderation plugs into the slots of the apps beneath it (common/slots.py), so
that their rules obey its mutes and bans without importing it. Plugged in by
moderation/apps.py when the app is ready."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q
from django.utils.translation import gettext as _

from moderation import selectors
from moderation.models import ModerationAction
from moderation.services.audit import action_record
from rooms.models import Room
from rooms.restrictions import InForce

AnyUser = User | AnonymousUser


class RoomRestrictions:
    """Moderation's answers to the rooms' rules (rooms.restrictions.Restrictions)."""

    def mute_state(self, user: AnyUser, room: Room) -> InForce:
        return selectors.mute_state(user, room)

    def ban_state(self, user: AnyUser, room: Room) -> InForce:
        return selectors.ban_state(user, room)

    def banned_rooms(self, user: AnyUser) -> Q:
        return selectors.banned_room_exclusion(user)

    def slow_mode_set(self, *, actor: User, room: Room) -> None:
        """Slow mode is a moderation action: it goes into the audit log."""
        action_record(
            kind=ModerationAction.Kind.SLOW_MODE,
            actor=actor,
            room=room,
            reason=_("Langsamer Modus: %(n)d Sekunden") % {"n": room.slow_mode_seconds},
        )


class AccountRestrictions:
    """Moderation's answer to sign-in and the handshake (accounts.restrictions)."""

    def sign_in_refusal(self, user: AnyUser) -> str | None:
        return selectors.sign_in_refusal(user)
