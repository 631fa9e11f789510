"""Mails to members: the confirmation of an address given at registration.

Django's token machinery signs the link (no table of codes): a link holds for
PASSWORD_RESET_TIMEOUT and stops working once the address is confirmed or changed.
Password reset mails are Django's own (frontend/views/accounts.py)."""

from __future__ import annotations

import logging

from django.contrib.auth.models import AbstractBaseUser, User
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from accounts.models import Profile
from accounts.selectors import display_name_of, user_language

log = logging.getLogger(__name__)


class EmailConfirmationTokens(PasswordResetTokenGenerator):
    key_salt = "accounts.emails.EmailConfirmationTokens"

    def _make_hash_value(self, user: AbstractBaseUser, timestamp: int) -> str:
        profile = Profile.objects.filter(user_id=user.pk).first()
        confirmed = profile.email_confirmed_at if profile else None
        email = getattr(user, "email", "")
        return f"{user.pk}{email}{confirmed}{timestamp}"


tokens = EmailConfirmationTokens()


def confirmation_link(*, user: User, site_url: str) -> str:
    path = reverse(
        "email-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": tokens.make_token(user),
        },
    )
    return site_url.rstrip("/") + path


def confirmation_send(*, user: User, site_url: str) -> None:
    """Send the link in the user's language. A mail server that fails is logged, not
    raised: the account exists, and the profile page can send the link again."""
    if not user.email:
        return
    with translation.override(user_language(user) or "de"):
        context = {
            "name": display_name_of(user),
            "link": confirmation_link(user=user, site_url=site_url),
        }
        subject = render_to_string("accounts/email/confirm_subject.txt", context).strip()
        body = render_to_string("accounts/email/confirm_body.txt", context)
    try:
        send_mail(subject, body, None, [user.email])
    except OSError:
        log.warning("confirmation mail to user %s could not be sent", user.pk, exc_info=True)


def email_confirm(*, uidb64: str, token: str) -> User | None:
    """Confirm the address of the link's user; None for a link that is wrong or used."""
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (ValueError, OverflowError, User.DoesNotExist):
        return None
    if not tokens.check_token(user, token):
        return None
    Profile.objects.filter(user=user).update(email_confirmed_at=timezone.now())
    return user
