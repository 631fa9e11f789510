"""Lookups of the web pages: a service's `not_found` becomes the 404 page, `forbidden`
and `banned` the 403 page with the service's reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import Http404

from common.errors import DomainError
from initiatives import selectors
from initiatives.models import Initiative
from rooms import selectors as room_selectors
from rooms.models import Room

T = TypeVar("T")


def _as_page_error(error: DomainError) -> Exception:
    if error.code in ("not_found", "invalid"):
        return Http404(error.detail)
    return PermissionDenied(error.detail)


def item_or_error(lookup: Callable[[], T]) -> T:
    """Any selector's `access_*` for a page: `not_found` is the 404 page."""
    try:
        return lookup()
    except DomainError as error:
        raise _as_page_error(error) from None


def initiative_or_404(slug: str) -> Initiative:
    return item_or_error(lambda: selectors.access_initiative(slug=slug))


def room_or_error(user: Any, room_id: int) -> Room:
    return item_or_error(lambda: room_selectors.access_room(user=user, room_id=room_id))
