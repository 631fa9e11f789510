"""The moderation queue: open reports grouped by message, with what a reviewer needs.

Order: messages hidden pending review first (auto-hidden), then those a lead
escalated, then by distinct reporters (most first), then the oldest report.
Moderators see every room; leads the rooms of initiatives they lead.
"""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    IntegerField,
    Max,
    Min,
    Q,
    QuerySet,
    When,
)

from accounts.selectors import is_moderator
from common.times import iso
from moderation.models import Report
from moderation.permissions import led_initiatives, sees_reporters
from moderation.rendering import action_data, report_data
from moderation.selectors.log import author_history
from rooms.models import Message, Room
from rooms.permissions import sees_hidden_content
from rooms.rendering import messages_data, room_data

AnyUser = User | AnonymousUser

CONTEXT_MESSAGES = 3  # before and after the reported message


def pending_reports(*, viewer: AnyUser) -> QuerySet[Report]:
    """Open and escalated reports the viewer may review."""
    qs = Report.objects.filter(status__in=Report.PENDING)
    if is_moderator(viewer):
        return qs
    return qs.filter(message__room__initiative__in=led_initiatives(viewer).values("pk"))


def queue_groups(*, viewer: AnyUser) -> QuerySet[Any]:
    """One row per reported message: `message`, `reporters`, `escalated`, `hidden`,
    `first_reported_at`; in queue order (see the module docstring)."""
    hidden = ExpressionWrapper(Q(message__hidden_at__isnull=False), output_field=BooleanField())
    # MAX over an integer: PostgreSQL has no MAX(boolean).
    escalated = Max(
        Case(When(status=Report.Status.ESCALATED, then=1), default=0, output_field=IntegerField())
    )
    return (
        pending_reports(viewer=viewer)
        .values("message")
        .annotate(
            reporters=Count("reporter", distinct=True),
            first_reported_at=Min("created_at"),
            escalated=escalated,
            hidden=hidden,
        )
        .order_by("-hidden", "-escalated", "-reporters", "first_reported_at", "message")
    )


def _context(message: Message, *, for_moderator: bool) -> dict[str, Any]:
    room_messages = Message.objects.filter(room_id=message.room_id).select_related(
        "author__profile"
    )
    before = list(room_messages.filter(seq__lt=message.seq).order_by("-seq")[:CONTEXT_MESSAGES])
    before.reverse()
    after = list(room_messages.filter(seq__gt=message.seq).order_by("seq")[:CONTEXT_MESSAGES])
    return {
        "before": messages_data(before, for_moderator=for_moderator),
        "after": messages_data(after, for_moderator=for_moderator),
    }


def queue_items(*, viewer: AnyUser, groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Render one page of `queue_groups`: the message (hidden text for moderators only),
    the room, the reports, context around the message and the author's history."""
    ids = [group["message"] for group in groups]
    messages = {
        m.pk: m
        for m in Message.objects.filter(pk__in=ids).select_related(
            "author__profile", "room__initiative", "hidden_by"
        )
    }
    reports: dict[int, list[Report]] = {}
    for report in (
        pending_reports(viewer=viewer)
        .filter(message_id__in=ids)
        .select_related("reporter__profile")
        .order_by("created_at")
    ):
        reports.setdefault(report.message_id, []).append(report)
    dismissed = dict(
        Report.objects.filter(message_id__in=ids, status=Report.Status.DISMISSED)
        .order_by()
        .values_list("message_id")
        .annotate(n=Count("pk"))
    )
    for_moderator = sees_hidden_content(viewer)
    with_reporter = sees_reporters(viewer)
    items = []
    for group in groups:
        message = messages[group["message"]]
        history = author_history(viewer=viewer, author_id=message.author_id)
        [message_view] = messages_data([message], for_moderator=for_moderator)
        items.append(
            {
                "message": message_view,
                "room": room_data(message.room),
                "reporters": group["reporters"],
                "escalated": bool(group["escalated"]),
                "hidden": message.hidden_at is not None,
                "auto_hidden": message.hidden_at is not None and message.hidden_by_id is None,
                "first_reported_at": iso(group["first_reported_at"]),
                "reasons": _reason_counts(reports.get(message.pk, [])),
                "reports": [
                    report_data(r, with_reporter=with_reporter) for r in reports.get(message.pk, [])
                ],
                "dismissed_before": dismissed.get(message.pk, 0),
                "context": _context(message, for_moderator=for_moderator),
                "author_history": {
                    "counts": history["counts"],
                    "latest": [action_data(a) for a in history["latest"]],  # type: ignore[attr-defined]
                },
            }
        )
    return items


def _reason_counts(reports: list[Report]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for report in reports:
        counts[report.reason] = counts.get(report.reason, 0) + 1
    return counts


def distinct_reporters(*, message: Message) -> int:
    """Distinct people whose reports of `message` wait for review (what auto-hide counts)."""
    return (
        Report.objects.filter(message=message, status__in=Report.PENDING)
        .values("reporter")
        .distinct()
        .count()
    )


def room_member_count(room: Room) -> int:
    """The "members" of a room for the auto-hide share: the initiative's memberships, or,
    for a city-wide room (open to everyone), the people who have written there."""
    if room.initiative_id is not None:
        return room.initiative.memberships.count() if room.initiative else 0
    return Message.objects.filter(room=room).values("author_id").distinct().count()


def auto_hide_threshold(room: Room) -> int:
    """N = max(AUTO_HIDE_MIN_REPORTS, ceil(AUTO_HIDE_PERCENT % of the room's members))."""
    minimum = int(settings.KLIMA["AUTO_HIDE_MIN_REPORTS"])
    share = math.ceil(room_member_count(room) * int(settings.KLIMA["AUTO_HIDE_PERCENT"]) / 100)
    return max(minimum, share)
