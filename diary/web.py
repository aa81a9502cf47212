"""Serving the PWA: its index page at every app path, headers that keep health data out of caches, and the
language each answer is in."""

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers

from diary.language import language_asked_for, language_of


@lru_cache(maxsize=4)
def _index_html(path: Path, mtime: float) -> bytes:
    return path.read_bytes()


def app_shell(request):
    """The PWA's index.html for any app path; the app routes on the client."""
    index = Path(settings.FRONTEND_DIST) / "index.html"
    if not index.exists():
        # A checkout without a frontend build: say how to get one rather than a bare 404.
        return render(request, "home.html", status=200)
    response = HttpResponse(
        _index_html(index, index.stat().st_mtime), content_type="text/html; charset=utf-8"
    )
    response["Cache-Control"] = "no-cache"
    return response


class NoStoreApiMiddleware:
    """Patient data never sits in a browser's or a proxy's HTTP cache: every API answer says no-store."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/api/v1/"):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response


# The PWA loads only its own files, talks only to this origin, and may not be framed. Styles allow
# inline attributes (charting sets element styles); scripts never run inline.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# The browsable API docs (Swagger UI, served from this app by drf-spectacular-sidecar) start with an
# inline script; that page alone may run one.
DOCS_POLICY = CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every answer (Django's SecurityMiddleware sets
    HSTS, nosniff and Referrer-Policy)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = DOCS_POLICY if request.path.startswith("/api/docs/") else CONTENT_SECURITY_POLICY
        response.setdefault("Content-Security-Policy", policy)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class PersonLanguageMiddleware:
    """Answers in the signed-in person's language, else the browser's (Accept-Language), else English.
    A token-authenticated API call switches once DRF has authenticated it (diary.api.auth)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            translation.activate(language_of(user))
        else:
            translation.activate(language_asked_for(request))
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        patch_vary_headers(response, ("Accept-Language",))
        return response
