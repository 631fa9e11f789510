"""Forms of the web pages; validation beyond field shape happens in the services."""

from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MinLengthValidator
from django.utils.translation import gettext_lazy as _

from accounts.models import Profile
from accounts.services import user_sign_in
from common import images
from common.errors import DomainError
from community.models import OfferKind
from initiatives.models import Category, District, Initiative, Membership
from moderation.models import Report
from moderation.services.validation import APPEAL_TEXT_MAX, REPORT_TEXT_MAX


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


class InitiativeForm(forms.ModelForm):
    """The fields a lead fills in; saving goes through initiatives.services."""

    class Meta:
        model = Initiative
        fields = ["title", "summary", "description", "category", "district", "status"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "summary": _("Ein, zwei Sätze: worum geht es? Erscheint in der Übersicht."),
            "description": _(
                "Alles Weitere: Ziele, Treffpunkte, wie man helfen kann. "
                "**fett**, *kursiv*, Listen mit - und Links gehen."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("title", "summary"):  # as the API: at least 3 characters
            self.fields[name].validators.append(MinLengthValidator(3))
        district = cast(forms.ModelChoiceField, self.fields["district"])
        district.empty_label = _("Kein bestimmter Bezirk")
        status = cast(forms.ChoiceField, self.fields["status"])
        status.choices = [
            c for c in Initiative.Status.choices if c[0] != Initiative.Status.ARCHIVED
        ]


class RoomCreateForm(forms.Form):
    title = forms.CharField(label=_("Name des Raums"), max_length=80)
    members_only = forms.BooleanField(label=_("Nur für Mitglieder"), required=False)


SLOW_MODE_CHOICES = [
    (0, _("Aus")),
    (10, _("10 Sekunden")),
    (30, _("30 Sekunden")),
    (60, _("1 Minute")),
    (300, _("5 Minuten")),
]


class RoomSettingsForm(forms.Form):
    slow_mode_seconds = forms.TypedChoiceField(
        label=_("Langsamer Modus"), choices=SLOW_MODE_CHOICES, coerce=int, required=False
    )
    archived = forms.TypedChoiceField(
        choices=[("true", "true"), ("false", "false")],
        coerce=lambda value: value == "true",
        required=False,
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Membership.Role.choices)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["display_name", "district", "language", "digest_opt_in"]
        help_texts = {
            "display_name": _("So sehen dich die anderen. Leer: dein Benutzername."),
            "digest_opt_in": _("Einmal pro Woche per E-Mail: wo du mitmachen kannst."),
        }


class ReportForm(forms.Form):
    """Reporting a news item, lifehack, offer, need or event (one page for every kind)."""

    reason = forms.ChoiceField(
        label=_("Was stimmt nicht?"), choices=Report.Reason.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Möchtest du etwas dazu sagen?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=REPORT_TEXT_MAX,
        required=False,
        help_text=_("Freiwillig. Nur die Moderation liest das."),
    )


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("Warum sollte die Entscheidung aufgehoben werden?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=APPEAL_TEXT_MAX,
        help_text=_("Sachlich und kurz: was ist passiert, was siehst du anders?"),
    )


def _category(required: bool = True) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Thema"),
        queryset=Category.objects.all(),
        to_field_name="slug",
        required=required,
        empty_label=None if required else _("Kein bestimmtes Thema"),
    )


def _district(label: Any, empty: Any) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label,
        queryset=District.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=empty,
    )


MARKDOWN_HELP = _("**fett**, *kursiv*, Listen mit - und Links gehen.")


class NewsForm(forms.Form):
    title = forms.CharField(label=_("Überschrift"), max_length=120)
    teaser = forms.CharField(
        label=_("Kurz gesagt"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ein, zwei Sätze für die Übersicht und das Mach-Mit-Memo."),
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MARKDOWN_HELP,
    )
    image = forms.FileField(
        label=_("Bild (freiwillig)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": images.ACCEPT}),
        help_text=_("Ein Foto als JPEG, PNG oder WebP, höchstens 5 MB."),
    )
    image_alt = forms.CharField(
        label=_("Was ist auf dem Bild zu sehen?"),
        required=False,
        max_length=200,
        help_text=_("Für Menschen, die das Bild nicht sehen können."),
    )

    def clean_image(self) -> Any:
        """The picture's refusal beside its field (the service checks it again)."""
        upload = self.cleaned_data.get("image")
        if upload:
            try:
                images.clean_image(upload)
            except DomainError as error:
                raise ValidationError(error.detail) from None
            upload.seek(0)
        return upload or None


class LifehackForm(forms.Form):
    title = forms.CharField(label=_("Dein Lifehack in einem Satz"), max_length=120)
    body = forms.CharField(
        label=_("So geht's"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=MARKDOWN_HELP,
    )
    category = _category()


class OfferForm(forms.Form):
    kind = forms.ChoiceField(label=_("Art des Angebots"), choices=OfferKind.choices)
    title = forms.CharField(label=_("Titel"), max_length=120)
    description = forms.CharField(
        label=_("Beschreibung"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=MARKDOWN_HELP,
    )
    category = _category(required=False)
    district = _district(_("Stadtbezirk"), _("Die ganze Stadt"))
    valid_until = forms.DateField(
        label=_("Gültig bis"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Danach verschwindet das Angebot von selbst aus den Listen."),
    )


class NeedForm(forms.Form):
    kind = forms.ChoiceField(label=_("Was braucht ihr?"), choices=OfferKind.choices)
    title = forms.CharField(
        label=_("Gesucht"), max_length=120, help_text=_("Zum Beispiel: ein Lastenrad für Samstag")
    )
    description = forms.CharField(
        label=_("Mehr dazu"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=MARKDOWN_HELP,
    )
    category = _category()
    district = _district(_("Stadtbezirk"), _("Der Bezirk der Initiative"))
