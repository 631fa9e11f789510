from django.urls import path

import common.converters  # noqa: F401 - registers <id:...>
from accounts import api

urlpatterns = [
    path("auth/register/", api.RegisterView.as_view(), name="api-register"),
    path("auth/token/", api.TokenView.as_view(), name="api-token"),
    path("auth/me/", api.MeView.as_view(), name="api-me"),
    path(
        "auth/me/verification/",
        api.VerificationRequestView.as_view(),
        name="api-verification-request",
    ),
    path(
        "auth/me/notifications/",
        api.NotificationPreferencesView.as_view(),
        name="notification-preferences",
    ),
    path("notifications/", api.NotificationListView.as_view(), name="notification-list"),
    path(
        "notifications/read/",
        api.NotificationReadAllView.as_view(),
        name="notification-read-all",
    ),
    path(
        "notifications/<id:notification_id>/read/",
        api.NotificationReadView.as_view(),
        name="notification-read",
    ),
]
