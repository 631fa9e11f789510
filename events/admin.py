"""Admin for events and shifts: to look things up and fix texts. Seats (RSVPs, sign-ups)
are read-only here: their order is the waiting list's, kept by events/services.py."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from events.models import Event, Rsvp, Shift, Signup


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "initiative",
        "start",
        "place",
        "capacity",
        "action_day",
        "cancelled_at",
    ]
    list_filter = ["action_day", ("cancelled_at", admin.EmptyFieldListFilter)]
    list_select_related = ["initiative"]
    search_fields = ["title", "place", "initiative__title"]
    autocomplete_fields = ["initiative", "district"]
    date_hierarchy = "start"
    readonly_fields = ["created_by", "created_at"]


@admin.register(Shift)
class ShiftAdmin(admin.ModelAdmin):
    list_display = ["title", "initiative", "event", "start", "capacity", "cancelled_at"]
    list_select_related = ["initiative", "event"]
    search_fields = ["title", "initiative__title"]
    autocomplete_fields = ["initiative", "event"]
    date_hierarchy = "start"


class SeatAdmin(admin.ModelAdmin):
    list_filter = ["status"]
    search_fields = ["user__username"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Rsvp)
class RsvpAdmin(SeatAdmin):
    list_display = ["event", "user", "status", "created_at"]
    list_select_related = ["event", "user"]


@admin.register(Signup)
class SignupAdmin(SeatAdmin):
    list_display = ["shift", "user", "status", "attended", "created_at"]
    list_select_related = ["shift", "user"]
