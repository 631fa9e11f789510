"""Reports, mutes, bans, the audit log (`ModerationAction`) and appeals.

A mute or ban has a scope: a room, an initiative (all its rooms), or global
(neither set). It is in force from its creation until `until` (or for ever when
null) unless it was lifted (`lifted_at`). Nothing here is ever deleted by the
services: lifting and resolving keep the history that the audit log refers to.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportBase(models.Model):
    """What a report says, whatever it reports: who, why, and how it was decided."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam")
        HARASSMENT = "harassment", _("Belästigung")
        MISINFORMATION = "misinformation", _("Falschinformation")
        OFF_TOPIC = "off_topic", _("Themenfremd")
        OTHER = "other", _("Anderes")

    class Status(models.TextChoices):
        OPEN = "open", _("offen")
        # A lead passed it on to the site moderators; still in the queue.
        ESCALATED = "escalated", _("an die Moderation weitergegeben")
        DISMISSED = "dismissed", _("verworfen")
        # What it reports was hidden because of it.
        ACTIONED = "actioned", _("erledigt: ausgeblendet")

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gemeldet von"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.CharField(_("Grund"), max_length=16, choices=Reason.choices)
    text = models.TextField(_("Erläuterung"), max_length=1000, blank=True)
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("gemeldet am"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("erledigt am"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erledigt von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    PENDING = (Status.OPEN, Status.ESCALATED)

    class Meta:
        abstract = True
        ordering = ["-created_at"]


class Report(ReportBase):
    """One user's report of one message (once per user and message)."""

    message = models.ForeignKey(
        "rooms.Message", verbose_name=_("Nachricht"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta(ReportBase.Meta):
        verbose_name = _("Meldung")
        verbose_name_plural = _("Meldungen")
        constraints = [
            models.UniqueConstraint(fields=["message", "reporter"], name="report_once_per_user")
        ]
        indexes = [models.Index(fields=["status", "message"])]

    def __str__(self) -> str:
        return _("Meldung (%(reason)s) von Nachricht #%(message)s") % {
            "reason": self.get_reason_display(),
            "message": self.message_id,
        }


class ContentReport(ReportBase):
    """One user's report of community content that is not a message (an event, news,
    a lifehack, an offer, a need: common/moderated.py), once per person and item.

    The content is named by kind and id (moderation does not import the content apps);
    the title is kept as reported, and `initiative` says whose leads review it (none:
    city-wide content, for the site moderators). Reasons and states are a message
    report's. Content is not hidden automatically by a number of reports: it is fewer
    items, each posted by a known member, so a person decides (docs/moderation.md)."""

    content_kind = models.CharField(_("Art des Inhalts"), max_length=20)
    content_id = models.PositiveBigIntegerField()
    content_title = models.CharField(_("Inhalt"), max_length=200)
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("Initiative"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta(ReportBase.Meta):
        verbose_name = _("Meldung eines Beitrags")
        verbose_name_plural = _("Meldungen von Beiträgen")
        constraints = [
            models.UniqueConstraint(
                fields=["content_kind", "content_id", "reporter"],
                name="content_report_once_per_user",
            )
        ]
        indexes = [models.Index(fields=["status", "content_kind", "content_id"])]

    def __str__(self) -> str:
        return _("Meldung (%(reason)s) von „%(title)s“") % {
            "reason": self.get_reason_display(),
            "title": self.content_title,
        }


class Restriction(models.Model):
    """What mutes and bans share: who, where (scope), until when, by whom and why."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Person"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    # Scope: a room, or an initiative, or (neither) the whole site.
    room = models.ForeignKey(
        "rooms.Room",
        verbose_name=_("Raum"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("Initiative"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    until = models.DateTimeField(_("bis"), null=True, blank=True)
    reason = models.CharField(_("Grund"), max_length=300)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("angelegt von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    lifted_at = models.DateTimeField(_("aufgehoben am"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aufgehoben von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} · {self.scope_label}"

    @property
    def scope_label(self) -> str:
        """Where it applies, for people: „Raum „Plenum““, „Initiative „…““ or „überall“."""
        if self.room_id is not None:
            return _("Raum „%s“") % self.room
        if self.initiative_id is not None:
            return _("Initiative „%s“") % self.initiative
        return str(_("überall"))

    @property
    def is_global(self) -> bool:
        return self.room_id is None and self.initiative_id is None

    def in_force(self, now: Any = None) -> bool:
        now = now or timezone.now()
        return self.lifted_at is None and (self.until is None or self.until > now)

    @staticmethod
    def in_force_q(now: Any = None) -> Q:
        """The filter for restrictions in force at `now`: not lifted, not expired."""
        now = now or timezone.now()
        return Q(lifted_at__isnull=True) & (Q(until__isnull=True) | Q(until__gt=now))


def _one_scope(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(room__isnull=True) | Q(initiative__isnull=True), name=name
    )


class Mute(Restriction):
    """The user may read but not write (send, edit, react) within the scope."""

    class Meta(Restriction.Meta):
        verbose_name = _("Stummschaltung")
        verbose_name_plural = _("Stummschaltungen")
        constraints = [_one_scope("mute_one_scope")]
        indexes = [models.Index(fields=["user", "lifted_at"])]


class Ban(Restriction):
    """The user may neither read nor write within the scope; global: no sign-in at all."""

    class Meta(Restriction.Meta):
        verbose_name = _("Sperre")
        verbose_name_plural = _("Sperren")
        constraints = [_one_scope("ban_one_scope")]
        indexes = [models.Index(fields=["user", "lifted_at"])]


class ModerationAction(models.Model):
    """The audit log: who did what to whom, where and why. Append-only: never edited."""

    class Kind(models.TextChoices):
        HIDE = "hide", _("ausgeblendet")
        UNHIDE = "unhide", _("wieder eingeblendet")
        MUTE = "mute", _("stummgeschaltet")
        UNMUTE = "unmute", _("Stummschaltung aufgehoben")
        BAN = "ban", _("gesperrt")
        UNBAN = "unban", _("Sperre aufgehoben")
        REPORTS_DISMISSED = "reports_dismissed", _("Meldungen verworfen")
        REPORTS_ESCALATED = "reports_escalated", _("Meldungen weitergegeben")
        SLOW_MODE = "slow_mode", _("langsamer Modus geändert")
        APPEAL_UPHELD = "appeal_upheld", _("Einspruch abgelehnt")
        APPEAL_REVERSED = "appeal_reversed", _("Einspruch stattgegeben")
        VERIFY = "verify", _("als Organisation bestätigt")
        UNVERIFY = "unverify", _("Bestätigung als Organisation abgelehnt oder entzogen")

    # The kinds a person affected by them may appeal against.
    APPEALABLE = (Kind.HIDE, Kind.MUTE, Kind.BAN)

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("wer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("leer: automatisch (z. B. nach Meldungen ausgeblendet)"),
    )
    kind = models.CharField(_("was"), max_length=20, choices=Kind.choices)
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("wen"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    message = models.ForeignKey(
        "rooms.Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Where: the scope of a mute or ban, or the room of a message. `initiative` is
    # also set for actions in an initiative's rooms, so leads see their part of the log.
    room = models.ForeignKey(
        "rooms.Room", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Community content that is not a message (common/moderated.py): its kind and id,
    # and its title as it was, for the log (the content itself may change or go).
    content_kind = models.CharField(_("Art des Inhalts"), max_length=20, blank=True)
    content_id = models.PositiveBigIntegerField(null=True, blank=True)
    content_title = models.CharField(_("Inhalt"), max_length=200, blank=True)
    is_global = models.BooleanField(_("überall"), default=False)
    mute = models.ForeignKey(Mute, on_delete=models.SET_NULL, null=True, blank=True)
    ban = models.ForeignKey(Ban, on_delete=models.SET_NULL, null=True, blank=True)
    reason = models.CharField(_("warum"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("wann"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("Moderationsmaßnahme")
        verbose_name_plural = _("Moderationsprotokoll")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["target_user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} · {self.actor} · {self.get_kind_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The log is evidence: an entry, once written, stays as it was.
        if self.pk is not None and not self._state.adding:
            raise ValueError("moderation actions are never edited")
        super().save(*args, **kwargs)


class Appeal(models.Model):
    """The affected person asks the site moderators to reverse an action (once per action)."""

    class Status(models.TextChoices):
        OPEN = "open", _("offen")
        UPHELD = "upheld", _("abgelehnt: die Maßnahme bleibt")
        REVERSED = "reversed", _("stattgegeben: die Maßnahme ist aufgehoben")

    action = models.OneToOneField(
        ModerationAction,
        verbose_name=_("Maßnahme"),
        on_delete=models.CASCADE,
        related_name="appeal",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("von"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    text = models.TextField(_("Begründung"), max_length=2000)
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("eingelegt am"), auto_now_add=True)
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entschieden von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_reason = models.CharField(_("Begründung der Entscheidung"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Einspruch")
        verbose_name_plural = _("Einsprüche")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return _("Einspruch von %(user)s (%(status)s)") % {
            "user": self.user,
            "status": self.get_status_display(),
        }
