from django.urls import path

from community.feeds import InitiativeNewsFeed, NewsFeed

urlpatterns = [
    path("news.atom", NewsFeed(), name="feed-news"),
    path("initiatives/<slug:slug>/news.atom", InitiativeNewsFeed(), name="feed-initiative-news"),
]
