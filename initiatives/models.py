"""Initiatives, their members and the city data (districts, categories) they refer to."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class CityTerm(models.Model):
    """A named entry of the city data file: German name first, English where given."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("Name"), max_length=100)
    name_en = models.CharField(_("Name (englisch)"), max_length=100, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.localized_name

    @property
    def localized_name(self) -> str:
        if (get_language() or "de").startswith("en") and self.name_en:
            return self.name_en
        return self.name


class District(CityTerm):
    """One of the city's districts (Stuttgart: the 23 Stadtbezirke)."""

    class Meta(CityTerm.Meta):
        verbose_name = _("Stadtbezirk")
        verbose_name_plural = _("Stadtbezirke")


class Category(CityTerm):
    class Meta(CityTerm.Meta):
        verbose_name = _("Kategorie")
        verbose_name_plural = _("Kategorien")


class Initiative(models.Model):
    class Status(models.TextChoices):
        IDEA = "idea", _("Idee")
        ACTIVE = "active", _("Aktiv")
        DONE = "done", _("Abgeschlossen")
        # Deleting an initiative archives it: its rooms and history stay readable.
        ARCHIVED = "archived", _("Archiviert")

    title = models.CharField(_("Titel"), max_length=120)
    slug = models.SlugField(unique=True, max_length=140)
    summary = models.CharField(_("Kurzbeschreibung"), max_length=300)
    description = models.TextField(_("Beschreibung (Markdown)"), blank=True)
    description_html = models.TextField(editable=False, blank=True)
    category = models.ForeignKey(
        Category, verbose_name=_("Kategorie"), on_delete=models.PROTECT, related_name="initiatives"
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("Stadtbezirk"),
        on_delete=models.PROTECT,
        related_name="initiatives",
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.IDEA
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("angelegt von"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="initiatives"
    )

    class Meta:
        verbose_name = _("Initiative")
        verbose_name_plural = _("Initiativen")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self) -> str:
        return self.title


class Membership(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Leitung")
        MEMBER = "member", _("Mitglied")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("Rolle"), max_length=6, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "user"], name="membership_unique")
        ]
        ordering = ["joined_at"]

    def __str__(self) -> str:
        return f"{self.user} @ {self.initiative} ({self.role})"


class Follow(models.Model):
    """Someone who wants to hear of an initiative's new events, news and needs: its
    members from joining (until they leave or unfollow), anyone signed in by choice."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Folgen")
        verbose_name_plural = _("Folgen")
        constraints = [models.UniqueConstraint(fields=["initiative", "user"], name="follow_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.initiative_id}"
