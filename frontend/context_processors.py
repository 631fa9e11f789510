"""What every page's layout needs: the city's name, the bell's unread count, and
whether to show the way to the moderation console."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accounts.notifications import notification_unread_count
from initiatives.city import city_name
from moderation.permissions import can_view_queue


def header(request: HttpRequest) -> dict[str, Any]:
    context: dict[str, Any] = {"city": city_name()}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["unread_notifications"] = notification_unread_count(user=user)
        context["moderates"] = can_view_queue(user)
    return context
