"""The community profile that sits beside Django's user."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Profile(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANISATION = "organisation", _("Organisation")

    class Language(models.TextChoices):
        GERMAN = "de", _("Deutsch")
        ENGLISH = "en", _("English")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(_("Anzeigename"), max_length=80, blank=True)
    district = models.ForeignKey(
        "initiatives.District",
        verbose_name=_("Stadtbezirk"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    language = models.CharField(
        _("Sprache"), max_length=2, choices=Language.choices, default=Language.GERMAN
    )
    kind = models.CharField(_("Art"), max_length=12, choices=Kind.choices, default=Kind.PERSON)
    # Organisations post offers only once a moderator has verified them.
    verified_at = models.DateTimeField(_("verifiziert am"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verifiziert von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    digest_opt_in = models.BooleanField(_("Mach-Mit-Memo abonniert"), default=False)

    class Meta:
        verbose_name = _("Profil")
        verbose_name_plural = _("Profile")

    def __str__(self) -> str:
        return self.display_name or self.user.get_username()

    @property
    def is_verified_organisation(self) -> bool:
        return self.kind == self.Kind.ORGANISATION and self.verified_at is not None
