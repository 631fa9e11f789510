"""What goes into a Mach-Mit-Memo: for one ISO week and, for a recipient, their district
and its neighbours (None: the whole city).

- the week's events that still have free places, and its shifts short of people;
- open needs of initiatives;
- initiatives and offers new since the week before;
- the most adopted lifehacks.

Composed into plain JSON (titles, times, paths), so that the same content renders
the page, both mails and the text to paste, and the sent issue can be kept as it was
(memo.models.MemoIssue). Hidden, cancelled, met and expired things never get in: the
selectors of each app leave them out.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from common.times import iso
from community import selectors as community
from events import selectors as events
from events.rendering import page_of
from initiatives import selectors as initiatives
from initiatives.city import nearby_districts
from initiatives.models import District
from memo.weeks import Week

PER_SECTION = 5
SECTIONS = ("events", "shifts", "needs", "initiatives", "offers", "lifehacks")
# Something to join in; the lifehacks alone do not make a week worth a mail.
JOIN_IN = SECTIONS[:-1]


def _near(queryset: QuerySet[Any], field: str, district: District | None) -> QuerySet[Any]:
    """Items in the district or a neighbouring one, and those of no district (city-wide)."""
    if district is None:
        return queryset
    return queryset.filter(
        Q(**{f"{field}__isnull": True})
        | Q(**{f"{field}__slug__in": nearby_districts(district.slug)})
    )


def compose(week: Week, district: District | None = None) -> dict[str, Any]:
    """The memo of `week` for a reader in `district`: events and shifts of the 7 days
    from the week's start, or from now if it has begun (a dry run on a Saturday shows
    the coming seven days, as DESIGN.md asks)."""
    begin = max(week.start, timezone.now())
    in_week = {"start__gte": begin, "start__lt": begin + timedelta(days=7)}
    event_rows = _near(events.upcoming_events().filter(**in_week), "district", district)
    free_events = [e for e in event_rows if e.capacity == 0 or e.going < e.capacity]
    shift_rows = _near(events.open_shifts().filter(**in_week), "initiative__district", district)
    short_shifts = [s for s in shift_rows if s.capacity > 0 and s.going < s.capacity]
    # New since the memo before: from last week's start (a memo sent on Monday morning
    # also has what came in since midnight).
    since = {"created_at__gte": week.previous().start, "created_at__lt": week.end}
    new_initiatives = _near(initiatives.initiative_list().filter(**since), "district", district)
    return {
        "week": week.label,
        "district": district.slug if district else None,
        "events": [
            {
                "title": e.title,
                "start": iso(e.start),
                "place": e.place,
                "free": None if e.capacity == 0 else e.capacity - e.going,
                "url": page_of(e),
            }
            for e in free_events[:PER_SECTION]
        ],
        "shifts": [
            {
                "title": s.title,
                "initiative": s.initiative.title,
                "start": iso(s.start),
                "missing": s.capacity - s.going,
                "url": page_of(s),
            }
            for s in short_shifts[:PER_SECTION]
        ],
        "needs": [
            {
                "title": n.title,
                "initiative": n.initiative.title,
                "url": reverse("need-page", args=[n.pk]),
            }
            for n in _near(community.needs_open(), "district", district)[:PER_SECTION]
        ],
        "initiatives": [
            {
                "title": i.title,
                "summary": i.summary,
                "url": reverse("initiative-detail", args=[i.slug]),
            }
            for i in new_initiatives[:PER_SECTION]
        ],
        "offers": [
            {
                "title": o.title,
                "organisation": o.author.profile.display_name or o.author.username,
                "url": reverse("offer-page", args=[o.pk]),
            }
            for o in _near(community.offers_valid().filter(**since), "district", district)[
                :PER_SECTION
            ]
        ],
        "lifehacks": [
            {
                "title": h.title,
                "adoptions": getattr(h, "adoption_count", 0),
                "url": reverse("lifehack-page", args=[h.pk]),
            }
            for h in community.lifehacks_popular()[:3]
        ],
    }


def is_empty(content: dict[str, Any]) -> bool:
    return not any(content[section] for section in JOIN_IN)
