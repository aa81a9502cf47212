"""Serving the PWA: its index page at every app path, and headers that keep health data out of caches."""

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render


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
