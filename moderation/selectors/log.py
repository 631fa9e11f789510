"""Reads of the audit log and of appeals: what each viewer may see of them."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet

from accounts.selectors import is_moderator
from common.errors import not_found
from moderation.models import Appeal, ModerationAction
from moderation.permissions import led_initiatives

AnyUser = User | AnonymousUser


def log_visible(viewer: AnyUser) -> QuerySet[ModerationAction]:
    """Moderators see the whole log; leads the entries in their initiatives."""
    qs = ModerationAction.objects.select_related(
        "actor__profile", "target_user__profile", "message"
    )
    if is_moderator(viewer):
        return qs
    return qs.filter(initiative__in=led_initiatives(viewer).values("pk"))


def log_list(
    *, viewer: AnyUser, user_id: int | None = None, kind: str | None = None
) -> QuerySet[ModerationAction]:
    """The log, newest first; optionally about one user or of one kind."""
    qs = log_visible(viewer)
    if user_id is not None:
        qs = qs.filter(target_user_id=user_id)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-created_at", "-pk")


def access_action(*, action_id: int) -> ModerationAction:
    action = (
        ModerationAction.objects.select_related("message__room", "mute", "ban", "target_user")
        .filter(pk=action_id)
        .first()
    )
    if action is None:
        raise not_found()
    return action


def latest_action(*, kind: str, **about: object) -> ModerationAction | None:
    """The newest action of `kind` about a message, mute or ban (what an appeal refers to)."""
    return (
        ModerationAction.objects.filter(kind=kind, **about).order_by("-created_at", "-pk").first()
    )


def appeal_list(*, viewer: AnyUser, status: str | None = None) -> QuerySet[Appeal]:
    """Moderators see every appeal (open ones first); everyone else their own."""
    qs = Appeal.objects.select_related("user__profile", "action", "decided_by__profile")
    if not viewer.is_authenticated:
        return qs.none()
    if not is_moderator(viewer):
        qs = qs.filter(user_id=int(viewer.pk))
    if status:
        qs = qs.filter(status=status)
    is_open = ExpressionWrapper(Q(status=Appeal.Status.OPEN), output_field=BooleanField())
    return qs.annotate(is_open=is_open).order_by("-is_open", "-created_at", "-pk")


def access_appeal(*, appeal_id: int) -> Appeal:
    appeal = (
        Appeal.objects.select_related("action__message__room__initiative", "action__mute")
        .select_related("action__ban", "user")
        .filter(pk=appeal_id)
        .first()
    )
    if appeal is None:
        raise not_found()
    return appeal


def author_history(*, viewer: AnyUser, author_id: int, limit: int = 5) -> dict[str, object]:
    """What the viewer may know of an author's moderation history: counts by kind and the
    latest entries (leads: within their initiatives only)."""
    qs = log_visible(viewer).filter(target_user_id=author_id)
    counts = dict(qs.order_by().values_list("kind").annotate(n=Count("pk")))
    return {"counts": counts, "latest": list(qs.order_by("-created_at", "-pk")[:limit])}
