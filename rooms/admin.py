"""Admin for rooms, through the same services as everything else: a room saved here
goes through `room_create` / `room_update`, so subscribers see `room.updated` and a
slow-mode change is logged. Messages are in the admin as moderation sees them
(moderation/admin.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.forms import ModelForm
from django.http import HttpRequest

from rooms.models import Room
from rooms.services import rooms as room_services

EDITABLE = ("title", "members_only", "slow_mode_seconds", "archived")


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["title", "initiative", "members_only", "slow_mode_seconds", "archived"]
    list_filter = ["members_only", "archived"]
    list_select_related = ["initiative"]
    search_fields = ["title", "initiative__title"]
    autocomplete_fields = ["initiative"]
    fields = ["initiative", "title", "members_only", "slow_mode_seconds", "archived"]

    def get_readonly_fields(self, request: HttpRequest, obj: Room | None = None) -> list[str]:
        return ["initiative"] if obj else []  # a room does not move between initiatives

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # rooms are archived, their history stays

    def save_model(self, request: HttpRequest, obj: Room, form: ModelForm, change: bool) -> None:
        user = request.user
        if not isinstance(user, User):
            raise PermissionDenied
        if change:
            changes = {
                name: form.cleaned_data[name] for name in EDITABLE if name in form.changed_data
            }
            saved = room_services.room_update(user=user, room=obj, **changes)
        else:
            saved = room_services.room_create(
                initiative=form.cleaned_data["initiative"],
                title=form.cleaned_data["title"],
                members_only=form.cleaned_data["members_only"],
            )
            if form.cleaned_data["slow_mode_seconds"] or form.cleaned_data["archived"]:
                saved = room_services.room_update(
                    user=user,
                    room=saved,
                    slow_mode_seconds=form.cleaned_data["slow_mode_seconds"],
                    archived=form.cleaned_data["archived"],
                )
        obj.pk = saved.pk
        obj._state.adding = False
