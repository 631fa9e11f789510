"""Starting an initiative and editing it (leads and moderators)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from frontend.forms import InitiativeForm
from frontend.pages import initiative_or_404
from frontend.web import attempt_form, signed_in
from initiatives import permissions, services


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    form = InitiativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        initiative = attempt_form(
            form,
            lambda: services.initiative_create(user=signed_in(request), **form.cleaned_data),
        )
        if initiative is not None:
            messages.success(request, _("Deine Initiative ist angelegt. Lade Leute ein!"))
            return redirect("initiative-detail", slug=initiative.slug)
    return render(request, "frontend/initiative_form.html", {"form": form, "initiative": None})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = initiative_or_404(slug)
    if not permissions.can_edit_initiative(request.user, initiative):
        raise PermissionDenied(_("Nur die Leitung der Initiative darf sie bearbeiten."))
    form = InitiativeForm(request.POST or None, instance=initiative)
    if request.method == "POST" and form.is_valid():
        updated = attempt_form(
            form,
            lambda: services.initiative_update(
                user=signed_in(request), initiative=initiative, **form.cleaned_data
            ),
        )
        if updated is not None:
            messages.success(request, _("Gespeichert."))
            return redirect("initiative-detail", slug=slug)
    return render(
        request, "frontend/initiative_form.html", {"form": form, "initiative": initiative}
    )
