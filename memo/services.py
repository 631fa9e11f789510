"""Sending the Mach-Mit-Memo: once per person and ISO week, in their language, only to
those who opted in with a confirmed address, with a one-click unsubscribe link that
needs no sign-in. The week's city-wide issue is kept (MemoIssue) for its public page.

`send_week` is what `manage.py send_memo` runs (cron: Mondays, early): run twice, it
sends nothing twice (MemoDelivery, unique per person and week); a mail that fails is
not recorded, so the next run tries that person again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation

from accounts.selectors import user_language
from accounts.services import profile_update
from common.links import absolute
from memo import render
from memo.compose import compose
from memo.models import MemoDelivery, MemoIssue
from memo.weeks import Week

log = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "memo.unsubscribe"


def issue_of(week: Week) -> MemoIssue:
    """The week's city-wide memo: composed once, then kept as it was."""
    issue = MemoIssue.objects.filter(year=week.year, week=week.week).first()
    if issue is not None:
        return issue
    try:
        with transaction.atomic():
            return MemoIssue.objects.create(year=week.year, week=week.week, content=compose(week))
    except IntegrityError:  # another run made it a moment ago
        return MemoIssue.objects.get(year=week.year, week=week.week)


def recipients() -> QuerySet[User]:
    """Active people who opted in and confirmed their address."""
    return (
        User.objects.filter(
            is_active=True,
            profile__digest_opt_in=True,
            profile__email_confirmed_at__isnull=False,
        )
        .exclude(email="")
        .select_related("profile__district")
        .order_by("pk")
    )


def unsubscribe_token(user: User) -> str:
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(user: User) -> str:
    return absolute(reverse("memo-unsubscribe", args=[unsubscribe_token(user)]))


def user_of_token(token: str) -> User | None:
    try:
        user_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=user_id, is_active=True).select_related("profile").first()


def subscription_set(*, token: str, subscribed: bool) -> User | None:
    """The unsubscribe link (and "doch wieder abonnieren" on its page): no sign-in, the
    signed token is the proof. None for a token that proves nobody."""
    user = user_of_token(token)
    if user is not None:
        profile_update(user=user, digest_opt_in=subscribed)
    return user


@dataclass
class Report:
    recipients: int = 0
    sent: int = 0
    already: int = 0
    failed: int = 0


def send_week(week: Week) -> Report:
    issue_of(week)  # the public page's issue, composed before the first mail goes out
    report = Report()
    by_district: dict[Any, dict[str, Any]] = {}
    for user in recipients():
        report.recipients += 1
        district = user.profile.district
        if district not in by_district:
            by_district[district] = compose(week, district)
        try:
            with transaction.atomic():
                delivery = MemoDelivery.objects.create(user=user, year=week.year, week=week.week)
        except IntegrityError:
            report.already += 1
            continue
        try:
            _send(user, by_district[district])
        except OSError:
            log.warning("memo to user %s could not be sent; the next run tries again", user.pk)
            delivery.delete()
            report.failed += 1
            continue
        report.sent += 1
    return report


def _send(user: User, content: dict[str, Any]) -> None:
    link = unsubscribe_url(user)
    with translation.override(user_language(user) or "de"):
        message = EmailMultiAlternatives(
            subject=render.subject(content),
            body=render.text(content, unsubscribe_url=link),
            to=[user.email],
            headers={
                "List-Unsubscribe": f"<{link}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        message.attach_alternative(render.html(content, unsubscribe_url=link), "text/html")
    message.send()
