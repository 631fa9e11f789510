"""Writes about users: registration and the profile."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.contrib.auth.models import Group, Permission, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from accounts.models import Notification, Profile
from accounts.notifications import notify
from accounts.restrictions import sign_in_refusal
from accounts.selectors import MODERATORS_GROUP, display_name_of, users_of_group_change
from common import ratelimit
from common.errors import DomainError
from realtime import publish
from realtime.messages import CLOSE_BLOCKED, Close, RefreshRole

# Where site moderators decide on organisations (frontend: /moderation/organisationen/).
ORGANISATIONS_URL = "/moderation/organisationen/"


def user_register(*, username: str, email: str, password: str, display_name: str = "") -> User:
    """Create a user with a profile. Raises ValidationError with field errors.

    An address that already has an account is not refused: the answer would tell
    anyone whose address is registered here (user names are public anyway). Two
    accounts may share an address; whatever is sent by mail reaches each."""

    errors: dict[str, list[str]] = {}
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("Dieser Benutzername ist schon vergeben.")]
    candidate = User(username=username, email=email)
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            user = User.objects.create_user(username=username, email=email, password=password)
            Profile.objects.create(user=user, display_name=display_name.strip())
    except IntegrityError as exc:  # a concurrent registration took the name
        raise ValidationError({"username": [_("Dieser Benutzername ist schon vergeben.")]}) from exc
    return user


def profile_ensure(*, user: User) -> Profile:
    """Every user has a profile; users made by `createsuperuser` get theirs on first use."""
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile


def profile_update(*, user: User, **fields: Any) -> Profile:
    profile = profile_ensure(user=user)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.full_clean()
    profile.save()
    return profile


def user_sign_in(*, request: HttpRequest | None, username: str, password: str) -> User:
    """Check a username and password, for the token endpoint and the login page alike.

    Refuses with `rate_limited` after too many failures for the username (without
    checking the password), `invalid` for a wrong password, and `banned` for a
    globally banned user (accounts.restrictions).
    """
    ratelimit.ensure_login_allowed(username)
    user = authenticate(request, username=username, password=password)
    if user is None:
        ratelimit.login_failed(username)
        raise DomainError("invalid", _("Benutzername oder Passwort stimmt nicht."))
    refusal = sign_in_refusal(user)
    if refusal is not None:
        raise DomainError("banned", refusal)
    ratelimit.login_succeeded(username)
    return user


def token_for(*, user: User) -> str:
    token, _created = Token.objects.get_or_create(user=user)
    return token.key


MODERATED_APPS = ("accounts", "initiatives", "rooms", "moderation")


def moderators_group_ensure(**_signal_kwargs: Any) -> None:
    """The group `moderators` exists and may work on community content in the admin.

    Runs after every migrate (permissions exist only then), so every installation
    has the role, not only the demo.
    """
    group, _created = Group.objects.get_or_create(name=MODERATORS_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=MODERATED_APPS))


def sockets_follow_account(
    *, instance: User, created: bool = False, update_fields: Any = None, **_signal_kwargs: Any
) -> None:
    """post_save of User, live on every worker: an account switched off (admin,
    `is_active = False`) loses its open websockets at once, not only at its next
    handshake; one whose superuser flag may have changed (a superuser is a moderator)
    has its role read again."""
    if created:
        return
    if not instance.is_active:
        publish.user_control_on_commit(user_id=instance.pk, control=Close(code=CLOSE_BLOCKED))
    elif update_fields is None or "is_superuser" in update_fields:
        publish.user_control_on_commit(user_id=instance.pk, control=RefreshRole())


def sockets_refresh_role(
    *, instance: Any, action: str, reverse: bool, pk_set: Any, **_signal_kwargs: Any
) -> None:
    """m2m_changed of `User.groups`: someone who joins or leaves the group `moderators`
    sees hidden text in their open connections, or stops seeing it, at once."""
    if not _concerns_moderators(instance=instance, reverse=reverse, pk_set=pk_set):
        return
    for user_id in users_of_group_change(
        instance=instance, action=action, reverse=reverse, pk_set=pk_set
    ):
        publish.user_control_on_commit(user_id=user_id, control=RefreshRole())


def _concerns_moderators(*, instance: Any, reverse: bool, pk_set: Any) -> bool:
    if reverse:  # `group.user_set`: the group is `instance`
        return bool(instance.name == MODERATORS_GROUP)
    if pk_set is None:  # `user.groups.clear()` does not say which groups
        return True
    return Group.objects.filter(pk__in=pk_set, name=MODERATORS_GROUP).exists()


@transaction.atomic
def verification_request(*, user: User) -> Profile:
    """Someone who speaks for an organisation asks to be verified (only then may they
    publish offers). Their profile becomes an organisation's; the site moderators are
    told. Asking again while it waits changes nothing; a verified one is `conflict`."""
    profile = Profile.objects.select_for_update().get(pk=profile_ensure(user=user).pk)
    if profile.is_verified_organisation:
        raise DomainError("conflict", _("Deine Organisation ist schon bestätigt."))
    if profile.verification_requested_at is not None:
        return profile
    profile.kind = Profile.Kind.ORGANISATION
    profile.verification_requested_at = timezone.now()
    profile.save(update_fields=["kind", "verification_requested_at"])
    name = display_name_of(user)
    for moderator in User.objects.filter(groups__name=MODERATORS_GROUP, is_active=True):
        notify(
            user=moderator,
            kind=Notification.Kind.MODERATION,
            text=lambda: _("%(name)s möchte als Organisation bestätigt werden.") % {"name": name},
            url=ORGANISATIONS_URL,
        )
    return profile


def profile_seen(*, user_id: int) -> None:
    """A connection of this person is open now (the consumer says so on connecting, on
    leaving and every SEEN_EVERY while open): mails about mentions wait for absence."""
    Profile.objects.filter(user_id=user_id).update(last_seen_at=timezone.now())
