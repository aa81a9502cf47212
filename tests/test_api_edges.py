"""The API's edges answer in its own language (JSON), and a server started bare runs production settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("path", ["/api/v1/auth/login/", "/api/v1/hydration/", "/api/v1/checkins/"])
def test_a_body_over_the_limit_is_a_json_413_and_stores_nothing(client, alice, path):
    client.force_login(alice)
    response = client.post(
        path, data=b'{"notes": "' + b"x" * (300 * 1024) + b'"}', content_type="application/json"
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "The request body is too large."}


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("path", ["/api/v1/nothing-here/", "/api/v2/cramps/", "/api/", "/api/v1/cramps/x/y/"])
def test_an_unknown_api_path_is_a_json_404(client, settings, path, debug):
    settings.DEBUG = debug
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"].startswith("Not found.")


def test_a_path_missing_its_slash_says_where_the_route_is(as_alice):
    response = as_alice.post("/api/v1/cramps", {}, format="json")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found. API paths end in a slash: /api/v1/cramps/"}


def test_the_pwa_still_answers_its_own_paths(client):
    assert client.get("/history").status_code == 200


@pytest.mark.parametrize(
    "statement",
    [
        "import config.wsgi",
        "import config.asgi",
        "import config.celery; from django.conf import settings; settings.DEBUG",
    ],
)
def test_a_server_started_without_settings_runs_production_ones_and_refuses_without_a_secret(statement):
    env = {
        key: value for key, value in os.environ.items() if key not in ("DJANGO_SETTINGS_MODULE", "SECRET_KEY")
    }
    result = subprocess.run(
        [sys.executable, "-c", statement], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr
