"""Notifications by mail, in batches: `python manage.py send_notification_mails` (cron:
every five minutes) sends each person one mail with what they have not read yet,
at most one mail per MAIL_EVERY. Mentions and replies wait until their reader has had
no open connection for AWAY: who is online sees them live. A mail names each kind it
carries with a one-click link that stops mails of that kind (no sign-in: the signed
token is the proof); `List-Unsubscribe` stops all kinds of that mail.

Only to confirmed addresses, in the reader's language, quoting only what they may
still read. A mail that fails is not marked: the next run tries again. Notifications
older than MAX_AGE are not mailed any more (after an outage, no flood of old news).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts import preferences
from accounts.models import Notification, Profile
from accounts.notifications import notifications_data
from accounts.selectors import display_name_of, user_language
from common.links import absolute, site_url

log = logging.getLogger(__name__)

MAIL_EVERY = timedelta(minutes=15)
AWAY = timedelta(minutes=10)
MAX_AGE = timedelta(days=3)
WAIT_FOR_ABSENCE = frozenset({Notification.Kind.MENTION, Notification.Kind.REPLY})
SALT = "accounts.notification-mails"


@dataclass
class Report:
    people: int = 0  # with something to mail
    mails: int = 0
    notifications: int = 0
    waiting: int = 0  # people to mail later (online, or mailed less than MAIL_EVERY ago)
    failed: int = 0


def send_due(*, now: datetime) -> Report:
    """One run: mail everyone whose batch is due at `now` (a parameter: tests and the
    command pass the clock)."""
    report = Report()
    due = Notification.objects.filter(
        by_mail=True, mailed_at__isnull=True, read_at__isnull=True, created_at__gte=now - MAX_AGE
    )
    people = (
        User.objects.filter(pk__in=due.values("user_id"), is_active=True)
        .exclude(email="")
        .filter(profile__email_confirmed_at__isnull=False)
        .select_related("profile")
    )
    for user in people:
        report.people += 1
        items = _batch(user, due.filter(user=user).order_by("created_at", "pk"), now)
        if not items:
            report.waiting += 1
            continue
        try:
            _send(user, items)
        except OSError:
            log.warning("notification mail to user %s failed; the next run tries again", user.pk)
            report.failed += 1
            continue
        Notification.objects.filter(pk__in=[n.pk for n in items]).update(mailed_at=now)
        Profile.objects.filter(user=user).update(notifications_mailed_at=now)
        report.mails += 1
        report.notifications += len(items)
    return report


def _batch(user: User, due: object, now: datetime) -> list[Notification]:
    """What goes out now: nothing within MAIL_EVERY of the last mail; mentions and
    replies only once the person has been away AWAY; kinds whose mails they switched
    off since are left out (and stay unmailed)."""
    profile = user.profile
    if profile.notifications_mailed_at and now - profile.notifications_mailed_at < MAIL_EVERY:
        return []
    away = profile.last_seen_at is None or now - profile.last_seen_at >= AWAY
    return [
        item
        for item in due  # type: ignore[attr-defined]
        if preferences.channels(profile, item.kind)["email"]
        and (away or item.kind not in WAIT_FOR_ABSENCE)
    ]


def _send(user: User, items: list[Notification]) -> None:
    kinds = sorted({item.kind for item in items})
    with translation.override(user_language(user) or "de"):
        rows = notifications_data(user=user, items=items)
        context = {
            "name": display_name_of(user),
            "rows": [{**row, "link": absolute(row["url"]) if row["url"] else ""} for row in rows],
            "stop": [
                {"label": Notification.Kind(kind).label, "link": stop_link(user, [kind])}
                for kind in kinds
            ],
            "settings_link": site_url() + reverse("profile") + "#benachrichtigungen",
        }
        subject = render_to_string("accounts/email/notifications_subject.txt", context).strip()
        body = render_to_string("accounts/email/notifications_body.txt", context)
    all_kinds = stop_link(user, kinds)
    EmailMessage(
        subject=subject,
        body=body,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{all_kinds}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    ).send()


def stop_link(user: User, kinds: list[str]) -> str:
    token = signing.dumps({"u": user.pk, "k": kinds}, salt=SALT, compress=True)
    return absolute(reverse("notification-mails-stop", args=[token]))


def stop_request(token: str) -> tuple[User, list[str]] | None:
    """Whose mails of which kinds a stop link names; None for a link that proves nobody."""
    try:
        data = signing.loads(token, salt=SALT)
        user = User.objects.filter(pk=data["u"], is_active=True).first()
        kinds = [kind for kind in data["k"] if kind in preferences.DEFAULTS]
    except (signing.BadSignature, KeyError, TypeError):
        return None
    return (user, kinds) if user is not None and kinds else None


def stop(token: str) -> tuple[User, list[str]] | None:
    """Switch those mails off (the link's POST, the mail program's one click)."""
    found = stop_request(token)
    if found is not None:
        user, kinds = found
        preferences.preferences_set(user=user, changes={kind: {"email": False} for kind in kinds})
    return found
