"""The queue of reported community content (not messages): open reports grouped by
item, escalated first, then by reporters (most first), then the oldest report.
Moderators see every item; leads those of the initiatives they lead."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Count, IntegerField, Max, Min, QuerySet, When

from accounts.selectors import is_moderator, public_user
from common.moderated import content_kind
from common.times import iso
from moderation.models import ContentReport, Report
from moderation.permissions import AnyUser, can_hide_content, led_initiatives, sees_reporters
from moderation.rendering import content_report_data


def pending_content_reports(*, viewer: AnyUser) -> QuerySet[ContentReport]:
    """Open and escalated content reports the viewer may review."""
    qs = ContentReport.objects.filter(status__in=Report.PENDING)
    if is_moderator(viewer):
        return qs
    return qs.filter(initiative__in=led_initiatives(viewer).values("pk"))


def content_queue_groups(*, viewer: AnyUser) -> QuerySet[Any]:
    """One row per reported item: `content_kind`, `content_id`, `reporters`,
    `escalated`, `first_reported_at`; in queue order."""
    escalated = Max(
        Case(When(status=Report.Status.ESCALATED, then=1), default=0, output_field=IntegerField())
    )
    return (
        pending_content_reports(viewer=viewer)
        .values("content_kind", "content_id")
        .annotate(
            reporters=Count("reporter", distinct=True),
            first_reported_at=Min("created_at"),
            escalated=escalated,
        )
        .order_by("-escalated", "-reporters", "first_reported_at", "content_kind", "content_id")
    )


def content_queue_items(*, viewer: AnyUser, groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Render one page of `content_queue_groups`: the item (kind, title, link, author,
    hidden or not), whether the viewer may decide (else: pass on), its reasons and
    reports (reporters for site moderators only)."""
    with_reporter = sees_reporters(viewer)
    items = []
    for group in groups:
        kind = content_kind(group["content_kind"])
        item = kind.model._default_manager.filter(pk=group["content_id"]).first()
        reports = list(
            pending_content_reports(viewer=viewer)
            .filter(content_kind=kind.name, content_id=group["content_id"])
            .select_related("reporter__profile")
            .order_by("created_at")
        )
        reasons: dict[str, int] = {}
        for report in reports:
            reasons[report.reason] = reasons.get(report.reason, 0) + 1
        author = kind.author(item) if item is not None else None
        items.append(
            {
                "content": {
                    "kind": kind.name,
                    "id": group["content_id"],
                    "title": kind.title(item) if item is not None else reports[0].content_title,
                    "label": str(kind.label),
                    "url": kind.url(item) if item is not None else "",
                    "author": public_user(author) if author is not None else None,
                    "hidden": item is not None and item.hidden_at is not None,
                },
                "decidable": item is not None and can_hide_content(viewer, kind, item),
                "reporters": group["reporters"],
                "escalated": bool(group["escalated"]),
                "first_reported_at": iso(group["first_reported_at"]),
                "reasons": reasons,
                "reports": [content_report_data(r, with_reporter=with_reporter) for r in reports],
            }
        )
    return items
