"""Integers and texts from clients, checked one way everywhere (websocket frames, REST
bodies, the services behind both).

JSON has one number type and Python's `bool` is an `int`: `true`, `1.0` and `"12"`
are not ids. Ids are database ids: one outside 1..MAX_ID cannot exist, and a query
with it would overflow a 64-bit column (a server error on SQLite), so it is
`not_found` without a query.
"""

from __future__ import annotations

from typing import Any, TypeGuard

from django.utils.translation import gettext as _

from common.errors import DomainError, not_found

MAX_ID = 2**63 - 1


def is_int(value: Any) -> TypeGuard[int]:
    """A JSON integer: an `int`, not a `bool`."""
    return isinstance(value, int) and not isinstance(value, bool)


def clean_int(
    value: Any, *, field: str, minimum: int | None = None, maximum: int | None = None
) -> int:
    """`value` if it is an integer within the bounds; `invalid`, naming the field, if not."""
    above = minimum is None or (is_int(value) and value >= minimum)
    below = maximum is None or (is_int(value) and value <= maximum)
    if is_int(value) and above and below:
        return int(value)
    if minimum is not None and maximum is not None:
        detail = _("`%(field)s` muss eine ganze Zahl von %(min)d bis %(max)d sein.")
    elif minimum is not None:
        detail = _("`%(field)s` muss eine ganze Zahl ab %(min)d sein.")
    else:
        detail = _("`%(field)s` muss eine ganze Zahl sein.")
    raise DomainError("invalid", detail % {"field": field, "min": minimum, "max": maximum})


def clean_id(value: Any, *, field: str) -> int:
    """A database id: an integer (`invalid` if not); outside 1..MAX_ID, `not_found`."""
    number = clean_int(value, field=field)
    if not 0 < number <= MAX_ID:
        raise not_found()
    return number


def clean_optional_id(value: Any, *, field: str) -> int | None:
    """`clean_id`, or None where the field is absent or null."""
    return None if value is None else clean_id(value, field=field)


def clean_text(value: Any, *, field: str, maximum: int, required: bool = True) -> str:
    """A text from a client, trimmed: at most `maximum` characters, and not empty
    unless not `required` (then None is "" too)."""
    if value is None and not required:
        return ""
    if not isinstance(value, str) or len(value.strip()) > maximum:
        raise DomainError(
            "invalid",
            _("`%(field)s` muss ein Text mit höchstens %(n)d Zeichen sein.")
            % {"field": field, "n": maximum},
        )
    if required and not value.strip():
        raise DomainError("invalid", _("`%(field)s` darf nicht leer sein.") % {"field": field})
    return value.strip()
