"""The calendar feeds under /feeds/ (DESIGN.md)."""

from django.urls import path

from events import feeds

urlpatterns = [
    path("events.ics", feeds.city_feed, name="feed-events"),
    path("initiatives/<slug:slug>/events.ics", feeds.initiative_feed, name="feed-initiative"),
    path("meine/<str:token>.ics", feeds.personal_feed, name="feed-personal"),
]
