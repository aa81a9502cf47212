"""Top-level routes: the API, its schema and docs, health probes, the admin and the PWA."""

from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from diary.api.errors import not_found
from diary.api.health import healthz, readyz
from diary.web import app_shell

urlpatterns = [
    path("api/v1/", include("diary.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    # Every other /api/ path: a JSON 404, as the API's clients parse.
    re_path(r"^api/", not_found, name="api-not-found"),
    path("admin/", admin.site.urls),
    # Every other path is the PWA's: it routes on the client (/, /history, /reset-password, ...).
    re_path(r"^(?!api/|admin/|static/)", app_shell, name="app"),
    path("", app_shell, name="home"),
]
