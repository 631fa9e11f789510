"""Atom feeds of the news (Django's syndication framework): the whole city's at
/feeds/news.atom, one initiative's at /feeds/initiatives/<slug>/news.atom. Hidden news
never appears (community.selectors)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from common.errors import DomainError
from community import selectors
from community.models import News
from initiatives.city import city_name
from initiatives.models import Initiative
from initiatives.selectors import access_initiative

ENTRIES = 30


class NewsFeed(Feed):
    feed_type = Atom1Feed

    def title(self, obj: Initiative | None = None) -> str:
        if obj is not None:
            return _("Neuigkeiten: %(title)s") % {"title": obj.title}
        return _("Klima-Community %(city)s: Neuigkeiten") % {"city": city_name()}

    def link(self, obj: Initiative | None = None) -> str:
        if obj is not None:
            return reverse("initiative-detail", args=[obj.slug])
        return reverse("news-list-page")

    def subtitle(self, obj: Initiative | None = None) -> str:
        return _("Was die Initiativen erreicht haben und was in der Stadt passiert.")

    def items(self, obj: Initiative | None = None) -> QuerySet[News]:
        news = selectors.news_listed()
        if obj is not None:
            news = news.filter(initiative=obj)
        return news[:ENTRIES]

    def item_title(self, item: News) -> str:
        return item.title

    def item_description(self, item: News) -> str:
        return item.body_html or item.teaser

    def item_link(self, item: News) -> str:
        return reverse("news-page", args=[item.pk])

    def item_pubdate(self, item: News) -> datetime:
        return item.created_at

    def item_author_name(self, item: News) -> str:
        return item.initiative.title if item.initiative else city_name()


class InitiativeNewsFeed(NewsFeed):
    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Initiative:
        try:
            return access_initiative(slug=kwargs["slug"])
        except DomainError:
            raise Http404 from None
