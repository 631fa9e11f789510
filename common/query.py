"""Query parameters of the REST API, read one strict way: whole numbers within their
bounds, yes/no, one of a list. A parameter given with an empty or wrong value is a
400 naming it, never taken as "not given" (the schema says what each may be)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from typing import Any

import django_filters
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from common.errors import DomainError
from common.validation import MAX_ID, clean_int

TRUE, FALSE = ("true", "1", "yes"), ("false", "0", "no")


def int_param(
    request: Request, name: str, *, minimum: int = 0, maximum: int = MAX_ID
) -> int | None:
    """A whole number within the bounds (as every integer: common.validation), or None
    where the parameter is not given."""
    raw = request.query_params.get(name)
    if raw is None:
        return None
    value: Any = raw
    if raw.isascii() and raw.removeprefix("-").isdigit():
        with contextlib.suppress(ValueError):  # more digits than Python converts
            value = int(raw)
    try:
        return clean_int(value, field=name, minimum=minimum, maximum=maximum)
    except DomainError as error:
        raise ValidationError({name: [error.detail]}) from None


def text_param(request: Request, name: str, *, maximum: int) -> str:
    """A text, trimmed ("" where not given): at most `maximum` characters, no NUL (which
    PostgreSQL cannot compare)."""
    raw = request.query_params.get(name, "")
    if len(raw) > maximum or "\x00" in raw:
        raise ValidationError(
            {
                name: [
                    _("`%(field)s` muss ein Text mit höchstens %(n)d Zeichen sein.")
                    % {"field": name, "n": maximum}
                ]
            }
        )
    return raw.strip()


def bool_param(request: Request, name: str) -> bool | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    if raw.lower() in TRUE:
        return True
    if raw.lower() in FALSE:
        return False
    raise ValidationError({name: [_("`%(field)s` muss true oder false sein.") % {"field": name}]})


def choice_param(request: Request, name: str, choices: Iterable[str]) -> str | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    allowed = list(choices)
    if raw not in allowed:
        raise ValidationError(
            {
                name: [
                    _("`%(field)s` muss einer dieser Werte sein: %(values)s")
                    % {"field": name, "values": ", ".join(allowed)}
                ]
            }
        )
    return raw


# Filters whose empty value is no value (the schema says: one of a list, a date).
CHOICE_FILTERS = (
    django_filters.ChoiceFilter,
    django_filters.ModelChoiceFilter,
    django_filters.DateFilter,
)


class StrictFilterSet(django_filters.FilterSet):
    """django-filter's FilterSet, except that a choice or date filter given with an
    empty value is an error (django-filter takes it as "no filter")."""

    def is_valid(self) -> bool:
        valid = bool(super().is_valid())
        for name, filter_ in self.filters.items():
            if isinstance(filter_, CHOICE_FILTERS) and self.data.get(name) == "":
                self.form.add_error(name, _("Leer ist kein Wert: den Filter weglassen."))
                valid = False
        return valid
