"""Admin for initiatives, memberships and the city data. Initiatives are created and
changed through the same services as the API: a new one gets its slug, its first
lead (the admin who creates it; add others below and step down later) and its room
"Allgemein"; archiving is a status like any other."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from initiatives import services
from initiatives.models import Category, District, Initiative, Membership

FIELDS = ["title", "summary", "description", "category", "district", "status"]


class InitiativeAdminForm(forms.ModelForm):
    class Meta:
        model = Initiative
        fields = FIELDS

    def clean_status(self) -> str:
        status = self.cleaned_data["status"]
        if self.instance.pk is None and status == Initiative.Status.ARCHIVED:
            raise ValidationError(_("Eine neue Initiative kann nicht archiviert sein."))
        return str(status)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "district", "status", "created_at"]
    list_filter = ["status", "category", "district"]
    list_select_related = ["category", "district"]
    search_fields = ["title", "summary", "slug"]
    form = InitiativeAdminForm
    fields = [*FIELDS, "slug", "description_html", "created_at", "updated_at"]
    readonly_fields = ["slug", "description_html", "created_at", "updated_at"]
    inlines = [MembershipInline]

    def save_model(
        self, request: HttpRequest, obj: Initiative, form: ModelForm, change: bool
    ) -> None:
        user = request.user
        if not isinstance(user, User):
            raise PermissionDenied
        values: dict[str, Any] = {name: form.cleaned_data[name] for name in FIELDS}
        if change:
            changed = {name: values[name] for name in FIELDS if name in form.changed_data}
            saved = services.initiative_update(user=user, initiative=obj, **changed)
        else:
            saved = services.initiative_create(user=user, **values)
        # The inlines are bound to `obj`: it becomes the saved initiative.
        for field in Initiative._meta.concrete_fields:
            setattr(obj, field.attname, getattr(saved, field.attname))
        obj._state.adding = False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["initiative", "user", "role", "joined_at"]
    list_filter = ["role"]
    list_select_related = ["initiative", "user"]
    search_fields = ["initiative__title", "user__username"]
    autocomplete_fields = ["user", "initiative"]


@admin.register(Category, District)
class CityTermAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "slug", "position"]
    search_fields = ["name", "slug"]
