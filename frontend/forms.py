"""Forms of the web pages; validation beyond field shape happens in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _


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
