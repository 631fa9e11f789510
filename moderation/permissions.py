"""Who may moderate what: the one place for these rules.

- Site moderators (group `moderators`): everything, everywhere.
- Leads of an initiative: hide and unhide messages, mute and unmute people, in
  their initiative's rooms (scope: one of its rooms, or the whole initiative);
  set slow mode there; escalate reports. Who that is in a room or initiative is one
  rule for every app: initiatives.permissions.can_moderate_in.
  Never outside their initiative, never on a site moderator, and never undoing
  what a site moderator did there.
- Bans, global mutes, the whole queue and log, and deciding appeals: site
  moderators only.

Plain predicates; services raise the domain error, the API and the websocket
use the same services.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from accounts.selectors import is_moderator
from common.moderated import ContentKind
from initiatives.models import Initiative, Membership
from initiatives.permissions import can_moderate_in
from moderation.models import ModerationAction
from moderation.scopes import Scope
from rooms.models import Message, Room

AnyUser = User | AnonymousUser


def led_initiatives(user: AnyUser) -> QuerySet[Initiative]:
    """The initiatives `user` leads (their part of the queue and the log)."""
    if not user.is_authenticated:
        return Initiative.objects.none()
    return Initiative.objects.filter(
        memberships__user_id=user.pk, memberships__role=Membership.Role.LEAD
    )


def leads_any(user: AnyUser) -> bool:
    return led_initiatives(user).exists()


def can_act_on(actor: AnyUser, target: User) -> bool:
    """Nobody moderates themself; only site moderators act on site moderators."""
    if actor.pk == target.pk:
        return False
    return is_moderator(actor) or not is_moderator(target)


def can_undo(actor: AnyUser, done_by: User | None) -> bool:
    """Leads do not undo what a site moderator did; moderators undo anything."""
    return is_moderator(actor) or done_by is None or not is_moderator(done_by)


def can_hide_content(actor: AnyUser, kind: ContentKind, item: Any) -> bool:
    """Community content (an event, ...): as messages, by its initiative and author."""
    author = kind.author(item)
    return can_moderate_in(actor, kind.initiative(item)) and (
        author is None or can_act_on(actor, author)
    )


def can_review_content(actor: AnyUser, kind: ContentKind, item: Any) -> bool:
    """Who sees an item's reports and may pass them on: its initiative's leads (even for
    their own item, which they then cannot decide) and the site moderators."""
    return can_moderate_in(actor, kind.initiative(item))


def can_hide(actor: AnyUser, message: Message) -> bool:
    return can_moderate_in(actor, message.room.initiative) and can_act_on(actor, message.author)


def can_unhide(actor: AnyUser, message: Message) -> bool:
    return can_hide(actor, message) and can_undo(actor, message.hidden_by)


def can_escalate(actor: AnyUser, room: Room) -> bool:
    """Leads pass reports of their rooms on to the site moderators."""
    return can_moderate_in(actor, room.initiative)


def can_mute(actor: AnyUser, target: User, scope: Scope) -> bool:
    """Leads mute in a room of their initiative or in the initiative; global is moderators'."""
    if scope.is_global:
        return is_moderator(actor) and can_act_on(actor, target)
    return can_moderate_in(actor, scope.owning_initiative) and can_act_on(actor, target)


def can_ban(actor: AnyUser, target: User, scope: Scope) -> bool:
    """Bans take people out of rooms altogether: site moderators only."""
    return is_moderator(actor) and can_act_on(actor, target)


def can_view_queue(user: AnyUser) -> bool:
    return is_moderator(user) or leads_any(user)


def can_view_log(user: AnyUser) -> bool:
    return can_view_queue(user)


def can_decide_appeal(user: AnyUser) -> bool:
    return is_moderator(user)


def can_appeal(user: AnyUser, action: ModerationAction) -> bool:
    """The person an appealable action was taken against, and nobody else."""
    return (
        user.is_authenticated
        and action.kind in ModerationAction.APPEALABLE
        and action.target_user_id == user.pk
    )


def sees_reporters(user: AnyUser) -> bool:
    """Who reported is shown to site moderators only: leads are neighbours of both
    sides, and a reporter must not fear the person they reported."""
    return is_moderator(user)
