"""The DRF router: every REST endpoint under /api/ is registered here."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from initiatives.api import CategoryViewSet, DistrictViewSet, InitiativeViewSet

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
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("", include(router.urls)),
]
