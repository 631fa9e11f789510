"""`manage.py send_memo [--week 2026-50] [--dry-run]`: the weekly Mach-Mit-Memo.

Cron-friendly: run it every Monday morning (or every hour: each person gets each
week's memo once). `--dry-run` prints the city-wide German memo and the number of
recipients, and sends nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from common.errors import DomainError
from memo import render, services
from memo.compose import compose
from memo.weeks import Week


class Command(BaseCommand):
    help = "Send this week's Mach-Mit-Memo to everyone who opted in (once per person and week)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--week", help="an ISO week such as 2026-50 (default: this week)")
        parser.add_argument(
            "--dry-run", action="store_true", help="print the memo and the recipients; send nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            week = Week.parse(options["week"]) if options["week"] else Week.current()
        except DomainError:
            raise CommandError(f"not an ISO week: {options['week']!r} (e.g. 2026-50)") from None
        if options["dry_run"]:
            with translation.override("de"):
                self.stdout.write(render.text(compose(week)))
            self.stdout.write(f"Empfängerinnen und Empfänger: {services.recipients().count()}")
            return
        report = services.send_week(week)
        self.stdout.write(
            f"Mach-Mit-Memo {week.label}: {report.sent} sent, {report.already} had it already, "
            f"{report.failed} failed, of {report.recipients} recipients."
        )
