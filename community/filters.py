"""Filters of the community lists (REST and pages): category, district, initiative, text."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from common.query import StrictFilterSet
from community.models import Lifehack, Need, News, Offer, OfferKind
from initiatives.models import Category, District


def _text(fields: tuple[str, ...]) -> django_filters.CharFilter:
    def search(queryset: QuerySet, name: str, value: str) -> QuerySet:
        query = Q()
        for field in fields:
            query |= Q(**{f"{field}__icontains": value})
        return queryset.filter(query)

    return django_filters.CharFilter(method=search, max_length=100)


def _category(field: str = "category") -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        field_name=field, to_field_name="slug", queryset=Category.objects.all()
    )


def _district(field: str = "district") -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        field_name=field, to_field_name="slug", queryset=District.objects.all()
    )


def _initiative() -> django_filters.CharFilter:
    return django_filters.CharFilter(field_name="initiative__slug", max_length=140)


class NewsFilter(StrictFilterSet):
    initiative = _initiative()
    category = _category("initiative__category")
    district = _district("initiative__district")
    q = _text(("title", "teaser", "body"))

    class Meta:
        model = News
        fields: list[str] = []


class LifehackFilter(StrictFilterSet):
    category = _category()
    q = _text(("title", "body"))
    sort = django_filters.OrderingFilter(
        fields=(("adoption_count", "adoptions"), ("created_at", "created_at"))
    )

    class Meta:
        model = Lifehack
        fields: list[str] = []


class OfferFilter(StrictFilterSet):
    kind = django_filters.ChoiceFilter(choices=OfferKind.choices)
    category = _category()
    district = _district()
    q = _text(("title", "description"))

    class Meta:
        model = Offer
        fields: list[str] = []


class NeedFilter(StrictFilterSet):
    kind = django_filters.ChoiceFilter(choices=OfferKind.choices)
    initiative = _initiative()
    category = _category()
    district = _district()
    q = _text(("title", "description"))

    class Meta:
        model = Need
        fields: list[str] = []
