"""Community content that moderation can hide and members can report: events, news,
lifehacks, offers and needs.

The content apps and `moderation` are siblings in the layers (docs/architecture.md):
neither imports the other. Each content model takes its hidden state from
`HideableContent`, and its app registers a `ContentKind` in `AppConfig.ready()`;
moderation looks the kind up by name (`content/<kind>/<id>/hide/`), hides through these
fields, and records the kind, id and title in its log. The app's selectors leave hidden
rows out of every list, feed and page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.errors import not_found


class HideableContent(models.Model):
    """Hidden by a moderator or a lead of its initiative: gone for everyone else."""

    hidden_at = models.DateTimeField(_("ausgeblendet am"), null=True, blank=True, editable=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ausgeblendet von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    hidden_reason = models.CharField(_("Grund"), max_length=300, blank=True, editable=False)

    class Meta:
        abstract = True


@dataclass(frozen=True)
class ContentKind:
    """How moderation handles one kind of content, without knowing its app."""

    name: str  # in URLs and the log: "event"
    model: type[HideableContent]
    label: Any  # lazily translated, for people: "Veranstaltung"
    author: Callable[[Any], Any]  # the User who wrote it, or None
    initiative: Callable[[Any], Any]  # its Initiative, or None (city-wide)
    title: Callable[[Any], str]
    url: Callable[[Any], str]  # its page


_kinds: dict[str, ContentKind] = {}


def register(kind: ContentKind) -> None:
    _kinds[kind.name] = kind


def content_kind(name: Any) -> ContentKind:
    """The registered kind called `name` (`not_found` for anything else)."""
    kind = _kinds.get(name) if isinstance(name, str) else None
    if kind is None:
        raise not_found()
    return kind


def kind_names() -> list[str]:
    return sorted(_kinds)


def visible_among(kind: ContentKind, ids: list[int]) -> set[int]:
    """Which of these items are not hidden (what a notification may still quote)."""
    rows = kind.model._default_manager.filter(pk__in=ids, hidden_at__isnull=True)
    return set(rows.values_list("pk", flat=True))


def kind_of(item: Any) -> ContentKind | None:
    """The registered kind of a content row (None: not community content)."""
    return next((kind for kind in _kinds.values() if isinstance(item, kind.model)), None)
