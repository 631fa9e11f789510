"""Rooms, their messages and the room's event log (`RoomEvent`, ordered by `seq`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Room(models.Model):
    """A chat room of an initiative, or city-wide when `initiative` is null."""

    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("Initiative"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rooms",
    )
    title = models.CharField(_("Titel"), max_length=80)
    members_only = models.BooleanField(_("nur für Mitglieder"), default=False)
    slow_mode_seconds = models.PositiveIntegerField(_("Langsamer Modus (Sekunden)"), default=0)
    archived = models.BooleanField(_("archiviert"), default=False)
    # The seq of the room's latest event. Incremented in the transaction that
    # writes the event, under the row lock: see rooms.services.events.
    last_seq = models.PositiveBigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Raum")
        verbose_name_plural = _("Räume")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.initiative}: {self.title}" if self.initiative_id else self.title


class Message(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages"
    )
    # The thread's root message; replies to a reply attach to the root.
    thread = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    body = models.TextField()
    html = models.TextField()
    client_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    hidden_reason = models.CharField(max_length=300, blank=True)
    # Denormalised for the `reply_count` of every rendering; kept by the services.
    reply_count = models.PositiveIntegerField(default=0)
    # The seq of this message's `message.created` event (REST history pages by it).
    seq = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("Nachricht")
        verbose_name_plural = _("Nachrichten")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["author", "client_id"], name="message_client_id_unique")
        ]
        indexes = [
            models.Index(fields=["room", "seq"]),
            models.Index(fields=["thread", "id"]),
        ]

    def __str__(self) -> str:
        return _("Nachricht #%(id)s von %(author)s in „%(room)s“") % {
            "id": self.pk,
            "author": self.author,
            "room": self.room,
        }

    @property
    def hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None


class Revision(models.Model):
    """The text a message had before an edit."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return _("Fassung von Nachricht #%s") % self.message_id


class Reaction(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    emoji = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "user", "emoji"], name="reaction_unique")
        ]

    def __str__(self) -> str:
        return f"{self.emoji} on #{self.message_id}"


class RoomEvent(models.Model):
    """One entry of a room's log: everything that changes what the room shows."""

    class Kind(models.TextChoices):
        MESSAGE_CREATED = "message.created"
        MESSAGE_EDITED = "message.edited"
        MESSAGE_DELETED = "message.deleted"
        MESSAGE_HIDDEN = "message.hidden"
        MESSAGE_UNHIDDEN = "message.unhidden"
        REACTION_ADDED = "reaction.added"
        REACTION_REMOVED = "reaction.removed"
        ROOM_UPDATED = "room.updated"

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["room", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["room", "seq"], name="room_event_seq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.room_id}#{self.seq} {self.kind}"


class ReadState(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="read_states")
    last_read_seq = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "room"], name="read_state_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.room_id} to {self.last_read_seq}"


class Mention(models.Model):
    """A member a message told about (by `@name` or `@alle`): once per message and
    person, so that an edit which adds a mention notifies only the new one."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "user"], name="mention_once_per_message")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.message_id}"
