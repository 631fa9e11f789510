"""News, lifehacks, offers and needs as content that moderation can hide
(common/moderated.py); registered by community/apps.py."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.notifications import register_subject
from common import moderated
from community.models import Lifehack, Need, News, Offer


def register_kinds() -> None:
    for name, model, label, page, initiative in (
        ("news", News, _("Neuigkeit"), "news-page", lambda item: item.initiative),
        ("lifehack", Lifehack, _("Lifehack"), "lifehack-page", lambda item: None),
        ("offer", Offer, _("Angebot"), "offer-page", lambda item: None),
        ("need", Need, _("Gesuch"), "need-page", lambda item: item.initiative),
    ):
        kind = moderated.ContentKind(
            name=name,
            model=model,
            label=label,
            author=lambda item: item.author,
            initiative=initiative,
            title=lambda item: item.title,
            url=lambda item, page=page: reverse(page, args=[item.pk]),  # type: ignore[misc]
        )
        moderated.register(kind)
        # A notification quotes it while it is not hidden (accounts/notifications.py).
        register_subject(
            name,
            lambda user, ids, kind=kind: moderated.visible_among(kind, ids),  # type: ignore[misc]
        )
