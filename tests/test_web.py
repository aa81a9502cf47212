"""Serving the PWA: the app shell at app paths, cache headers for the service worker, no-store API."""

import pytest

from config.static_files import add_headers, immutable_file
from diary import web


@pytest.fixture
def built_app(tmp_path, settings):
    (tmp_path / "index.html").write_text("<!doctype html><title>Crampwise</title><div id=app></div>")
    settings.FRONTEND_DIST = tmp_path
    return tmp_path


@pytest.mark.parametrize("path", ["/", "/history", "/trends", "/reset-password?uid=x&token=y", "/cramp"])
def test_every_app_path_gets_the_app_shell_revalidated_each_time(client, built_app, path):
    response = client.get(path)
    assert response.status_code == 200
    assert b"<div id=app>" in response.content
    assert response["Cache-Control"] == "no-cache"


def test_without_a_build_the_root_says_how_to_get_one(client, settings, tmp_path):
    settings.FRONTEND_DIST = tmp_path / "missing"
    response = client.get("/")
    assert response.status_code == 200
    assert b"make run" in response.content


@pytest.mark.django_db
def test_api_paths_are_never_the_app_shell(client, built_app):
    assert client.get("/api/v1/cramps/").status_code in (401, 403)
    assert client.get("/api/v1/no-such-thing/").status_code == 404
    assert b"<div id=app>" not in client.get("/api/v1/no-such-thing/").content


@pytest.mark.django_db
def test_api_answers_are_never_stored_in_a_cache(as_alice):
    for path in ("/api/v1/cramps/", "/api/v1/profile/", "/api/v1/export/?format=json"):
        assert as_alice.get(path)["Cache-Control"] == "no-store"


def test_the_service_worker_is_revalidated_and_may_control_the_whole_site():
    headers = {}
    add_headers(headers, "/x/sw.js", "/sw.js")
    assert headers == {"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"}


def test_the_manifest_has_its_own_content_type():
    headers = {}
    add_headers(headers, "/x/manifest.webmanifest", "/manifest.webmanifest")
    assert headers["Content-Type"] == "application/manifest+json"


@pytest.mark.parametrize(
    ("url", "forever"),
    [
        ("/assets/index-3f9a1c2e.js", True),
        ("/assets/index-BxT_9a1c.css", True),
        ("/static/admin/css/base.5af66c1b1797.css", True),
        ("/sw.js", False),
        ("/assets/logo.png", False),
        ("/static/admin/css/base.css", False),
    ],
)
def test_only_hashed_files_are_cached_forever(url, forever):
    assert immutable_file("", url) is forever


def test_the_shell_is_read_once_per_build(built_app):
    index = built_app / "index.html"
    first = web._index_html(index, index.stat().st_mtime)
    assert web._index_html(index, index.stat().st_mtime) is first


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/history", "/api/v1/profile/", "/healthz", "/admin/login/"])
def test_every_answer_carries_the_security_headers(client, built_app, path):
    response = client.get(path)
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self';" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_the_api_docs_are_served_from_this_app_not_a_cdn(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert b"cdn" not in response.content.lower()
    assert b"/static/drf_spectacular_sidecar/" in response.content
