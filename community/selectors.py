"""Reads of news, lifehacks, offers and needs: what the lists, feeds, pages and the memo
show. Hidden content (moderation) never leaves here; expired offers and met needs leave
the lists by themselves."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from common.errors import not_found
from common.validation import clean_id
from community.models import Adoption, Lifehack, Need, News, Offer
from initiatives.city import nearby_districts

MATCHES_SHOWN = 5


def news_listed() -> QuerySet[News]:
    return News.objects.filter(hidden_at__isnull=True).select_related(
        "initiative", "author__profile"
    )


def lifehacks_listed() -> QuerySet[Lifehack]:
    """With `adoption_count`, newest first (the API can sort by adoptions)."""
    return (
        Lifehack.objects.filter(hidden_at__isnull=True)
        .select_related("category", "author__profile")
        .annotate(adoption_count=Count("adoptions"))
    )


def lifehacks_popular() -> QuerySet[Lifehack]:
    """The most adopted first (the home page, the memo)."""
    return lifehacks_listed().order_by(F("adoption_count").desc(), "-pk")


def offers_valid() -> QuerySet[Offer]:
    """Offers not hidden, valid today or later, of organisations still verified."""
    return Offer.objects.filter(
        hidden_at__isnull=True,
        valid_until__gte=timezone.localdate(),
        author__profile__verified_at__isnull=False,
        author__is_active=True,
    ).select_related("category", "district", "author__profile")


def needs_open() -> QuerySet[Need]:
    return Need.objects.filter(hidden_at__isnull=True, met_at__isnull=True).select_related(
        "initiative", "category", "district", "author__profile"
    )


def _one(queryset: QuerySet[Any], item_id: Any) -> Any:
    item = queryset.filter(pk=clean_id(item_id, field="id")).first()
    if item is None:
        raise not_found()
    return item


def access_news(*, news_id: Any) -> News:
    return _one(news_listed(), news_id)


def access_lifehack(*, lifehack_id: Any) -> Lifehack:
    return _one(lifehacks_listed(), lifehack_id)


def access_offer(*, offer_id: Any) -> Offer:
    return _one(offers_valid(), offer_id)


def access_need(*, need_id: Any) -> Need:
    """Met needs stay readable (a link in the memo, a page someone bookmarked)."""
    return _one(
        Need.objects.filter(hidden_at__isnull=True).select_related(
            "initiative", "category", "district", "author__profile"
        ),
        need_id,
    )


def offers_for_need(need: Need) -> QuerySet[Offer]:
    """Valid offers of the same kind or category, in the need's district, a neighbouring
    one, or city-wide (an offer without a district)."""
    return offers_valid().filter(
        Q(kind=need.kind) | Q(category=need.category),
        Q(district__isnull=True) | Q(district__slug__in=nearby_districts(need.district.slug)),
    )[:MATCHES_SHOWN]


def needs_for_offer(offer: Offer) -> QuerySet[Need]:
    """Open needs the offer may serve: the same rule read the other way."""
    needs = needs_open().filter(Q(kind=offer.kind) | Q(category=offer.category))
    if offer.district is not None:
        needs = needs.filter(district__slug__in=nearby_districts(offer.district.slug))
    return needs[:MATCHES_SHOWN]


def adopted_among(*, user: Any, lifehack_ids: list[int]) -> set[int]:
    """Which of these lifehacks the user said "mach ich auch" to (one query for a list)."""
    return set(
        Adoption.objects.filter(user=user, lifehack_id__in=lifehack_ids).values_list(
            "lifehack_id", flat=True
        )
    )
