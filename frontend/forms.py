"""Forms of the web pages; validation beyond field shape happens in the services."""

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.services import user_sign_in
from common.errors import DomainError


class RegisterForm(forms.Form):
    username = forms.RegexField(
        label=_("Benutzername"),
        regex=r"^[\w.@+-]+\Z",
        max_length=150,
        error_messages={
            "invalid": _("Nur Buchstaben, Ziffern und die Zeichen @ . + - _ sind erlaubt.")
        },
    )
    display_name = forms.CharField(label=_("Anzeigename"), max_length=80, required=False)
    email = forms.EmailField(label=_("E-Mail-Adresse"))
    password = forms.CharField(label=_("Passwort"), widget=forms.PasswordInput, max_length=128)


class LoginForm(AuthenticationForm):
    """Django's login form, signing in through `user_sign_in` like the token endpoint:
    the same guard against guessing (5 failures per 30 minutes per username) and the
    same refusal of globally banned users, each with a clear message."""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = user_sign_in(
                    request=self.request, username=username, password=password
                )
            except DomainError as error:
                raise ValidationError(error.detail, code=error.code) from None
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data
