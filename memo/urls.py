from django.urls import path

from memo.feeds import MemoFeed

urlpatterns = [path("memo.atom", MemoFeed(), name="feed-memo")]
