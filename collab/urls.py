"""Root URLs: the web pages, the REST API under /api/, the admin and health checks."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from collab import health, media
from common.api_errors import not_found_view

handler404 = not_found_view

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("api/", include("collab.api")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("feeds/", include("events.feed_urls")),
    path("feeds/", include("community.feed_urls")),
    path("feeds/", include("memo.urls")),
    path("", include("frontend.urls")),
]
if settings.KLIMA_SERVE_MEDIA:
    urlpatterns.insert(0, path("media/<path:path>", media.media, name="media"))
