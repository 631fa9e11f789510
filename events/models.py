"""Events (of an initiative or city-wide) with RSVPs, and volunteer shifts with sign-ups.

RSVPs and sign-ups follow one rule (events/seats.py): going while there is room
(capacity 0 means unlimited), else on the waiting list in the order people came; a
freed seat goes to the first on the list."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.moderated import HideableContent


class SeatStatus(models.TextChoices):
    GOING = "going", _("dabei")
    WAITLIST = "waitlist", _("Warteliste")


class Event(HideableContent):
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("Initiative"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        help_text=_("Leer: eine stadtweite Veranstaltung (legt die Moderation an)."),
    )
    title = models.CharField(_("Titel"), max_length=120)
    description = models.TextField(_("Beschreibung (Markdown)"), blank=True)
    description_html = models.TextField(editable=False, blank=True)
    start = models.DateTimeField(_("Beginn"))
    end = models.DateTimeField(_("Ende"))
    place = models.CharField(_("Ort"), max_length=200)
    district = models.ForeignKey(
        "initiatives.District",
        verbose_name=_("Stadtbezirk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    capacity = models.PositiveIntegerField(_("Plätze (0 = unbegrenzt)"), default=0)
    action_day = models.BooleanField(_("Aktionstag"), default=False)
    # Counts every change of its seats: the live counters' order (events/live.py).
    seats_version = models.PositiveIntegerField(default=0, editable=False)
    cancelled_at = models.DateTimeField(_("abgesagt am"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("angelegt von"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Veranstaltung")
        verbose_name_plural = _("Veranstaltungen")
        ordering = ["start", "pk"]
        indexes = [models.Index(fields=["start"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="event_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start:%d.%m.%Y})"


class Shift(models.Model):
    """A volunteer slot of an initiative ("Aufbau 9-11 Uhr"), optionally of an event."""

    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("Initiative"),
        on_delete=models.CASCADE,
        related_name="shifts",
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("Veranstaltung"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="shifts",
    )
    title = models.CharField(_("Titel"), max_length=120)
    start = models.DateTimeField(_("Beginn"))
    end = models.DateTimeField(_("Ende"))
    capacity = models.PositiveIntegerField(_("Plätze (0 = unbegrenzt)"), default=0)
    seats_version = models.PositiveIntegerField(default=0, editable=False)
    cancelled_at = models.DateTimeField(_("abgesagt am"), null=True, blank=True)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Schicht")
        verbose_name_plural = _("Schichten")
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="shift_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start:%d.%m.%Y %H:%M})"


class Seat(models.Model):
    """A person's place at an event or in a shift: going, or waiting in order."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Person"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    status = models.CharField(_("Status"), max_length=8, choices=SeatStatus.choices)
    created_at = models.DateTimeField(_("angemeldet am"), auto_now_add=True)
    # The day-before reminder went out (events/reminders.py): once per seat.
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]


class Rsvp(Seat):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rsvps")

    class Meta(Seat.Meta):
        verbose_name = _("Zusage")
        verbose_name_plural = _("Zusagen")
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="rsvp_once")]

    def __str__(self) -> str:
        return f"{self.user} · {self.event} · {self.get_status_display()}"


class Signup(Seat):
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="signups")
    # Ticked by the leads on the day: None until then.
    attended = models.BooleanField(_("war da"), null=True, blank=True)

    class Meta(Seat.Meta):
        verbose_name = _("Schicht-Anmeldung")
        verbose_name_plural = _("Schicht-Anmeldungen")
        constraints = [models.UniqueConstraint(fields=["shift", "user"], name="signup_once")]

    def __str__(self) -> str:
        return f"{self.user} · {self.shift} · {self.get_status_display()}"


class CalendarFeed(models.Model):
    """The secret address of a person's own calendar feed ("my events and shifts").
    Renewing it makes the old address stop working at once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Kalender-Abo")
        verbose_name_plural = _("Kalender-Abos")

    def __str__(self) -> str:
        return str(self.user)
