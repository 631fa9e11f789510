from django.contrib import admin

from accounts.models import Notification, Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "display_name", "kind", "verified_at", "district", "digest_opt_in"]
    list_filter = ["kind", "language", "digest_opt_in"]
    search_fields = ["user__username", "display_name", "user__email"]
    autocomplete_fields = ["user", "verified_by"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "kind", "text", "read_at"]
    list_filter = ["kind"]
    search_fields = ["user__username", "text"]
    autocomplete_fields = ["user"]
