"""Admin for every moderation model: to look things up, never to go around the rules.

Reports, mutes, bans and appeals are read-only here; what changes them are admin
actions that call the same services as the console and the API, so an action taken
here has the same live effect, notification and audit entry. The audit log is
read-only: it is evidence. Messages are here as moderation sees them: read-only,
searchable, with hide and unhide as actions. New mutes and bans are imposed in the console
(/moderation/) or through the API, where their scope and duration are chosen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from common.errors import DomainError
from moderation.models import Appeal, Ban, ModerationAction, Mute, Report
from moderation.services import appeals, hiding, reports, restrictions
from rooms.models import Message

StrOrPromise = str | Promise


class ReasonActionForm(ActionForm):
    """The action bar with a reason: hiding, lifting and deciding appeals need one."""

    reason = forms.CharField(label=_("Grund"), required=False, max_length=300)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewable, searchable, never added, changed or deleted through a form."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def apply_to_each(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    items: Iterable[Any],
    action: Callable[[User, Any, str], object],
    done: StrOrPromise,
) -> None:
    """Run a service per selected row as the signed-in admin; a refusal is reported per
    row, the others still go through."""
    reason = request.POST.get("reason", "").strip()
    actor = request.user
    if not isinstance(actor, User):
        raise PermissionDenied
    count = 0
    for item in items:
        try:
            action(actor, item, reason)
        except DomainError as error:
            modeladmin.message_user(request, f"{item}: {error.detail}", messages.ERROR)
        else:
            count += 1
    if count:
        modeladmin.message_user(request, done % {"count": count}, messages.SUCCESS)


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "message", "reporter", "reason", "status", "resolved_by"]
    list_filter = ["status", "reason"]
    list_select_related = ["message__author", "message__room__initiative", "reporter"]
    search_fields = ["reporter__username", "text", "message__body"]
    date_hierarchy = "created_at"
    action_form = ReasonActionForm
    actions = ["hide_message", "dismiss"]

    @admin.action(description=_("Gemeldete Nachrichten ausblenden"))
    def hide_message(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        apply_to_each(
            self,
            request,
            _pending_messages(queryset),
            lambda actor, message_id, reason: reports.report_resolve(
                actor=actor, message_id=message_id, action="hide", reason=reason
            ),
            _("%(count)s Nachrichten ausgeblendet."),
        )

    @admin.action(description=_("Meldungen verwerfen"))
    def dismiss(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        apply_to_each(
            self,
            request,
            _pending_messages(queryset),
            lambda actor, message_id, reason: reports.report_resolve(
                actor=actor, message_id=message_id, action="dismiss", reason=reason
            ),
            _("Meldungen zu %(count)s Nachrichten verworfen."),
        )


def _pending_messages(queryset: QuerySet[Report]) -> list[int]:
    """The messages of the selected reports that still wait: reports are decided per
    message, all of its reports at once."""
    return sorted(
        set(queryset.filter(status__in=Report.PENDING).values_list("message_id", flat=True))
    )


class RestrictionAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user", "where", "until", "lifted_at", "created_by", "reason"]
    list_filter = ["lifted_at"]
    list_select_related = ["user", "room__initiative", "initiative", "created_by"]
    search_fields = ["user__username", "user__profile__display_name", "reason"]
    date_hierarchy = "created_at"
    action_form = ReasonActionForm

    @admin.display(description=_("Bereich"))
    def where(self, item: Mute | Ban) -> str:
        return item.scope_label


@admin.register(Mute)
class MuteAdmin(RestrictionAdmin):
    actions = ["lift"]

    @admin.action(description=_("Stummschaltungen aufheben"))
    def lift(self, request: HttpRequest, queryset: QuerySet[Mute]) -> None:
        apply_to_each(
            self,
            request,
            queryset.filter(lifted_at__isnull=True),
            lambda actor, mute, reason: restrictions.mute_lift(
                actor=actor, mute_id=mute.pk, reason=reason
            ),
            _("%(count)s Stummschaltungen aufgehoben."),
        )


@admin.register(Ban)
class BanAdmin(RestrictionAdmin):
    actions = ["lift"]

    @admin.action(description=_("Sperren aufheben"))
    def lift(self, request: HttpRequest, queryset: QuerySet[Ban]) -> None:
        apply_to_each(
            self,
            request,
            queryset.filter(lifted_at__isnull=True),
            lambda actor, ban, reason: restrictions.ban_lift(
                actor=actor, ban_id=ban.pk, reason=reason
            ),
            _("%(count)s Sperren aufgehoben."),
        )


@admin.register(ModerationAction)
class ModerationActionAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "kind", "target_user", "room", "initiative", "reason"]
    list_filter = ["kind", "is_global"]
    list_select_related = ["actor", "target_user", "room__initiative", "initiative"]
    search_fields = ["actor__username", "target_user__username", "reason"]
    date_hierarchy = "created_at"


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user", "action", "status", "decided_by", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["user", "action__actor", "decided_by"]
    search_fields = ["user__username", "text"]
    action_form = ReasonActionForm
    actions = ["reverse", "uphold"]

    def _decide(self, request: HttpRequest, queryset: QuerySet[Appeal], decision: str) -> None:
        apply_to_each(
            self,
            request,
            queryset.filter(status=Appeal.Status.OPEN),
            lambda actor, appeal, reason: appeals.appeal_decide(
                actor=actor, appeal_id=appeal.pk, decision=decision, reason=reason
            ),
            _("%(count)s Einsprüche entschieden."),
        )

    @admin.action(description=_("Einspruch stattgeben (Maßnahme aufheben)"))
    def reverse(self, request: HttpRequest, queryset: QuerySet[Appeal]) -> None:
        self._decide(request, queryset, "reverse")

    @admin.action(description=_("Einspruch ablehnen (Maßnahme bleibt)"))
    def uphold(self, request: HttpRequest, queryset: QuerySet[Appeal]) -> None:
        self._decide(request, queryset, "uphold")


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["created_at_", "author", "room", "text", "state"]
    list_filter = [
        ("hidden_at", admin.EmptyFieldListFilter),
        ("deleted_at", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["author", "room__initiative"]
    search_fields = ["body", "author__username", "author__profile__display_name", "room__title"]
    date_hierarchy = "created_at"
    action_form = ReasonActionForm
    actions = ["hide", "unhide"]

    @admin.display(description=_("geschrieben am"), ordering="created_at")
    def created_at_(self, message: Message) -> Any:
        return message.created_at

    @admin.display(description=_("Text"))
    def text(self, message: Message) -> str:
        return message.body[:120]

    @admin.display(description=_("Zustand"))
    def state(self, message: Message) -> str:
        if message.deleted_at:
            return str(_("gelöscht"))
        if message.hidden_at:
            return str(_("ausgeblendet: %s") % message.hidden_reason)
        return str(_("sichtbar"))

    @admin.action(description=_("Ausblenden (Grund im Feld daneben)"))
    def hide(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        apply_to_each(
            self,
            request,
            queryset.filter(hidden_at__isnull=True, deleted_at__isnull=True),
            lambda actor, message, reason: hiding.message_hide(
                actor=actor, message_id=message.pk, reason=reason
            ),
            _("%(count)s Nachrichten ausgeblendet."),
        )

    @admin.action(description=_("Wieder einblenden"))
    def unhide(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        apply_to_each(
            self,
            request,
            queryset.filter(hidden_at__isnull=False),
            lambda actor, message, reason: hiding.message_unhide(
                actor=actor, message_id=message.pk, reason=reason
            ),
            _("%(count)s Nachrichten wieder eingeblendet."),
        )
