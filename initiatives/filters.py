"""Filters of the initiative list: category, district, status and free text `q`."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from common.query import StrictFilterSet
from initiatives import selectors
from initiatives.models import Category, District, Initiative


class InitiativeFilter(StrictFilterSet):
    category = django_filters.ModelChoiceFilter(
        field_name="category", to_field_name="slug", queryset=Category.objects.all()
    )
    district = django_filters.ModelChoiceFilter(
        field_name="district", to_field_name="slug", queryset=District.objects.all()
    )
    status = django_filters.ChoiceFilter(choices=Initiative.Status.choices)
    q = django_filters.CharFilter(method="search", label=_("Suche"), max_length=200)

    class Meta:
        model = Initiative
        fields = ["category", "district", "status", "q"]

    def search(self, queryset: QuerySet[Initiative], name: str, value: str) -> QuerySet[Initiative]:
        return selectors.initiative_search(queryset, value)
