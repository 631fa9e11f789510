"""Reporting community content that is not a message, and deciding those reports.

The same reasons and states as a message's reports (moderation/services/reports.py):
members report what they can read (not their own, not what is hidden); the reviewers
are the site moderators everywhere and the leads for their initiative's content; a
lead who may not decide passes the reports on to the site moderators (`escalate`).
Nothing is hidden automatically by the number of reports (ContentReport's docstring).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import Notification
from common.errors import DomainError, forbidden, not_found
from common.moderated import ContentKind, content_kind, kind_of
from common.validation import clean_text
from moderation import permissions
from moderation.models import ContentReport, ModerationAction, Report
from moderation.services.audit import action_record, tell_moderators
from moderation.services.content import (
    apply_content_hide,
    locked_content,
    resolve_content_reports,
)
from moderation.services.reports import RESOLUTIONS
from moderation.services.validation import REPORT_TEXT_MAX, clean_reason, clean_report_reason

CONTENT_QUEUE_URL = "/moderation/beitraege/"


@transaction.atomic
def content_report_create(
    *, user: User, kind: Any, content_id: Any, reason: Any, text: Any = ""
) -> ContentReport:
    """Report an item (once per person and item): it joins the queue of its reviewers."""
    content = content_kind(kind)
    reason = clean_report_reason(reason)
    text = clean_text(text, field="text", maximum=REPORT_TEXT_MAX, required=False)
    item = locked_content(content, content_id)
    if item.hidden_at is not None:
        raise not_found()  # gone for everyone but the moderators: nothing left to report
    if content.author(item) == user:
        raise forbidden(_("Eigene Beiträge kann man nicht melden."))
    initiative = content.initiative(item)
    try:
        with transaction.atomic():
            return ContentReport.objects.create(
                content_kind=content.name,
                content_id=item.pk,
                content_title=content.title(item)[:200],
                initiative=initiative,
                reporter=user,
                reason=reason,
                text=text,
            )
    except IntegrityError:
        raise DomainError("conflict", _("Du hast diesen Beitrag schon gemeldet.")) from None


@transaction.atomic
def content_report_resolve(
    *, actor: User, kind: Any, content_id: Any, action: Any, reason: Any = None
) -> Any:
    """Decide the waiting reports of one item: `hide` it (the reports are done),
    `dismiss` them (it stays), or `escalate` them (a lead to the site moderators)."""
    content = content_kind(kind)
    if action not in RESOLUTIONS:
        raise DomainError("invalid", _("`action` muss hide, dismiss oder escalate sein."))
    reason = clean_reason(reason, required=False)
    item = locked_content(content, content_id)
    pending = ContentReport.objects.filter(
        content_kind=content.name, content_id=item.pk, status__in=Report.PENDING
    )
    if not permissions.can_review_content(actor, content, item):
        raise forbidden(_("Diese Meldungen darfst du nicht bearbeiten."))
    if not pending.exists():
        raise not_found()
    if action == "escalate":
        _escalate(actor, content, item, pending, reason)
    elif not permissions.can_hide_content(actor, content, item):
        raise forbidden(_("Diese Meldungen darfst du nicht entscheiden: gib sie weiter."))
    elif action == "hide":
        if item.hidden_at is None:
            apply_content_hide(
                kind=content, item=item, actor=actor, reason=reason or _reported_for(pending)
            )
        else:
            resolve_content_reports(
                kind=content, item=item, status=Report.Status.ACTIONED, actor=actor
            )
    else:
        resolve_content_reports(
            kind=content, item=item, status=Report.Status.DISMISSED, actor=actor
        )
        action_record(
            kind=ModerationAction.Kind.REPORTS_DISMISSED,
            actor=actor,
            target_user=content.author(item),
            initiative=content.initiative(item),
            reason=reason,
            content=(content, item),
        )
    return item


def _escalate(actor: User, content: ContentKind, item: Any, pending: Any, reason: str) -> None:
    pending.filter(status=Report.Status.OPEN).update(status=Report.Status.ESCALATED)
    action_record(
        kind=ModerationAction.Kind.REPORTS_ESCALATED,
        actor=actor,
        target_user=content.author(item),
        initiative=content.initiative(item),
        reason=reason,
        content=(content, item),
    )
    title = content.title(item)
    tell_moderators(
        kind=Notification.Kind.MODERATION,
        text=lambda: (
            _("Meldungen zum Beitrag „%(title)s“ wurden an euch weitergegeben.") % {"title": title}
        ),
        url=CONTENT_QUEUE_URL,
    )


def _reported_for(pending: Any) -> str:
    """The default reason of a hide from the queue: what the reports said."""
    reasons = pending.order_by("reason").values_list("reason", flat=True).distinct()
    labels = ", ".join(str(Report.Reason(r).label) for r in reasons)
    return _("Nach Meldungen ausgeblendet: %(reasons)s") % {"reasons": labels}


def forget_reports_of_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    """post_delete: content deleted by its author leaves nothing to review."""
    kind = kind_of(instance)
    if kind is not None:
        ContentReport.objects.filter(content_kind=kind.name, content_id=instance.pk).delete()
