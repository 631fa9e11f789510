"""Appeals: the person affected asks the site moderators to reverse an action.

Once per action (hide, mute, ban), while it is still in force. A moderator
upholds it or reverses it; reversing undoes the action live (the message's
`message.unhidden` event, the `unmuted` / `unbanned` frame). Either way the
person is told the outcome (a notification of kind `appeal`).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Notification
from common.errors import DomainError, forbidden, not_found
from common.moderated import content_kind
from common.validation import clean_id, clean_text
from moderation import permissions, selectors
from moderation.models import Appeal, Ban, ModerationAction, Mute
from moderation.services.audit import CONSOLE_URL, action_record, appeal_url, tell, tell_moderators
from moderation.services.content import apply_content_unhide, content_of, locked_content
from moderation.services.hiding import apply_unhide
from moderation.services.restrictions import lift
from moderation.services.validation import APPEAL_TEXT_MAX, clean_reason
from rooms.services.events import message_lock

DECISIONS = ("uphold", "reverse")


def _appealed_action(
    *, action_id: Any, message_id: Any, mute_id: Any, ban_id: Any
) -> ModerationAction:
    """The action an appeal names: by its log id, or by the message, mute or ban."""
    given = [v for v in (action_id, message_id, mute_id, ban_id) if v is not None]
    if len(given) != 1:
        raise DomainError(
            "invalid", _("Nenne genau eines: `action`, `message`, `mute` oder `ban`.")
        )
    if action_id is not None:
        return selectors.access_action(action_id=clean_id(action_id, field="action"))
    if message_id is not None:
        about: dict[str, Any] = {"message_id": clean_id(message_id, field="message")}
        kind = ModerationAction.Kind.HIDE
    elif mute_id is not None:
        about, kind = {"mute_id": clean_id(mute_id, field="mute")}, ModerationAction.Kind.MUTE
    else:
        about, kind = {"ban_id": clean_id(ban_id, field="ban")}, ModerationAction.Kind.BAN
    action = selectors.latest_action(kind=kind, **about)
    if action is None:
        raise not_found()
    return action


def in_force(action: ModerationAction) -> bool:
    """Whether what the action did still holds (only then is there anything to reverse)."""
    if action.kind == ModerationAction.Kind.HIDE and action.content_kind:
        item = content_of(action)
        return item is not None and item.hidden_at is not None
    if action.kind == ModerationAction.Kind.HIDE:
        message = action.message
        return message is not None and message.hidden_at is not None and not message.deleted
    if action.kind == ModerationAction.Kind.MUTE:
        return action.mute is not None and action.mute.in_force()
    if action.kind == ModerationAction.Kind.BAN:
        return action.ban is not None and action.ban.in_force()
    return False


@transaction.atomic
def appeal_create(
    *,
    user: User,
    text: Any,
    action_id: Any = None,
    message_id: Any = None,
    mute_id: Any = None,
    ban_id: Any = None,
) -> Appeal:
    """Appeal once against an action taken against oneself that is still in force."""
    action = _appealed_action(
        action_id=action_id, message_id=message_id, mute_id=mute_id, ban_id=ban_id
    )
    if not permissions.can_appeal(user, action):
        raise forbidden(_("Einspruch einlegen kann nur, wen die Maßnahme betrifft."))
    body = clean_text(text, field="text", maximum=APPEAL_TEXT_MAX, required=True)
    if not in_force(action):
        raise DomainError("conflict", _("Diese Maßnahme gilt nicht mehr."))
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(action=action, user=user, text=body)
    except IntegrityError:
        raise DomainError(
            "conflict", _("Gegen diese Maßnahme hast du schon Einspruch eingelegt.")
        ) from None
    tell_moderators(
        kind=Notification.Kind.APPEAL,
        text=lambda: _("Neuer Einspruch gegen eine Maßnahme."),
        url=CONSOLE_URL + "#einsprueche",
    )
    return appeal


def _reverse(action: ModerationAction, actor: User, reason: str) -> None:
    """Undo the action (locked rows; already undone: nothing to do)."""
    if action.kind == ModerationAction.Kind.HIDE and action.content_kind:
        kind = content_kind(action.content_kind)
        item = locked_content(kind, action.content_id)
        if item.hidden_at is not None:
            apply_content_unhide(kind=kind, item=item, actor=actor, reason=reason)
    elif action.kind == ModerationAction.Kind.HIDE and action.message is not None:
        message = message_lock(room=action.message.room, message_id=action.message.pk)
        if message.hidden_at is not None and message.deleted_at is None:
            apply_unhide(message=message, actor=actor, reason=reason)
    elif action.kind == ModerationAction.Kind.MUTE and action.mute_id is not None:
        mute = (
            Mute.objects.select_for_update(of=("self",))
            .select_related("user__profile", "room", "initiative")
            .get(pk=action.mute_id)
        )
        if mute.in_force():
            lift(mute, actor=actor, reason=reason)
    elif action.kind == ModerationAction.Kind.BAN and action.ban_id is not None:
        ban = (
            Ban.objects.select_for_update(of=("self",))
            .select_related("user__profile", "room", "initiative")
            .get(pk=action.ban_id)
        )
        if ban.in_force():
            lift(ban, actor=actor, reason=reason)


@transaction.atomic
def appeal_decide(*, actor: User, appeal_id: Any, decision: Any, reason: Any = None) -> Appeal:
    """A site moderator upholds or reverses; the person is told the outcome."""
    if not permissions.can_decide_appeal(actor):
        raise forbidden(_("Über Einsprüche entscheiden Moderatorinnen und Moderatoren."))
    if decision not in DECISIONS:
        raise DomainError("invalid", _("`decision` muss uphold oder reverse sein."))
    text = clean_reason(reason, required=False)
    appeal = selectors.access_appeal(appeal_id=clean_id(appeal_id, field="id"))
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.status != Appeal.Status.OPEN:
        raise DomainError("conflict", _("Über diesen Einspruch ist schon entschieden."))
    action = selectors.access_action(action_id=appeal.action_id)
    reversed_ = decision == "reverse"
    if reversed_:
        _reverse(action, actor, text or _("Einspruch stattgegeben."))
    appeal.status = Appeal.Status.REVERSED if reversed_ else Appeal.Status.UPHELD
    appeal.decided_at = timezone.now()
    appeal.decided_by = actor
    appeal.decision_reason = text
    appeal.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])
    action_record(
        kind=(
            ModerationAction.Kind.APPEAL_REVERSED
            if reversed_
            else ModerationAction.Kind.APPEAL_UPHELD
        ),
        actor=actor,
        target_user=action.target_user,
        message=action.message,
        room=action.room,
        initiative=action.initiative,
        is_global=action.is_global,
        mute=action.mute,
        ban=action.ban,
        reason=text,
    )
    tell(
        user=appeal.user,
        kind=Notification.Kind.APPEAL,
        text=lambda: (
            (
                _("Deinem Einspruch wurde stattgegeben: die Maßnahme ist aufgehoben.")
                if reversed_
                else _("Dein Einspruch wurde geprüft: die Maßnahme bleibt bestehen.")
            )
            + (" " + _("Begründung: %(reason)s") % {"reason": text} if text else "")
        ),
        url=appeal_url(action.pk),
    )
    return appeal
