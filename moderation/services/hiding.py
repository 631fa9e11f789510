"""Hiding and unhiding messages, by hand or automatically after reports.

Each change writes the room event (`message.hidden` / `message.unhidden`) in the
same transaction, after the message itself: every open client of the room gets
it live (moderators with the text and `hidden_reason`, everyone else with
`body: null`), and replay and REST render from the stored state, so the text
never comes back to non-moderators.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Notification
from common.errors import forbidden, not_found
from common.validation import clean_id
from moderation import permissions
from moderation.models import ModerationAction, Report
from moderation.services.audit import action_record, appeal_url, room_url, tell
from moderation.services.validation import clean_reason
from rooms.models import Message, RoomEvent
from rooms.selectors import access_room
from rooms.services.events import message_event, message_lock


def locked_message(*, user: User, message_id: object) -> Message:
    """The message, row-locked (rooms.services.events.message_lock), if `user` may read
    its room and it is not deleted (`not_found` otherwise).

    Precondition: inside `transaction.atomic()`."""
    message_id = clean_id(message_id, field="message")
    room_id = Message.objects.filter(pk=message_id).values_list("room_id", flat=True).first()
    if room_id is None:
        raise not_found()
    room = access_room(user=user, room_id=room_id)
    message = message_lock(room=room, message_id=message_id)
    if message.deleted_at is not None:
        raise not_found()
    return message


def resolve_pending_reports(*, message: Message, status: str, actor: User | None) -> int:
    """Close the reports of `message` that wait for review (hidden: ACTIONED, else DISMISSED)."""
    return Report.objects.filter(message=message, status__in=Report.PENDING).update(
        status=status, resolved_at=timezone.now(), resolved_by=actor
    )


def apply_hide(*, message: Message, actor: User | None, reason: str) -> ModerationAction:
    """Hide `message` (locked), log it, tell its author. `actor` None: auto-hide."""
    message.hidden_at = timezone.now()
    message.hidden_by = actor
    message.hidden_reason = reason[:300]
    message.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    message_event(message=message, kind=RoomEvent.Kind.MESSAGE_HIDDEN)
    action = action_record(
        kind=ModerationAction.Kind.HIDE,
        actor=actor,
        target_user=message.author,
        message=message,
        reason=reason,
    )
    room_title = message.room.title
    if actor is None:
        tell(
            user=message.author,
            kind=Notification.Kind.MODERATION,
            text=lambda: (
                _(
                    "Deine Nachricht in „%(room)s“ wurde nach mehreren Meldungen vorläufig "
                    "ausgeblendet, bis die Moderation sie geprüft hat."
                )
                % {"room": room_title}
            ),
            url=room_url(message.room_id),
        )
    else:
        tell(
            user=message.author,
            kind=Notification.Kind.MODERATION,
            text=lambda: (
                _(
                    "Deine Nachricht in „%(room)s“ wurde ausgeblendet. Grund: %(reason)s. "
                    "Du kannst Einspruch einlegen."
                )
                % {"room": room_title, "reason": reason}
            ),
            url=appeal_url(action.pk),
        )
    return action


def apply_unhide(*, message: Message, actor: User, reason: str) -> ModerationAction:
    """Show `message` (locked) again, log it, close its waiting reports, tell its author."""
    message.hidden_at = None
    message.hidden_by = None
    message.hidden_reason = ""
    message.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    message_event(message=message, kind=RoomEvent.Kind.MESSAGE_UNHIDDEN)
    resolve_pending_reports(message=message, status=Report.Status.DISMISSED, actor=actor)
    room_title = message.room.title
    tell(
        user=message.author,
        kind=Notification.Kind.MODERATION,
        text=lambda: (
            _("Deine Nachricht in „%(room)s“ ist wieder für alle sichtbar.") % {"room": room_title}
        ),
        url=room_url(message.room_id),
    )
    return action_record(
        kind=ModerationAction.Kind.UNHIDE,
        actor=actor,
        target_user=message.author,
        message=message,
        reason=reason,
    )


@transaction.atomic
def message_hide(*, actor: User, message_id: object, reason: object) -> Message:
    """A moderator or the initiative's lead hides a message; its waiting reports are done.

    Hiding a hidden message changes nothing, except that a person confirms an
    automatic hide: then the hide becomes theirs, with their reason.
    """
    reason = clean_reason(reason)
    message = locked_message(user=actor, message_id=message_id)
    if not permissions.can_hide(actor, message):
        raise forbidden(_("Du darfst diese Nachricht nicht ausblenden."))
    if message.hidden_at is None or message.hidden_by_id is None:
        apply_hide(message=message, actor=actor, reason=reason)
    resolve_pending_reports(message=message, status=Report.Status.ACTIONED, actor=actor)
    return message


@transaction.atomic
def message_unhide(*, actor: User, message_id: object, reason: object = None) -> Message:
    """Show a hidden message again (leads: not one a site moderator hid)."""
    reason = clean_reason(reason, required=False)
    message = locked_message(user=actor, message_id=message_id)
    if not permissions.can_hide(actor, message):
        raise forbidden(_("Du darfst diese Nachricht nicht wieder einblenden."))
    if not permissions.can_unhide(actor, message):
        raise forbidden(_("Eine Moderatorin oder ein Moderator hat sie ausgeblendet."))
    if message.hidden_at is None:
        return message
    apply_unhide(message=message, actor=actor, reason=reason)
    return message
