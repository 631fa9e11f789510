"""What every page's layout needs: the city's name and the bell's unread count."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accounts.notifications import notification_unread_count
from initiatives.city import city_name


def header(request: HttpRequest) -> dict[str, Any]:
    context: dict[str, Any] = {"city": city_name()}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["unread_notifications"] = notification_unread_count(user=user)
    return context
