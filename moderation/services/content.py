"""Hiding and unhiding community content that is not a message (events, and the kinds
that register next; common/moderated.py).

As with messages: a site moderator, or a lead of the content's initiative, hides it
with a reason; it leaves every list, feed and page at once (the content app's
selectors); the log keeps kind, id and title; the author is told and may appeal.
Leads do not undo what a site moderator hid.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Notification
from common.errors import forbidden, not_found
from common.moderated import ContentKind, content_kind
from common.validation import clean_id
from moderation import permissions
from moderation.models import ContentReport, ModerationAction, Report
from moderation.services.audit import action_record, appeal_url, tell
from moderation.services.validation import clean_reason


def content_of(action: ModerationAction) -> Any:
    """The content an action concerns as it is now, or None (gone, or a message's)."""
    if not action.content_kind:
        return None
    kind = content_kind(action.content_kind)
    return kind.model._default_manager.filter(pk=action.content_id).first()


def locked_content(kind: ContentKind, content_id: Any) -> Any:
    """The row, locked. Precondition: inside `transaction.atomic()`."""
    item = (
        kind.model._default_manager.select_for_update(of=("self",))
        .filter(pk=clean_id(content_id, field="id"))
        .first()
    )
    if item is None:
        raise not_found()
    return item


def resolve_content_reports(*, kind: ContentKind, item: Any, status: str, actor: User) -> int:
    """Close the reports of `item` that wait for review (hidden: ACTIONED, else DISMISSED)."""
    return ContentReport.objects.filter(
        content_kind=kind.name, content_id=item.pk, status__in=Report.PENDING
    ).update(status=status, resolved_at=timezone.now(), resolved_by=actor)


def _set_hidden(
    *, kind: ContentKind, item: Any, actor: User, reason: str, hidden: bool
) -> ModerationAction:
    """Change the content's hidden state and log it: one entry, naming the content."""
    item.hidden_at = timezone.now() if hidden else None
    item.hidden_by = actor if hidden else None
    item.hidden_reason = reason[:300] if hidden else ""
    item.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    return action_record(
        kind=ModerationAction.Kind.HIDE if hidden else ModerationAction.Kind.UNHIDE,
        actor=actor,
        target_user=kind.author(item),
        initiative=kind.initiative(item),
        reason=reason,
        content=(kind, item),
    )


def apply_content_hide(*, kind: ContentKind, item: Any, actor: User, reason: str) -> None:
    """Hide `item` (locked), log it, close its reports, tell its author, who may appeal."""
    action = _set_hidden(kind=kind, item=item, actor=actor, reason=reason, hidden=True)
    resolve_content_reports(kind=kind, item=item, status=Report.Status.ACTIONED, actor=actor)
    author, title = kind.author(item), kind.title(item)
    if author is not None and author.pk != actor.pk:
        tell(
            user=author,
            kind=Notification.Kind.MODERATION,
            text=lambda: (
                _(
                    "Dein Beitrag „%(title)s“ wurde ausgeblendet. Grund: %(reason)s. "
                    "Du kannst Einspruch einlegen."
                )
                % {"title": title, "reason": reason}
            ),
            url=appeal_url(action.pk),
        )


def apply_content_unhide(*, kind: ContentKind, item: Any, actor: User, reason: str) -> None:
    """Show `item` (locked) again, log it, tell its author."""
    _set_hidden(kind=kind, item=item, actor=actor, reason=reason, hidden=False)
    author, title = kind.author(item), kind.title(item)
    if author is not None and author.pk != actor.pk:
        tell(
            user=author,
            kind=Notification.Kind.MODERATION,
            text=lambda: (
                _("Dein Beitrag „%(title)s“ ist wieder für alle sichtbar.") % {"title": title}
            ),
            url=kind.url(item),
        )


@transaction.atomic
def content_hide(*, actor: User, kind: Any, content_id: Any, reason: Any) -> Any:
    """Hide it (again: nothing changes)."""
    content = content_kind(kind)
    reason = clean_reason(reason)
    item = locked_content(content, content_id)
    if not permissions.can_hide_content(actor, content, item):
        raise forbidden(_("Du darfst das nicht ausblenden."))
    if item.hidden_at is None:
        apply_content_hide(kind=content, item=item, actor=actor, reason=reason)
    return item


@transaction.atomic
def content_unhide(*, actor: User, kind: Any, content_id: Any, reason: Any = None) -> Any:
    """Show it again (leads: not what a site moderator hid)."""
    content = content_kind(kind)
    reason = clean_reason(reason, required=False)
    item = locked_content(content, content_id)
    if not permissions.can_hide_content(actor, content, item):
        raise forbidden(_("Du darfst das nicht wieder einblenden."))
    if not permissions.can_undo(actor, item.hidden_by):
        raise forbidden(_("Eine Moderatorin oder ein Moderator hat es ausgeblendet."))
    if item.hidden_at is not None:
        apply_content_unhide(kind=content, item=item, actor=actor, reason=reason)
    return item
