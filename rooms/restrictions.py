"""What moderation may forbid in rooms (mutes, bans, slow mode), asked through one slot.

`moderation` sits above `rooms` (docs/architecture.md): it hides messages through
the rooms' log and its mutes and bans point at rooms, so `rooms` does not import
it. Yet subscribing, posting, editing, reacting, typing and the room list must obey
its mutes and bans. So the rules that refuse are stated here, in the rooms' words,
and what is in force is asked of `restrictions`, which moderation plugs in when its
app is ready (moderation/providers.py: RoomRestrictions).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from common.errors import DomainError
from common.slots import Slot
from rooms.models import Room

AnyUser = User | AnonymousUser


@dataclass(frozen=True)
class InForce:
    """Whether a mute (or ban) is in force, and until when (None: until lifted)."""

    active: bool
    until: datetime | None
    reason: str

    def retry_after(self) -> int | None:
        if not self.active or self.until is None:
            return None
        return max(1, math.ceil((self.until - timezone.now()).total_seconds()))


NOT_IN_FORCE = InForce(active=False, until=None, reason="")


class Restrictions(Protocol):
    """What moderation keeps about people in rooms."""

    def mute_state(self, user: AnyUser, room: Room) -> InForce:
        """The user's mutes in force in the room (of the room, its initiative, the site)."""

    def ban_state(self, user: AnyUser, room: Room) -> InForce:
        """The user's bans in force in the room."""

    def banned_rooms(self, user: AnyUser) -> Q:
        """The rooms a ban keeps the user out of, as a filter on Room."""

    def slow_mode_set(self, *, actor: User, room: Room) -> None:
        """A lead or moderator changed the room's slow mode (moderation logs it)."""


restrictions: Slot[Restrictions] = Slot("rooms.restrictions.restrictions")


def until_text(until: datetime | None) -> str:
    """ "bis 28.11.2026 10:00", or "bis auf Weiteres" for a restriction until lifted."""
    if until is None:
        return _("bis auf Weiteres")
    return _("bis %(when)s") % {"when": date_format(localtime(until), "DATETIME_FORMAT")}


def is_muted(user: AnyUser, room: Room) -> bool:
    """Whether a mute is in force for `user` in `room` (their typing is not passed on)."""
    return restrictions.get().mute_state(user, room).active


def ensure_not_muted(user: AnyUser, room: Room) -> None:
    """Refuse with `muted` (and `retry_after` when the mute ends) while a mute is in force:
    sending, editing and reacting (PROTOCOL.md)."""
    state = restrictions.get().mute_state(user, room)
    if state.active:
        raise DomainError(
            "muted",
            _("Du bist hier stummgeschaltet (%(until)s): du kannst lesen, aber nicht schreiben.")
            % {"until": until_text(state.until)},
            retry_after=state.retry_after(),
        )


def ensure_not_banned(user: AnyUser, room: Room) -> None:
    """Refuse with `banned` while a ban of the room, its initiative or the site is in
    force: a ban keeps its person out of the room altogether."""
    state = restrictions.get().ban_state(user, room)
    if state.active:
        raise DomainError(
            "banned",
            _("Du bist aus diesem Raum ausgeschlossen (%(until)s).")
            % {"until": until_text(state.until)},
        )
