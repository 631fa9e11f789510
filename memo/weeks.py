"""ISO weeks in Europe/Berlin: the memo of week 2026-50 covers Monday 7 December 00:00
to the next Monday, and is sent at its start."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from common.errors import not_found

_LABEL = re.compile(r"(\d{4})-(\d{1,2})")


@dataclass(frozen=True, order=True)
class Week:
    year: int
    week: int

    @classmethod
    def of(cls, day: date) -> Week:
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @classmethod
    def current(cls) -> Week:
        return cls.of(timezone.localdate())

    @classmethod
    def parse(cls, label: str) -> Week:
        """ "2026-50" (also "2026-5"); `not_found` for anything that names no week."""
        match = _LABEL.fullmatch(label)
        if match is None:
            raise not_found()
        try:
            date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except ValueError:
            raise not_found() from None
        return cls(int(match[1]), int(match[2]))

    @property
    def label(self) -> str:
        return f"{self.year}-{self.week:02d}"

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.monday, time.min))

    @property
    def end(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.monday + timedelta(days=7), time.min))

    def previous(self) -> Week:
        return Week.of(self.monday - timedelta(days=7))
