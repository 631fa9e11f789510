"""Verifying organisations: only a verified organisation publishes offers (community).
A site moderator decides on a request from the organisation's profile page, or takes
a verification back; each decision is in the audit log, and the organisation is told."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Notification, Profile
from accounts.selectors import is_moderator
from common.errors import DomainError, forbidden, not_found
from common.validation import clean_id
from moderation.models import ModerationAction
from moderation.services.audit import action_record, tell
from moderation.services.validation import clean_reason

PROFILE_URL = "/profil/"


@transaction.atomic
def organisation_verify(*, actor: User, user_id: Any, verified: Any, reason: Any = None) -> Profile:
    """`verified` true: the organisation may publish offers; false: a request refused,
    or a verification taken back (its offers leave the lists at once)."""
    if not is_moderator(actor):
        raise forbidden(_("Organisationen bestätigt die Moderation."))
    if not isinstance(verified, bool):
        raise DomainError("invalid", _("`verified` muss true oder false sein."))
    reason = clean_reason(reason, required=not verified)
    profile = (
        Profile.objects.select_for_update()
        .select_related("user")
        .filter(user_id=clean_id(user_id, field="user"), kind=Profile.Kind.ORGANISATION)
        .first()
    )
    if profile is None:
        raise not_found()
    profile.verified_at = timezone.now() if verified else None
    profile.verified_by = actor if verified else None
    profile.verification_requested_at = None
    profile.save(update_fields=["verified_at", "verified_by", "verification_requested_at"])
    action_record(
        kind=ModerationAction.Kind.VERIFY if verified else ModerationAction.Kind.UNVERIFY,
        actor=actor,
        target_user=profile.user,
        reason=reason,
    )
    tell(
        user=profile.user,
        kind=Notification.Kind.MODERATION,
        text=lambda: (
            _("Deine Organisation ist bestätigt: du kannst jetzt Angebote einstellen.")
            if verified
            else _("Deine Organisation wurde nicht bestätigt. Grund: %(reason)s")
            % {"reason": reason}
        ),
        url=PROFILE_URL,
    )
    return profile
