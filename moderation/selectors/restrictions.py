"""Reads about mutes and bans: whether one is in force, and the lists moderators see.

What is in force is what the rooms' rules ask (subscribing, posting, editing,
reacting, typing, room lists: rooms.restrictions) and what sign-in and the
websocket handshake ask (accounts.restrictions), through moderation/providers.py.
On every post, so each is one indexed query on the user's restrictions.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import is_moderator
from moderation.models import Ban, Mute, Restriction
from moderation.permissions import led_initiatives
from rooms.models import Room
from rooms.restrictions import NOT_IN_FORCE, InForce, until_text

AnyUser = User | AnonymousUser


def _in_force(items: Sequence[Restriction]) -> InForce:
    """Several restrictions may overlap: the last one to end decides."""
    if not items:
        return NOT_IN_FORCE
    if any(item.until is None for item in items):
        lasting = next(item for item in items if item.until is None)
        return InForce(active=True, until=None, reason=lasting.reason)
    last = max(items, key=lambda item: item.until or timezone.now())
    return InForce(active=True, until=last.until, reason=last.reason)


def _in_force_in(model: type[Ban] | type[Mute], user_id: int, room: Room) -> InForce:
    """The user's restrictions of one kind that are in force in `room`.

    On every post (bans and mutes both), so the query is the plainest there is: the
    user's restrictions that were not lifted (an indexed lookup by user, usually no
    row). Scope (`_covers`) and expiry (as `Restriction.in_force_q`) are checked here
    on those few rows: building the full filter cost more CPU than the rest of a
    post's checks (docs/performance.md, change 4)."""
    now = timezone.now()
    rows = model.objects.filter(user_id=user_id, lifted_at__isnull=True).only(
        "room_id", "initiative_id", "until", "reason"
    )
    covering = [
        item for item in rows if (item.until is None or item.until > now) and _covers(item, room)
    ]
    return _in_force(covering)


def _covers(item: Restriction, room: Room) -> bool:
    """Whether the restriction's scope (a room, an initiative, or the site) holds `room`."""
    if item.room_id is not None:
        return item.room_id == room.pk
    if item.initiative_id is not None:
        return item.initiative_id == room.initiative_id
    return True  # site-wide


def mute_state(user: AnyUser, room: Room) -> InForce:
    if not user.is_authenticated:
        return NOT_IN_FORCE
    return _in_force_in(Mute, int(user.pk), room)


def ban_state(user: AnyUser, room: Room) -> InForce:
    if not user.is_authenticated:
        return NOT_IN_FORCE
    return _in_force_in(Ban, int(user.pk), room)


def global_ban(user: AnyUser) -> InForce:
    if not user.is_authenticated:
        return NOT_IN_FORCE
    bans = Ban.objects.filter(
        Restriction.in_force_q(), user_id=user.pk, room__isnull=True, initiative__isnull=True
    )
    return _in_force(list(bans))


def sign_in_refusal(user: AnyUser) -> str | None:
    """Why `user` may not sign in (a global ban), as a sentence; None if they may."""
    state = global_ban(user)
    if not state.active:
        return None
    return _("Dein Konto ist gesperrt (%(until)s). Grund: %(reason)s") % {
        "until": until_text(state.until),
        "reason": state.reason,
    }


def banned_room_exclusion(user: AnyUser) -> Q:
    """Rooms a ban keeps `user` out of, as a filter on Room (for room lists)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    bans = Ban.objects.filter(Restriction.in_force_q(), user_id=user.pk)
    if bans.filter(room__isnull=True, initiative__isnull=True).exists():
        return Q()
    rooms = bans.filter(room__isnull=False).values("room_id")
    initiatives = bans.filter(initiative__isnull=False).values("initiative_id")
    return Q(pk__in=rooms) | Q(initiative_id__in=initiatives)


def _overseen(viewer: AnyUser) -> Q:
    """Restrictions `viewer` may list: all for moderators; for leads those in their
    initiatives; for everyone their own."""
    if is_moderator(viewer):
        return Q()
    own = Q(user_id=viewer.pk)
    led = led_initiatives(viewer).values("pk")
    return own | Q(room__initiative__in=led) | Q(initiative__in=led)


def mute_list(*, viewer: AnyUser, active: bool | None = None) -> QuerySet[Mute]:
    return _restriction_list(Mute.objects.all(), viewer, active)  # type: ignore[return-value]


def ban_list(*, viewer: AnyUser, active: bool | None = None) -> QuerySet[Ban]:
    return _restriction_list(Ban.objects.all(), viewer, active)  # type: ignore[return-value]


def _restriction_list(
    qs: QuerySet[Mute] | QuerySet[Ban], viewer: AnyUser, active: bool | None
) -> QuerySet[Mute] | QuerySet[Ban]:
    qs = qs.filter(_overseen(viewer)).select_related(
        "user__profile", "created_by__profile", "lifted_by__profile"
    )
    if active is True:
        qs = qs.filter(Restriction.in_force_q())
    elif active is False:
        qs = qs.exclude(Restriction.in_force_q())
    return qs.order_by("-created_at", "-pk")
