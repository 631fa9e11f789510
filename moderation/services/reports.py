"""Reporting a message, auto-hide, and resolving the reports of the queue.

A message reported by `auto_hide_threshold(room)` distinct people (reports still
waiting for review) is hidden at once, pending review: it stays at the top of
the queue until someone confirms (hide) or restores it (dismiss). A new report
on a message whose reports were dismissed puts it back into the queue.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import Notification
from common.errors import DomainError, forbidden, not_found
from common.validation import clean_text
from moderation import permissions, selectors
from moderation.frames import queue_frame
from moderation.models import ModerationAction, Report
from moderation.services.audit import (
    CONSOLE_URL,
    action_record,
    tell_consoles,
    tell_moderators,
)
from moderation.services.hiding import (
    apply_hide,
    apply_unhide,
    locked_message,
    resolve_pending_reports,
)
from moderation.services.validation import (
    REPORT_TEXT_MAX,
    clean_reason,
    clean_report_reason,
)
from rooms.models import Message

RESOLUTIONS = ("hide", "dismiss", "escalate")


@transaction.atomic
def report_create(*, user: User, message_id: Any, reason: Any, text: Any = "") -> Report:
    """Report a message (once per person and message); hides it when enough people did."""
    reason = clean_report_reason(reason)
    text = clean_text(text, field="text", maximum=REPORT_TEXT_MAX, required=False)
    # The row lock serialises concurrent reports: the threshold is crossed exactly once.
    message = locked_message(user=user, message_id=message_id)
    if message.author_id == user.pk:
        raise forbidden(_("Eigene Nachrichten kann man nicht melden."))
    if message.hidden_at is not None and message.hidden_by_id is not None:
        raise DomainError("conflict", _("Diese Nachricht ist schon ausgeblendet."))
    try:
        with transaction.atomic():
            report = Report.objects.create(message=message, reporter=user, reason=reason, text=text)
    except IntegrityError:
        raise DomainError("conflict", _("Du hast diese Nachricht schon gemeldet.")) from None
    if message.hidden_at is None and selectors.distinct_reporters(
        message=message
    ) >= selectors.auto_hide_threshold(message.room):
        apply_hide(
            message=message,
            actor=None,
            reason=_("Automatisch ausgeblendet: von mehreren Personen gemeldet."),
        )
    room = message.room
    tell_consoles(
        queue_frame(
            change="reported",
            kind=reason,
            message=message.pk,
            room=room.pk,
            initiative=room.initiative_id,
            actor=None,  # reporters stay unknown to leads; the console reads them by REST
        )
    )
    return report


@transaction.atomic
def report_resolve(*, actor: User, message_id: Any, action: Any, reason: Any = None) -> Message:
    """Decide the waiting reports of one message:

    - `hide`: hide the message (or confirm an automatic hide); the reports are done.
    - `dismiss`: the reports are dismissed; an automatically hidden message is shown again.
    - `escalate`: a lead passes the reports on to the site moderators (they stay in the
      queue, marked `escalated`, and the moderators are notified).
    """
    if action not in RESOLUTIONS:
        raise DomainError("invalid", _("`action` muss hide, dismiss oder escalate sein."))
    reason = clean_reason(reason, required=False)
    message = locked_message(user=actor, message_id=message_id)
    if not selectors.pending_reports(viewer=actor).filter(message=message).exists():
        if not permissions.can_escalate(actor, message.room):
            raise forbidden(_("Diese Meldungen darfst du nicht bearbeiten."))
        raise not_found()
    if action == "escalate":
        _escalate(actor, message, reason)
    elif not permissions.can_hide(actor, message):
        raise forbidden(_("Diese Meldungen darfst du nicht entscheiden: gib sie weiter."))
    elif action == "hide":
        if message.hidden_at is None or message.hidden_by_id is None:
            apply_hide(message=message, actor=actor, reason=reason or _reported_for(message))
        resolve_pending_reports(message=message, status=Report.Status.ACTIONED, actor=actor)
    else:
        if message.hidden_at is not None and message.hidden_by_id is None:
            apply_unhide(message=message, actor=actor, reason=reason)
        resolve_pending_reports(message=message, status=Report.Status.DISMISSED, actor=actor)
        action_record(
            kind=ModerationAction.Kind.REPORTS_DISMISSED,
            actor=actor,
            target_user=message.author,
            message=message,
            reason=reason,
        )
    return message


def _escalate(actor: User, message: Message, reason: str) -> None:
    if not permissions.can_escalate(actor, message.room):
        raise forbidden(_("Diese Meldungen darfst du nicht weitergeben."))
    Report.objects.filter(message=message, status=Report.Status.OPEN).update(
        status=Report.Status.ESCALATED
    )
    action_record(
        kind=ModerationAction.Kind.REPORTS_ESCALATED,
        actor=actor,
        target_user=message.author,
        message=message,
        reason=reason,
    )
    room_title = message.room.title
    tell_moderators(
        kind=Notification.Kind.MODERATION,
        text=lambda: (
            _("Meldungen zu einer Nachricht in „%(room)s“ wurden an euch weitergegeben.")
            % {"room": room_title}
        ),
        url=CONSOLE_URL,
    )


def _reported_for(message: Message) -> str:
    """The default reason of a hide from the queue: what the reports said."""
    reasons = (
        Report.objects.filter(message=message, status__in=Report.PENDING)
        .order_by("reason")
        .values_list("reason", flat=True)
        .distinct()
    )
    labels = ", ".join(str(Report.Reason(r).label) for r in reasons)
    return _("Nach Meldungen ausgeblendet: %(reasons)s") % {"reasons": labels}
