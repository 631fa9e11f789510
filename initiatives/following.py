"""Telling an initiative's followers of its new events, news and needs (the apps that
make them call `tell_followers`; docs/notifications.md)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from accounts.models import Notification
from accounts.notifications import notify_many
from initiatives.models import Initiative
from initiatives.selectors import followers


def tell_followers(
    *,
    initiative: Initiative,
    author: User,
    what: Promise,
    title: str,
    url: str,
    subject: tuple[str, int],
) -> int:
    """One `follow` notification to each follower but the author: "Neu bei „…“:
    Veranstaltung", quoting the title while it can be read. Returns how many."""
    name = initiative.title
    return notify_many(
        users=followers(initiative=initiative).exclude(pk=author.pk),
        kind=Notification.Kind.FOLLOW,
        text=lambda: _("Neu bei „%(initiative)s“: %(what)s") % {"initiative": name, "what": what},
        url=url,
        subject=subject,
        quote=title,
    )
