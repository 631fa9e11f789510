"""The web pages. The full web client comes later; these let people see and sign in."""

from __future__ import annotations

from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.services import user_register
from frontend.forms import LoginForm, RegisterForm
from initiatives import selectors
from initiatives.city import city_name

HOME_PAGE_SIZE = 50


def home(request: HttpRequest) -> HttpResponse:
    initiatives = selectors.initiative_list()[:HOME_PAGE_SIZE]
    return render(request, "frontend/home.html", {"initiatives": initiatives, "city": city_name()})


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
        try:
            user = user_register(**form.cleaned_data)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("home")
    return render(request, "registration/register.html", {"form": form})
