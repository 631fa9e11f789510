"""The Mach-Mit-Memo as an Atom feed (/feeds/memo.atom): one entry per kept issue."""

from __future__ import annotations

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from initiatives.city import city_name
from memo import render
from memo.models import MemoIssue
from memo.weeks import Week


class MemoFeed(Feed):
    feed_type = Atom1Feed

    def title(self) -> str:
        return _("Mach-Mit-Memo der Klima-Community %(city)s") % {"city": city_name()}

    def link(self) -> str:
        return reverse("memo-archive")

    def items(self) -> QuerySet[MemoIssue]:
        return MemoIssue.objects.all()[:20]

    def item_title(self, item: MemoIssue) -> str:
        return render.subject(item.content)

    def item_description(self, item: MemoIssue) -> str:
        return render.html_sections(item.content)

    def item_link(self, item: MemoIssue) -> str:
        return reverse("memo-issue", args=[Week(item.year, item.week).label])

    def item_pubdate(self, item: MemoIssue) -> datetime:
        return item.created_at
