"""Posting grants: a worker remembers that a user may post in a room.

A post must check what rarely changes: the room (and whether it takes new
content), that the user may read it (membership of a members-only room), no ban,
no mute. Three queries on every post, for an answer that is nearly always the
same (docs/performance.md, change 9). A grant remembers a passed check
for one (user, room) pair in this process, with the "versions" of the user and
the room it was made under: a token per user and per room in Django's cache
(shared by all workers on Redis), bumped at and after the commit of any change
that can take the right to post away (`bump_*`, connected to the models in rooms/apps.py:
rooms, initiatives, memberships, bans, mutes, users and their groups). A post
compares the versions with one cache read; a mismatch, or a grant older than
GRANT_SECONDS, means the full check again.

The versions are read before the check a grant is made from, so a change that
commits during that check makes the new grant stale at once. What a grant does
not cover is checked on every post: thread root, slow mode, rate limit.
Changes made with `QuerySet.update()` send no signal: code that changes these
models that way must call `bump_*` itself.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction

from accounts.selectors import users_of_group_change
from common.outages import log_failure
from common.validation import is_int
from rooms.models import Room

logger = logging.getLogger(__name__)

GRANT_SECONDS = 60.0  # a bound for what a missed bump could cost, not the mechanism
MAX_GRANTS = 50_000  # per process; beyond it the process starts over
VERSION_SECONDS = 86_400  # an expired version only means one full check more

Versions = tuple[Any, Any]


@dataclass(frozen=True, slots=True)
class Grant:
    room: Room
    versions: Versions
    expires: float


_grants: dict[tuple[int, int], Grant] = {}


def _keys(user_id: int, room_id: int) -> list[str]:
    return [f"klima:grant:user:{user_id}", f"klima:grant:room:{room_id}"]


def versions(user_id: int, room_id: int) -> Versions:
    """The current versions of the user and the room (read before a check)."""
    keys = _keys(user_id, room_id)
    found = cache.get_many(keys)
    return found.get(keys[0]), found.get(keys[1])


def granted_room(user_id: int, room_id: Any) -> tuple[Room | None, Versions | None]:
    """(room, None) if a valid grant says the user may post there; else (None, the
    versions to make a grant with once the full check has passed, or None: make none)."""
    if not is_int(room_id):
        return None, None  # the full check answers with the right error
    try:
        current = versions(user_id, room_id)
    except Exception:  # the cache is unreachable: check in full, remember nothing
        log_failure(logger, "posting grants: cannot read versions")
        return None, None
    grant = _grants.get((user_id, room_id))
    if grant is not None and grant.versions == current and grant.expires > time.monotonic():
        return grant.room, None
    return None, current


def remember(user_id: int, room: Room, made_under: Versions) -> None:
    """The user passed the full check for `room` (under `made_under`)."""
    if len(_grants) >= MAX_GRANTS:
        _grants.clear()
    _grants[(user_id, room.pk)] = Grant(room, made_under, time.monotonic() + GRANT_SECONDS)


def forget_all() -> None:
    """For tests: ids may come again after a rollback, with fresh cache keys."""
    _grants.clear()


def bump_users(user_ids: Iterable[int]) -> None:
    _bump_on_commit([_keys(user_id, 0)[0] for user_id in user_ids])


def bump_rooms(room_ids: Iterable[int]) -> None:
    _bump_on_commit([_keys(0, room_id)[1] for room_id in room_ids])


def _bump_on_commit(keys: list[str]) -> None:
    """Now, so that no grant outlives the change in this transaction's own view, and
    after the commit, for grants made meanwhile from what was committed before."""
    if keys:
        _bump(keys)
        transaction.on_commit(lambda: _bump(keys))


def _bump(keys: list[str]) -> None:
    """A new random token per bump (workers' clocks tell nothing about each other).
    If the cache is unreachable the change still goes through: posts check in full
    while it is down, and GRANT_SECONDS bounds a grant that a lost bump leaves valid."""
    try:
        cache.set_many(dict.fromkeys(keys, uuid.uuid4().hex), VERSION_SECONDS)
    except Exception:
        log_failure(logger, "posting grants: cannot bump %s", keys)


# --- signal receivers (rooms/apps.py) ------------------------------------------------
def user_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A user, their group memberships, or a membership/ban/mute of theirs changed."""
    user_id = getattr(instance, "user_id", None) or instance.pk
    bump_users([user_id])


def user_groups_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    """`user.groups` or `group.user_set` changed: moderators may post where others may not."""
    bump_users(
        users_of_group_change(instance=instance, action=action, reverse=reverse, pk_set=pk_set)
    )


def room_changed(sender: Any, instance: Room, **kwargs: Any) -> None:
    bump_rooms([instance.pk])


def initiative_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """An initiative's status decides whether its rooms take new content."""
    bump_rooms(Room.objects.filter(initiative_id=instance.pk).values_list("pk", flat=True))
