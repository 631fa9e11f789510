"""Signing in and out, registering (with a confirmation mail), the profile, passwords.

Password change and reset are Django's own views and tokens with our templates; the
reset page answers the same whether or not an address is known."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts import emails, preferences
from accounts.services import (
    profile_ensure,
    profile_update,
    user_register,
    verification_request,
)
from frontend.forms import LoginForm, ProfileForm, RegisterForm
from frontend.web import attempt, attempt_form, signed_in


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True
    authentication_form = LoginForm


@require_http_methods(["GET", "POST"])
def logout_view(request: HttpRequest) -> HttpResponse:
    """GET asks for confirmation; only POST (with CSRF) signs out."""
    if request.method == "POST":
        logout(request)
        return redirect("home")
    return render(request, "registration/logout.html")


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = attempt_form(form, lambda: user_register(**form.cleaned_data))
        if user is not None:
            emails.confirmation_send(user=user, site_url=request.build_absolute_uri("/"))
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _(
                    "Willkommen! Wir haben dir einen Link geschickt, "
                    "um deine E-Mail-Adresse zu bestätigen."
                ),
            )
            return redirect("home")
    return render(request, "registration/register.html", {"form": form})


def email_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = emails.email_confirm(uidb64=uidb64, token=token)
    return render(request, "frontend/email_confirmed.html", {"confirmed": user is not None})


@login_required
@require_POST
def email_confirmation_resend(request: HttpRequest) -> HttpResponse:
    emails.confirmation_send(user=signed_in(request), site_url=request.build_absolute_uri("/"))
    messages.success(request, _("Wir haben dir den Link noch einmal geschickt."))
    return redirect("profile")


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    current = profile_ensure(user=user)
    form = ProfileForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        saved = attempt_form(form, lambda: profile_update(user=user, **form.cleaned_data))
        if saved is not None:
            messages.success(request, _("Dein Profil ist gespeichert."))
            return redirect("profile")
    return render(
        request,
        "frontend/profile.html",
        {"form": form, "profile": current, "notification_rows": _notification_rows(current)},
    )


# What each kind is about, for people (the table's rows).
NOTIFICATION_LABELS = {
    "mention": gettext_lazy("Jemand erwähnt dich"),
    "reply": gettext_lazy("Antworten in Threads, in denen du schreibst"),
    "follow": gettext_lazy("Neues bei Initiativen, denen du folgst"),
    "reminder": gettext_lazy("Erinnerung am Tag vor deinen Terminen"),
    "waitlist": gettext_lazy("Du rückst von der Warteliste nach"),
    "moderation": gettext_lazy("Entscheidungen der Moderation"),
    "appeal": gettext_lazy("Ergebnis deines Einspruchs"),
}


def _notification_rows(profile: Any) -> list[dict[str, Any]]:
    chosen = preferences.preferences(profile)
    return [
        {
            "kind": kind,
            "label": NOTIFICATION_LABELS[kind],
            "locked": kind in preferences.ALWAYS_IN_APP,
            **chosen[kind],
        }
        for kind in NOTIFICATION_LABELS
    ]


@login_required
@require_POST
def notification_settings(request: HttpRequest) -> HttpResponse:
    """The profile page's table: a box per kind and channel (an unticked box is off)."""
    changes = {
        kind: {
            channel: f"{kind}-{channel}" in request.POST
            for channel in preferences.CHANNELS
            if not (channel == "app" and kind in preferences.ALWAYS_IN_APP)
        }
        for kind in preferences.DEFAULTS
    }
    attempt(
        request,
        lambda: preferences.preferences_set(user=signed_in(request), changes=changes),
        done=_("Deine Einstellungen für Benachrichtigungen sind gespeichert."),
    )
    return redirect(reverse("profile") + "#benachrichtigungen")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "frontend/password_change.html"
    success_url = reverse_lazy("profile")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        messages.success(self.request, _("Dein neues Passwort gilt ab jetzt."))
        return super().form_valid(form)


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "frontend/password_reset_form.html"
    email_template_name = "frontend/email/password_reset_body.txt"
    subject_template_name = "frontend/email/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "frontend/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "frontend/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")
    title = gettext_lazy("Neues Passwort")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "frontend/password_reset_complete.html"


@login_required
@require_POST
def verification_request_page(request: HttpRequest) -> HttpResponse:
    """ "Als Organisation bestätigen lassen" on the profile page."""
    attempt(
        request,
        lambda: verification_request(user=signed_in(request)),
        done=_("Beantragt. Die Moderation prüft deine Organisation und sagt dir Bescheid."),
    )
    return redirect("profile")
