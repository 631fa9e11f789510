"""The DRF router: every REST endpoint under /api/ is registered here."""

import threading

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from initiatives.api import CategoryViewSet, DistrictViewSet, InitiativeViewSet


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, generated one request at a time: drf-spectacular loads its
    extensions lazily, and first requests at the same moment raced on that under
    uvicorn (three of four concurrent GETs were 500s, ModuleNotFoundError inside
    its loader)."""

    _generating = threading.Lock()

    def _get_schema_response(self, request: Request) -> Response:
        with self._generating:
            return super()._get_schema_response(request)


router = DefaultRouter()
router.include_format_suffixes = False  # one URL per endpoint, no `.json` variant
router.register("initiatives", InitiativeViewSet, basename="initiative")
router.register("categories", CategoryViewSet, basename="category")
router.register("districts", DistrictViewSet, basename="district")

urlpatterns = [
    path("", include("accounts.urls")),
    path("", include("rooms.urls")),
    path("", include("moderation.urls")),
    path("", include("events.urls")),
    path("", include("community.urls")),
    path("", include("search.urls")),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("", include(router.urls)),
]
