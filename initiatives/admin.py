from django.contrib import admin

from initiatives.models import Category, District, Initiative, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "district", "status", "created_at"]
    list_filter = ["status", "category", "district"]
    search_fields = ["title", "summary", "slug"]
    readonly_fields = ["slug", "description_html", "created_at", "updated_at"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["initiative", "user", "role", "joined_at"]
    list_filter = ["role"]
    search_fields = ["initiative__title", "user__username"]
    raw_id_fields = ["user", "initiative"]


@admin.register(Category, District)
class CityTermAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "slug", "position"]
    search_fields = ["name", "slug"]
