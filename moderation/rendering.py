"""Reports, mutes, bans, log entries and appeals as the REST API shows them.

One renderer per object, so the queue, the lists and the responses of the
actions agree. Who reported is shown to site moderators only
(moderation.permissions.sees_reporters).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from accounts.selectors import PublicUser, public_user
from common.times import iso
from moderation.models import Appeal, ContentReport, ModerationAction, Report, Restriction
from moderation.scopes import scope_of


def _user(user: User | None) -> PublicUser | None:
    return public_user(user) if user is not None else None


def report_data(report: Report, *, with_reporter: bool) -> dict[str, Any]:
    return {
        "id": report.pk,
        "message": report.message_id,
        "reporter": _user(report.reporter) if with_reporter else None,
        "reason": report.reason,
        "text": report.text,
        "status": report.status,
        "created_at": iso(report.created_at),
    }


def content_report_data(report: ContentReport, *, with_reporter: bool) -> dict[str, Any]:
    return {
        "id": report.pk,
        "content": {
            "kind": report.content_kind,
            "id": report.content_id,
            "title": report.content_title,
        },
        "reporter": _user(report.reporter) if with_reporter else None,
        "reason": report.reason,
        "text": report.text,
        "status": report.status,
        "created_at": iso(report.created_at),
    }


def restriction_data(item: Restriction, *, action_id: int | None = None) -> dict[str, Any]:
    """A mute or ban; `action` is the log entry that imposed it (what an appeal names)."""
    return {
        "id": item.pk,
        "user": public_user(item.user),
        "scope": scope_of(item),
        "until": iso(item.until),
        "reason": item.reason,
        "created_at": iso(item.created_at),
        "created_by": _user(item.created_by),
        "lifted_at": iso(item.lifted_at),
        "lifted_by": _user(item.lifted_by),
        "active": item.in_force(),
        "action": action_id,
    }


def action_data(action: ModerationAction) -> dict[str, Any]:
    """One entry of the audit log: who, what, whom, where, why, when."""
    return {
        "id": action.pk,
        "actor": _user(action.actor),
        "automatic": action.actor_id is None,
        "kind": action.kind,
        "target_user": _user(action.target_user),
        "message": action.message_id,
        "content": (
            {"kind": action.content_kind, "id": action.content_id, "title": action.content_title}
            if action.content_kind
            else None
        ),
        "scope": scope_of(action),
        "mute": action.mute_id,
        "ban": action.ban_id,
        "reason": action.reason,
        "created_at": iso(action.created_at),
    }


def appeal_data(appeal: Appeal) -> dict[str, Any]:
    return {
        "id": appeal.pk,
        "action": action_data(appeal.action),
        "user": public_user(appeal.user),
        "text": appeal.text,
        "status": appeal.status,
        "created_at": iso(appeal.created_at),
        "decided_at": iso(appeal.decided_at),
        "decided_by": _user(appeal.decided_by),
        "decision_reason": appeal.decision_reason,
    }
