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
from django.views.decorators.http import require_http_methods

from accounts.selectors import is_moderator, public_user
from common.errors import DomainError
from frontend.forms import SLOW_MODE_CHOICES, AppealForm
from frontend.web import attempt, attempt_form, signed_in
from moderation import permissions, selectors
from moderation.models import Appeal, ModerationAction, Report
from moderation.services import appeals
from moderation.services.organisations import organisation_verify
from moderation.services.validation import REASON_MAX

REASONS = [
    _("Spam oder Werbung"),
    _("Beleidigung oder Anfeindung"),
    _("Falschinformation"),
    _("Gehört nicht hierher"),
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
