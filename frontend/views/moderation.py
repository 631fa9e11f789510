"""The moderation console (/moderation/) for moderators and leads, the moderator's
guide, and the page where a member appeals a decision and later reads its outcome.

The console is a page of lists that js/console.js fills from the moderation REST API
(the same rules: leads see and act on their initiatives' part only) and keeps current
through the `queue` frames of the page's websocket."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.selectors import is_moderator, public_user
from common.errors import DomainError
from common.moderated import content_kind
from frontend.forms import SLOW_MODE_CHOICES, AppealForm, ReportForm
from frontend.web import attempt, attempt_form, signed_in
from moderation import permissions, selectors
from moderation.models import Appeal, ModerationAction, Report
from moderation.services import appeals
from moderation.services.content_reports import content_report_create, content_report_resolve
from moderation.services.organisations import organisation_verify
from moderation.services.validation import REASON_MAX

# Lazy: module constants are read per request, in that request's language.
REASONS = [
    gettext_lazy("Spam oder Werbung"),
    gettext_lazy("Beleidigung oder Anfeindung"),
    gettext_lazy("Falschinformation"),
    gettext_lazy("Gehört nicht hierher"),
]


@login_required
def console(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    if not permissions.can_view_queue(user):
        raise PermissionDenied(
            _("Die Moderation ist für Moderatorinnen, Moderatoren und die Leitung von Initiativen.")
        )
    moderator = is_moderator(user)
    state: dict[str, Any] = {
        "me": public_user(user),
        "moderator": moderator,
        "names": selectors.scope_names(viewer=user),
        "reasons": [str(r) for r in REASONS],
        "reason_max": REASON_MAX,
        "report_reasons": dict(Report.Reason.choices),
        "kinds": dict(ModerationAction.Kind.choices),
    }
    return render(
        request,
        "frontend/moderation/console.html",
        {
            "state": state,
            "moderator": moderator,
            "rooms": selectors.overseen_rooms(viewer=user),
            "slow_mode_choices": SLOW_MODE_CHOICES,
            "organisations_waiting": (
                selectors.organisations(status="pending").count() if moderator else 0
            ),
            "content_waiting": selectors.content_queue_groups(viewer=user).count(),
        },
    )


def guide(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/moderation/guide.html")


@login_required
@require_http_methods(["GET", "POST"])
def appeal(request: HttpRequest, action_id: int) -> HttpResponse:
    """The decision against the signed-in member, and their appeal: write it once while
    the decision holds, then read its outcome here (it also comes as a notification)."""
    user = signed_in(request)
    try:
        action = selectors.access_action(action_id=action_id)
    except DomainError:
        raise Http404 from None
    if action.target_user_id != user.pk or action.kind not in ModerationAction.APPEALABLE:
        raise Http404
    existing = Appeal.objects.filter(action=action).first()
    form = AppealForm(request.POST or None)
    if request.method == "POST" and existing is None and form.is_valid():
        created = attempt_form(
            form,
            lambda: appeals.appeal_create(
                user=user, action_id=action.pk, text=form.cleaned_data["text"]
            ),
        )
        if created is not None:
            messages.success(request, _("Dein Einspruch ist bei der Moderation."))
            return redirect("appeal", action_id=action.pk)
    return render(
        request,
        "frontend/moderation/appeal.html",
        {
            "action": action,
            "appeal": existing,
            "form": form,
            "in_force": appeals.in_force(action),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisations(request: HttpRequest) -> HttpResponse:
    """Site moderators decide on organisations that asked to be verified, and see the
    verified ones (a verification can be taken back, with a reason)."""
    user = signed_in(request)
    if not is_moderator(user):
        raise PermissionDenied(_("Organisationen bestätigt die Moderation."))
    if request.method == "POST":
        verified = request.POST.get("verified") == "true"
        posted = request.POST.get("user", "")
        target = int(posted) if posted.isdigit() else 0  # 0 names nobody: not_found
        attempt(
            request,
            lambda: organisation_verify(
                actor=user,
                user_id=target,
                verified=verified,
                reason=request.POST.get("reason") or None,
            ),
            done=_("Bestätigt.")
            if verified
            else _("Abgelehnt; die Organisation erfährt den Grund."),
        )
        return redirect("moderation-organisations-page")
    return render(
        request,
        "frontend/moderation/organisations.html",
        {
            "pending": selectors.organisations(status="pending"),
            "verified": selectors.organisations(status="verified")[:100],
            "reason_max": REASON_MAX,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_content(request: HttpRequest, kind: str, content_id: int) -> HttpResponse:
    """Report a news item, lifehack, offer, need or event: one page for every kind."""
    user = signed_in(request)
    try:
        content = content_kind(kind)
    except DomainError:
        raise Http404 from None
    item = content.model._default_manager.filter(pk=content_id, hidden_at__isnull=True).first()
    if item is None:
        raise Http404
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        report = attempt_form(
            form,
            lambda: content_report_create(
                user=user,
                kind=content.name,
                content_id=item.pk,
                reason=form.cleaned_data["reason"],
                text=form.cleaned_data["text"],
            ),
        )
        if report is not None:
            messages.success(request, _("Danke! Die Moderation sieht sich den Beitrag an."))
            return redirect(content.url(item))
    return render(
        request,
        "frontend/moderation/report.html",
        {
            "form": form,
            "label": content.label,
            "title": content.title(item),
            "back": content.url(item),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def content_reports(request: HttpRequest) -> HttpResponse:
    """Reported news, lifehacks, offers, needs and events: moderators decide on all,
    leads on their initiatives' (or pass them on to the moderators)."""
    user = signed_in(request)
    if not permissions.can_view_queue(user):
        raise PermissionDenied(
            _("Die Moderation ist für Moderatorinnen, Moderatoren und die Leitung von Initiativen.")
        )
    if request.method == "POST":
        posted = request.POST.get("id", "")
        action = request.POST.get("action", "")
        attempt(
            request,
            lambda: content_report_resolve(
                actor=user,
                kind=request.POST.get("kind", ""),
                content_id=int(posted) if posted.isdigit() else 0,  # 0 names nothing: not_found
                action=action,
                reason=request.POST.get("reason") or None,
            ),
            done=str(DECIDED.get(action, "")),
        )
        return redirect("moderation-content-page")
    groups = list(selectors.content_queue_groups(viewer=user)[:CONTENT_PAGE])
    return render(
        request,
        "frontend/moderation/content_reports.html",
        {
            "items": selectors.content_queue_items(viewer=user, groups=groups),
            "report_reasons": dict(Report.Reason.choices),
            "reason_max": REASON_MAX,
            "user_is_moderator": is_moderator(user),
        },
    )


CONTENT_PAGE = 50  # the most urgent; the rest follow as these are decided
DECIDED = {
    "hide": gettext_lazy("Ausgeblendet; die Person, die es geschrieben hat, erfährt es."),
    "dismiss": gettext_lazy("Die Meldungen sind verworfen; der Beitrag bleibt."),
    "escalate": gettext_lazy("An die Moderation weitergegeben."),
}
