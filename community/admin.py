"""Admin for news, lifehacks, offers and needs: to look things up and to delete. Posting
and changing go through community/services.py (the pages and the API), which render
the Markdown; hiding goes through moderation (its console and REST), which logs it."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from community.models import Adoption, Lifehack, Need, News, Offer


class LookUpAdmin(admin.ModelAdmin):
    readonly_fields = ["hidden_at", "hidden_by", "hidden_reason"]
    list_filter = [("hidden_at", admin.EmptyFieldListFilter)]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(News)
class NewsAdmin(LookUpAdmin):
    list_display = ["title", "initiative", "author", "created_at", "hidden_at"]
    list_select_related = ["initiative", "author"]
    search_fields = ["title", "teaser"]


@admin.register(Lifehack)
class LifehackAdmin(LookUpAdmin):
    list_display = ["title", "category", "author", "created_at", "hidden_at"]
    list_select_related = ["category", "author"]
    search_fields = ["title", "body"]


@admin.register(Offer)
class OfferAdmin(LookUpAdmin):
    list_display = ["title", "kind", "author", "valid_until", "hidden_at"]
    list_select_related = ["author"]
    list_filter = ["kind", ("hidden_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "description"]


@admin.register(Need)
class NeedAdmin(LookUpAdmin):
    list_display = ["title", "initiative", "kind", "district", "met_at", "hidden_at"]
    list_select_related = ["initiative", "district"]
    list_filter = ["kind", ("met_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "description"]


@admin.register(Adoption)
class AdoptionAdmin(admin.ModelAdmin):
    list_display = ["lifehack", "user", "created_at"]
    list_select_related = ["lifehack", "user"]
    search_fields = ["lifehack__title", "user__username"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
