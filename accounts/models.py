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
        ENGLISH = "en", _("Englisch")

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
    # Asked for from the profile page; a site moderator decides (moderation/services).
    verification_requested_at = models.DateTimeField(
        _("Verifizierung beantragt am"), null=True, blank=True
    )
    digest_opt_in = models.BooleanField(_("Mach-Mit-Memo abonniert"), default=False)
    # Set by the link of the confirmation mail sent on registration (accounts/emails.py).
    email_confirmed_at = models.DateTimeField(_("E-Mail bestätigt am"), null=True, blank=True)
    # {kind: {"app": bool, "email": bool}}, only what differs from the defaults
    # (accounts/preferences.py).
    notification_settings = models.JSONField(_("Benachrichtigungen"), default=dict, blank=True)
    # When a connection of this person was last open (rooms' consumer, at most every
    # few minutes): mails about mentions wait until they have been away a while.
    last_seen_at = models.DateTimeField(_("zuletzt verbunden"), null=True, blank=True)
    # The last mail of notifications: at most one per NOTIFICATION_MAIL_EVERY.
    notifications_mailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Profil")
        verbose_name_plural = _("Profile")

    def __str__(self) -> str:
        return self.display_name or self.user.get_username()

    @property
    def is_verified_organisation(self) -> bool:
        return self.kind == self.Kind.ORGANISATION and self.verified_at is not None


class Notification(models.Model):
    """Something that concerns one user: shown in their list and sent live as a frame."""

    class Kind(models.TextChoices):
        MENTION = "mention", _("Erwähnung")
        REPLY = "reply", _("Antwort")
        MODERATION = "moderation", _("Moderation")
        WAITLIST = "waitlist", _("Warteliste")
        APPEAL = "appeal", _("Einspruch")
        FOLLOW = "follow", _("Folgen")
        REMINDER = "reminder", _("Erinnerung")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("Art"), max_length=12, choices=Kind.choices)
    text = models.CharField(_("Text"), max_length=500)
    url = models.CharField(_("Link"), max_length=300, blank=True)
    # What it is about (a message, an event, ...; accounts/notifications.py), and the
    # words of it that it quotes while the user may still read them.
    subject_kind = models.CharField(max_length=20, blank=True)
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    quote = models.CharField(_("Zitat"), max_length=200, blank=True)
    # The person's preferences when it was made: shown in the app (list, bell, frame),
    # and/or to go out by mail (accounts/notification_mails.py sets mailed_at).
    in_app = models.BooleanField(default=True)
    by_mail = models.BooleanField(default=False)
    mailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("erstellt am"), auto_now_add=True)
    read_at = models.DateTimeField(_("gelesen am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Benachrichtigung")
        verbose_name_plural = _("Benachrichtigungen")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "read_at", "-created_at"]),
            # What the mail run looks for: few rows, found without a scan.
            models.Index(
                fields=["user", "created_at"],
                name="notification_mail_due",
                condition=models.Q(by_mail=True, mailed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}"
