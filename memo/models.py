"""The weekly Mach-Mit-Memo: each week's city-wide issue as it was sent, and who got it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MemoIssue(models.Model):
    """One week's city-wide memo, kept as it was sent: the public page
    /memo/<year>-<week>/, its archive and feed show this, not today's data."""

    year = models.PositiveIntegerField()
    week = models.PositiveSmallIntegerField()
    content = models.JSONField(_("Inhalt"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Mach-Mit-Memo")
        verbose_name_plural = _("Mach-Mit-Memos")
        ordering = ["-year", "-week"]
        constraints = [models.UniqueConstraint(fields=["year", "week"], name="memo_once_a_week")]

    def __str__(self) -> str:
        return f"{self.year}-{self.week:02d}"


class MemoDelivery(models.Model):
    """That a person got the memo of a week: `send_memo` sends nothing twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    week = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Memo-Versand")
        verbose_name_plural = _("Memo-Versand")
        constraints = [
            models.UniqueConstraint(fields=["user", "year", "week"], name="memo_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.year}-{self.week:02d}"
