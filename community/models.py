"""The community's short contributions besides chat and events: news, lifehacks (with
"mach ich auch" adoptions), offers from verified organisations and needs of
initiatives. Each can be hidden by moderation (common/moderated.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.moderated import HideableContent


def _initiative(null: bool) -> models.ForeignKey:
    return models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("Initiative"),
        on_delete=models.CASCADE,
        null=null,
        blank=null,
        related_name="+",
    )


def _term(model: str, label: Any, null: bool = True) -> models.ForeignKey:
    return models.ForeignKey(
        model,
        verbose_name=label,
        on_delete=models.PROTECT,
        null=null,
        blank=null,
        related_name="+",
    )


def _author() -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("von"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )


class News(HideableContent):
    """News of an initiative (by its leads) or city-wide (by the site moderators)."""

    initiative = _initiative(null=True)
    title = models.CharField(_("Titel"), max_length=120)
    teaser = models.CharField(_("Kurz gesagt"), max_length=300)
    body = models.TextField(_("Text (Markdown)"), blank=True)
    body_html = models.TextField(editable=False, blank=True)
    # Drawn anew on upload (common/images.py); the file goes when the row goes.
    image = models.FileField(_("Bild"), upload_to="news/%Y/%m/", blank=True)
    image_alt = models.CharField(_("Bildbeschreibung"), max_length=200, blank=True)
    author = _author()
    created_at = models.DateTimeField(_("veröffentlicht am"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("Neuigkeit")
        verbose_name_plural = _("Neuigkeiten")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Lifehack(HideableContent):
    """A small everyday idea; others say "mach ich auch" (an Adoption)."""

    title = models.CharField(_("Titel"), max_length=120)
    body = models.TextField(_("Text (Markdown)"), max_length=2000)
    body_html = models.TextField(editable=False, blank=True)
    category = _term("initiatives.Category", _("Thema"), null=False)
    author = _author()
    created_at = models.DateTimeField(_("geteilt am"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("Lifehack")
        verbose_name_plural = _("Lifehacks")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Adoption(models.Model):
    """ "Mach ich auch": once per person and lifehack."""

    lifehack = models.ForeignKey(Lifehack, on_delete=models.CASCADE, related_name="adoptions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("„Mach ich auch“")
        verbose_name_plural = _("„Mach ich auch“")
        constraints = [models.UniqueConstraint(fields=["lifehack", "user"], name="adopt_once")]

    def __str__(self) -> str:
        return f"{self.user} · {self.lifehack}"


class OfferKind(models.TextChoices):
    FUNDING = "funding", _("Förderung")
    ADVICE = "advice", _("Beratung")
    DISCOUNT = "discount", _("Rabatt")
    MATERIALS = "materials", _("Material")
    SPACE = "space", pgettext_lazy("offer kind", "Raum")


class Matchable(HideableContent):
    """What offers and needs share: they are matched by kind, topic and district
    (community.selectors)."""

    kind = models.CharField(_("Art"), max_length=10, choices=OfferKind.choices)
    title = models.CharField(_("Titel"), max_length=120)
    description = models.TextField(_("Beschreibung (Markdown)"), blank=True)
    description_html = models.TextField(editable=False, blank=True)
    category = _term("initiatives.Category", _("Thema"))
    district = _term("initiatives.District", _("Stadtbezirk"))
    author = _author()
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True, db_index=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Offer(Matchable):
    """What a verified organisation offers, until a day; expired offers leave the lists."""

    valid_until = models.DateField(_("gültig bis"), db_index=True)

    class Meta(Matchable.Meta):
        verbose_name = _("Angebot")
        verbose_name_plural = _("Angebote")


class Need(Matchable):
    """What an initiative is looking for ("Gesucht: ein Lastenrad für Samstag")."""

    initiative = _initiative(null=False)
    met_at = models.DateTimeField(_("erledigt am"), null=True, blank=True)

    class Meta(Matchable.Meta):
        verbose_name = _("Gesuch")
        verbose_name_plural = _("Gesuche")
