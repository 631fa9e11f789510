from django.urls import path

import common.converters  # noqa: F401 - registers <id:...>
from community import api

urlpatterns = [
    path("news/", api.NewsListView.as_view(), name="news-list"),
    path("news/<id:item_id>/", api.NewsDetailView.as_view(), name="news-detail"),
    path("news/<id:item_id>/image/", api.NewsPictureView.as_view(), name="news-image"),
    path("lifehacks/", api.LifehackListView.as_view(), name="lifehack-list"),
    path("lifehacks/<id:item_id>/", api.LifehackDetailView.as_view(), name="lifehack-detail"),
    path("lifehacks/<id:item_id>/adopt/", api.LifehackAdoptView.as_view(), name="lifehack-adopt"),
    path("offers/", api.OfferListView.as_view(), name="offer-list"),
    path("offers/<id:item_id>/", api.OfferDetailView.as_view(), name="offer-detail"),
    path("needs/", api.NeedListView.as_view(), name="need-list"),
    path("needs/<id:item_id>/", api.NeedDetailView.as_view(), name="need-detail"),
]
