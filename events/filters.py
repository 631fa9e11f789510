"""Filters of the event lists (REST, pages, calendar feeds): one set for all of them."""

from __future__ import annotations

import django_filters

from common.query import StrictFilterSet
from events.models import Event
from initiatives.models import Category, District


class EventFilter(StrictFilterSet):
    # A slug, not a list of choices: the schema would have to enumerate every initiative.
    initiative = django_filters.CharFilter(field_name="initiative__slug", max_length=140)
    district = django_filters.ModelChoiceFilter(
        field_name="district", to_field_name="slug", queryset=District.objects.all()
    )
    category = django_filters.ModelChoiceFilter(
        field_name="initiative__category", to_field_name="slug", queryset=Category.objects.all()
    )
    # Days in Europe/Berlin, each included whole. `from` is a Python keyword: the class
    # body's namespace takes it as a name all the same.
    locals()["from"] = django_filters.DateFilter(field_name="start", lookup_expr="date__gte")
    to = django_filters.DateFilter(field_name="start", lookup_expr="date__lte")

    class Meta:
        model = Event
        fields: list[str] = []
