"""Reads about initiatives: lists with filters, lookups that authorize, members."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, Q, QuerySet

from common.errors import not_found
from common.validation import clean_id
from initiatives.models import Category, District, Follow, Initiative, Membership

AnyUser = User | AnonymousUser


def initiative_list(*, include_archived: bool = False) -> QuerySet[Initiative]:
    """Initiatives with their member count; archived ones only when asked for."""
    qs = Initiative.objects.select_related("category", "district").annotate(
        member_count=Count("memberships", distinct=True)
    )
    if not include_archived:
        qs = qs.exclude(status=Initiative.Status.ARCHIVED)
    return qs.order_by("-created_at", "-pk")


def initiative_search(qs: QuerySet[Initiative], text: str) -> QuerySet[Initiative]:
    text = text.strip()
    if not text:
        return qs
    return qs.filter(
        Q(title__icontains=text) | Q(summary__icontains=text) | Q(description__icontains=text)
    )


def access_initiative(*, slug: str) -> Initiative:
    """The initiative by slug; `not_found` otherwise. Initiatives are public, archived too."""
    if "\x00" in slug:  # no slug has one, and PostgreSQL refuses NUL in a query
        raise not_found()
    try:
        return initiative_list(include_archived=True).get(slug=slug)
    except Initiative.DoesNotExist:
        raise not_found() from None


def membership_list(*, initiative: Initiative) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(initiative=initiative)
        .select_related("user", "user__profile")
        .order_by("joined_at", "pk")
    )


def access_membership(*, initiative: Initiative, user_id: int) -> Membership:
    try:
        return membership_list(initiative=initiative).get(user_id=clean_id(user_id, field="user"))
    except Membership.DoesNotExist:
        raise not_found() from None


def lead_count(*, initiative: Initiative) -> int:
    return Membership.objects.filter(initiative=initiative, role=Membership.Role.LEAD).count()


def category_list() -> QuerySet[Category]:
    return Category.objects.all()


def district_list() -> QuerySet[District]:
    return District.objects.all()


def is_following(*, user: AnyUser, initiative: Initiative) -> bool:
    return bool(
        user.is_authenticated and Follow.objects.filter(initiative=initiative, user=user).exists()
    )


def followers(*, initiative: Initiative) -> QuerySet[User]:
    """Who hears of the initiative's new events, news and needs (active accounts)."""
    return User.objects.filter(
        pk__in=Follow.objects.filter(initiative=initiative).values("user_id"), is_active=True
    ).select_related("profile")
