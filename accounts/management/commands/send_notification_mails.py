"""`manage.py send_notification_mails`: notifications by mail, in batches.

Cron-friendly: run it every five minutes (docs/deployment.md). Each run mails each
person at most one batch, and never more often than every 15 minutes; mentions and
replies wait until their reader has been away 10 minutes (accounts/notification_mails.py).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.notification_mails import send_due


class Command(BaseCommand):
    help = "Mail the notifications that are due, one batch per person."

    def handle(self, *args: Any, **options: Any) -> None:
        report = send_due(now=timezone.now())
        self.stdout.write(
            f"{report.mails} mails with {report.notifications} notifications; "
            f"{report.waiting} people later; {report.failed} failed"
        )
