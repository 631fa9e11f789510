"""Mutes and bans: imposing and lifting them, with their live effects.

Live, after commit, on every worker (realtime.publish):
- the person gets a `moderation` frame (muted / unmuted / banned / unbanned) and a
  notification (a connection keeps no mute state: every send, edit, reaction and
  typing notice reads it afresh);
- a ban of a room or an initiative ends their subscriptions of those rooms
  (`unsubscribed` with reason `banned`); a global ban closes their sockets (4403).

Their next `send` (socket or REST) is refused by the checks in the send path
(moderation.selectors, called from rooms.services.messages). Mutes and bans end
by themselves at `until`: every check compares with the clock, nothing needs to run.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Notification
from common.errors import forbidden, not_found
from common.validation import clean_id
from moderation import permissions
from moderation.frames import ModerationVerb, moderation_frame
from moderation.models import Ban, ModerationAction, Mute, Restriction
from moderation.scopes import Scope, parse_scope, scope_of
from moderation.services.audit import action_record, appeal_url, tell
from moderation.services.validation import clean_duration, clean_reason
from realtime import publish
from realtime.messages import CLOSE_BLOCKED, Close, Unsubscribe


def _target(user_id: Any) -> User:
    user = User.objects.filter(pk=clean_id(user_id, field="user"), is_active=True).first()
    if user is None:
        raise not_found()
    return user


def _scope_filter(scope: Scope) -> dict[str, Any]:
    return {"room": scope.room, "initiative": scope.initiative}


def _impose(
    model: type[Mute] | type[Ban],
    *,
    actor: User,
    target: User,
    scope: Scope,
    duration: int | None,
    reason: str,
) -> tuple[Restriction, ModerationAction]:
    """Create the mute or ban, and its log entry; one in force in the same scope is
    replaced (lifted)."""
    now = timezone.now()
    model.objects.filter(Restriction.in_force_q(now), user=target, **_scope_filter(scope)).update(
        lifted_at=now, lifted_by=actor
    )
    until = now + timedelta(seconds=duration) if duration is not None else None
    item: Restriction = model.objects.create(
        user=target,
        until=until,
        reason=reason,
        created_by=actor,
        **_scope_filter(scope),
    )
    is_mute = model is Mute
    action = action_record(
        kind=ModerationAction.Kind.MUTE if is_mute else ModerationAction.Kind.BAN,
        actor=actor,
        target_user=target,
        room=scope.room,
        initiative=scope.owning_initiative,
        is_global=scope.is_global,
        mute=item if is_mute else None,  # type: ignore[arg-type]
        ban=None if is_mute else item,  # type: ignore[arg-type]
        reason=reason,
    )
    return item, action


def _announce(item: Restriction, verb: ModerationVerb, reason: str, *, url: str = "") -> None:
    """The `moderation` frame and the notification (for a decision: with the link to
    the page where the person may appeal it)."""
    until = item.until if verb in ("muted", "banned") else None
    publish.user_frame_on_commit(
        user_id=item.user_id,
        frame=dict(moderation_frame(action=verb, scope=scope_of(item), until=until, reason=reason)),
    )
    tell(
        user=item.user,
        kind=Notification.Kind.MODERATION,
        text=lambda: _notification_text(verb, item, reason),
        url=url,
    )


def _notification_text(verb: ModerationVerb, item: Restriction, reason: str) -> str:
    where = (
        _("überall")
        if item.is_global
        else _("im Raum „%(name)s“") % {"name": item.room.title}
        if item.room is not None
        else _("in der Initiative „%(name)s“") % {"name": getattr(item.initiative, "title", "")}
    )
    texts = {
        "muted": _("Du wurdest %(where)s stummgeschaltet. Grund: %(reason)s"),
        "unmuted": _("Deine Stummschaltung %(where)s ist aufgehoben."),
        "banned": _("Du wurdest %(where)s gesperrt. Grund: %(reason)s"),
        "unbanned": _("Deine Sperre %(where)s ist aufgehoben."),
    }
    return texts[verb] % {"where": where, "reason": reason}


@transaction.atomic
def member_mute(*, actor: User, user_id: Any, scope: Any, duration: Any, reason: Any) -> Mute:
    """Mute a person in a room, an initiative, or everywhere, for `duration` seconds or
    until lifted. They still read and report; they cannot send, edit or react."""
    target = _target(user_id)
    parsed = parse_scope(scope)
    seconds = clean_duration(duration)
    text = clean_reason(reason)
    if not permissions.can_mute(actor, target, parsed):
        raise forbidden(_("Du darfst diese Person hier nicht stummschalten."))
    mute, action = _impose(
        Mute, actor=actor, target=target, scope=parsed, duration=seconds, reason=text
    )
    _announce(mute, "muted", text, url=appeal_url(action.pk))
    return mute  # type: ignore[return-value]


@transaction.atomic
def member_ban(*, actor: User, user_id: Any, scope: Any, duration: Any, reason: Any) -> Ban:
    """Ban a person from a room, an initiative, or the whole site (site moderators only)."""
    target = _target(user_id)
    parsed = parse_scope(scope)
    seconds = clean_duration(duration)
    text = clean_reason(reason)
    if not permissions.can_ban(actor, target, parsed):
        raise forbidden(_("Sperren dürfen nur Moderatorinnen und Moderatoren."))
    ban, action = _impose(
        Ban, actor=actor, target=target, scope=parsed, duration=seconds, reason=text
    )
    _announce(ban, "banned", text, url=appeal_url(action.pk))
    if parsed.is_global:
        publish.user_control_on_commit(user_id=target.pk, control=Close(code=CLOSE_BLOCKED))
    else:
        for room_id in parsed.room_ids():
            publish.user_control_on_commit(
                user_id=target.pk, control=Unsubscribe(room=room_id, reason="banned")
            )
    return ban  # type: ignore[return-value]


def _locked(model: type[Mute] | type[Ban], item_id: Any) -> Restriction:
    item = (
        model.objects.select_for_update(of=("self",))
        .select_related("user__profile", "room__initiative", "initiative", "created_by")
        .filter(pk=clean_id(item_id, field="id"))
        .first()
    )
    if item is None:
        raise not_found()
    return item


def _scope(item: Restriction) -> Scope:
    return Scope(room=item.room, initiative=item.initiative)


def lift(item: Restriction, *, actor: User, reason: str) -> None:
    """Lift a mute or ban in force (locked by the caller), log it and announce it."""
    is_mute = isinstance(item, Mute)
    item.lifted_at = timezone.now()
    item.lifted_by = actor
    item.save(update_fields=["lifted_at", "lifted_by"])
    scope = _scope(item)
    action_record(
        kind=ModerationAction.Kind.UNMUTE if is_mute else ModerationAction.Kind.UNBAN,
        actor=actor,
        target_user=item.user,
        room=scope.room,
        initiative=scope.owning_initiative,
        is_global=scope.is_global,
        mute=item if is_mute else None,  # type: ignore[arg-type]
        ban=None if is_mute else item,  # type: ignore[arg-type]
        reason=reason,
    )
    _announce(item, "unmuted" if is_mute else "unbanned", reason)


@transaction.atomic
def mute_lift(*, actor: User, mute_id: Any, reason: Any = None) -> Mute:
    """Lift a mute (leads: in their initiative, and not one a site moderator set).
    Lifting one that is no longer in force changes nothing."""
    text = clean_reason(reason, required=False)
    mute = _locked(Mute, mute_id)
    if not permissions.can_mute(actor, mute.user, _scope(mute)) or not permissions.can_undo(
        actor, mute.created_by
    ):
        raise forbidden(_("Du darfst diese Stummschaltung nicht aufheben."))
    if mute.in_force():
        lift(mute, actor=actor, reason=text)
    return mute  # type: ignore[return-value]


@transaction.atomic
def ban_lift(*, actor: User, ban_id: Any, reason: Any = None) -> Ban:
    """Lift a ban (site moderators). The person may subscribe and sign in again."""
    text = clean_reason(reason, required=False)
    ban = _locked(Ban, ban_id)
    if not permissions.can_ban(actor, ban.user, _scope(ban)):
        raise forbidden(_("Sperren aufheben dürfen nur Moderatorinnen und Moderatoren."))
    if ban.in_force():
        lift(ban, actor=actor, reason=text)
    return ban  # type: ignore[return-value]
