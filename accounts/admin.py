"""Admin for profiles and notifications. Notifications are read-only here: they are
created by the services that send them live (accounts.notifications), never by hand."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accounts.models import Notification, Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "display_name", "kind", "verified_at", "district", "digest_opt_in"]
    list_filter = ["kind", "language", "digest_opt_in"]
    list_select_related = ["user", "district"]
    search_fields = ["user__username", "display_name", "user__email"]
    autocomplete_fields = ["user", "verified_by"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "kind", "text", "read_at"]
    list_filter = ["kind"]
    list_select_related = ["user"]
    search_fields = ["user__username", "text"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
