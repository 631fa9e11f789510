"""Organisations as the site moderators see them: the requests waiting for a decision,
and the ones verified."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Profile


def organisations(*, status: str) -> QuerySet[Profile]:
    """`pending`: asked to be verified, oldest request first; `verified`: newest first."""
    profiles = Profile.objects.filter(kind=Profile.Kind.ORGANISATION, user__is_active=True)
    if status == "pending":
        return (
            profiles.filter(verification_requested_at__isnull=False)
            .select_related("user", "district")
            .order_by("verification_requested_at", "pk")
        )
    return (
        profiles.filter(verified_at__isnull=False)
        .select_related("user", "district", "verified_by")
        .order_by("-verified_at", "-pk")
    )
