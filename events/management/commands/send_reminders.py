"""`manage.py send_reminders`: the day-before reminders of events and shifts.

Cron-friendly: run it hourly (docs/deployment.md); each seat is reminded once.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from events.reminders import remind


class Command(BaseCommand):
    help = "Remind everyone going to tomorrow's events and shifts (once per seat)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{remind(now=timezone.now())} reminders")
