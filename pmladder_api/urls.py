"""Top-level routes: the API, its documentation, health probes and the admin."""

from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from ladder import health, web
from ladder.api import errors

urlpatterns = [
    path("api/v1/", include("ladder.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path(
        "api/redoc/",
        SpectacularRedocView.as_view(url_name="schema", template_name="pmladder/redoc.html"),
        name="redoc",
    ),
    path("compare/", web.compare_page, name="compare"),
    path("compare/chart.svg", web.compare_svg, name="compare-svg"),
    path("compare/chart.csv", web.compare_csv, name="compare-csv"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    # Last: whatever else is under /api/ is a JSON 404, with DEBUG on too (see errors.api_not_found).
    re_path(r"^api(?:/|$)", errors.api_not_found, name=errors.API_NOT_FOUND),
]

handler400 = "ladder.api.errors.bad_request"
handler403 = "ladder.api.errors.permission_denied"
handler404 = "ladder.api.errors.page_not_found"
handler500 = "ladder.api.errors.server_error"
