"""Admin for every moderation model. The audit log is read-only here too: it is evidence.

Changes that have live effects (hiding, mutes, bans, appeals) belong in the REST
API, which goes through the services; the admin is for looking things up, and
for the rare repair by an administrator.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from moderation.models import Appeal, Ban, ModerationAction, Mute, Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "message", "reporter", "reason", "status", "resolved_by"]
    list_filter = ["status", "reason"]
    search_fields = ["reporter__username", "text"]
    raw_id_fields = ["message", "reporter", "resolved_by"]
    date_hierarchy = "created_at"


class RestrictionAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "scope_label", "until", "lifted_at", "created_by"]
    list_filter = ["lifted_at"]
    search_fields = ["user__username", "reason"]
    raw_id_fields = ["user", "room", "initiative", "created_by", "lifted_by"]
    date_hierarchy = "created_at"


@admin.register(Mute)
class MuteAdmin(RestrictionAdmin):
    pass


@admin.register(Ban)
class BanAdmin(RestrictionAdmin):
    pass


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "kind", "target_user", "room", "initiative", "reason"]
    list_filter = ["kind", "is_global"]
    search_fields = ["actor__username", "target_user__username", "reason"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "action", "status", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["user__username", "text"]
    raw_id_fields = ["action", "user", "decided_by"]
