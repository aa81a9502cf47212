"""Operations: health probes, the OpenAPI schema and docs, the public pages, and strict settings."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.db import connection

from config.env import env_bool
from diary.api.health import readyz

ROOT = Path(__file__).resolve().parent.parent


def test_healthz_answers_while_the_process_is_up(anonymous):
    assert anonymous.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_readyz_answers_when_the_database_does(anonymous):
    response = anonymous.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["database"] is True


@pytest.mark.django_db
def test_readyz_checks_the_broker_too(anonymous):
    assert anonymous.get("/readyz").json()["checks"]["broker"] is True


@pytest.mark.django_db
def test_readyz_says_503_when_the_broker_does_not_answer(rf, monkeypatch):
    from config.celery import app

    monkeypatch.setitem(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    monkeypatch.setitem(app.conf, "broker_transport_options", {})
    response = readyz(rf.get("/readyz"))
    assert response.status_code == 503
    assert json.loads(response.content)["checks"] == {"database": True, "broker": False}


@pytest.mark.django_db
def test_readyz_says_503_when_the_database_does_not_answer(rf, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = readyz(rf.get("/readyz"))
    assert response.status_code == 503


@pytest.mark.django_db
def test_the_schema_is_public_and_describes_every_contract_path(anonymous):
    response = anonymous.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    paths = set(schema["paths"])
    contract = {
        "/api/v1/auth/register/",
        "/api/v1/auth/login/",
        "/api/v1/auth/token/",
        "/api/v1/auth/logout/",
        "/api/v1/auth/password-reset/",
        "/api/v1/auth/password-reset/confirm/",
        "/api/v1/profile/",
        "/api/v1/account/",
        "/api/v1/sharing/codes/",
        "/api/v1/sharing/redeem/",
        "/api/v1/sharing/links/",
        "/api/v1/sharing/links/{id}/",
        "/api/v1/access-log/",
        "/api/v1/clinician/patients/",
        "/api/v1/clinician/patients/{patient_id}/export/",
        "/api/v1/export/",
    }
    for segment in ("cramps", "compression", "elevations", "hydration", "checkins"):
        contract |= {
            f"/api/v1/{segment}/",
            f"/api/v1/{segment}/{{id}}/",
            f"/api/v1/clinician/patients/{{patient_id}}/{segment}/",
        }
    assert contract <= paths
    cramp = schema["components"]["schemas"]["Cramp"]["properties"]
    assert {"night", "is_nocturnal", "severity", "muscle", "side", "activity"} <= set(cramp)
    assert cramp["severity"]["maximum"] == 10


def test_the_schema_generates_without_warnings():
    result = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--validate", "--fail-on-warn", "--file", os.devnull],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_the_docs_and_home_page_are_public(anonymous):
    assert anonymous.get("/api/docs/").status_code == 200
    assert anonymous.get("/").status_code == 200


@pytest.mark.django_db
def test_other_api_paths_refuse_anonymous_requests(anonymous):
    assert anonymous.get("/api/v1/cramps/").status_code in (401, 403)


@pytest.mark.parametrize(("raw", "value"), [("true", True), ("0", False), ("Yes", True), ("off", False)])
def test_a_boolean_setting_reads_the_usual_spellings(monkeypatch, raw, value):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG", default=not value) is value


def test_a_malformed_boolean_setting_is_an_error_not_false(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("SOME_FLAG", "sometimes")
    with pytest.raises(ImproperlyConfigured):
        env_bool("SOME_FLAG", default=False)


def run_production_check(**env) -> subprocess.CompletedProcess:
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in ("SECRET_KEY", "ALLOWED_HOSTS", "TRUSTED_PROXIES")
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.production", **env},
        capture_output=True,
        text=True,
    )


PRODUCTION_ENV = {
    "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
    "ALLOWED_HOSTS": "crampwise.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
    "TRUSTED_PROXIES": "1",
}


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "TRUSTED_PROXIES"])
def test_production_settings_refuse_to_start_without_a_secret_or_hosts(missing):
    env = {**PRODUCTION_ENV, missing: ""}
    result = run_production_check(**env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = run_production_check(**PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_a_database_outage_is_a_json_503_with_retry_after(as_alice, monkeypatch):
    from django.db import OperationalError

    from diary.api import records

    def database_down(**kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(records, "record_create", database_down)
    body = {"taken_at": "2026-11-20T08:00:00Z", "volume_ml": 250}
    response = as_alice.post("/api/v1/hydration/", body, format="json")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "detail" in response.json()


@pytest.mark.django_db
def test_with_the_cache_down_writes_and_sign_ins_still_work(as_alice, alice, monkeypatch):
    from django.core.cache import cache
    from redis.exceptions import ConnectionError as RedisConnectionError
    from rest_framework.test import APIClient

    def refused(*args, **kwargs):
        raise RedisConnectionError("Connection refused")

    for operation in ("get", "set", "delete", "add", "incr"):
        monkeypatch.setattr(cache, operation, refused)
    body = {"taken_at": "2026-11-20T08:00:00Z", "volume_ml": 250}
    assert as_alice.post("/api/v1/hydration/", body, format="json").status_code == 201
    wrong = APIClient().post("/api/v1/auth/token/", {"email": alice.email, "password": "x"}, format="json")
    assert wrong.status_code == 400
    right = APIClient().post(
        "/api/v1/auth/token/", {"email": alice.email, "password": "calf-stretch-2026"}, format="json"
    )
    assert right.status_code == 200


@pytest.mark.django_db
def test_with_the_redis_cache_unreachable_writes_still_work(as_alice, settings):
    # Nothing listens on port 1: the write counter's own Redis client fails, and the throttle lets it by.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    body = {"taken_at": "2026-11-20T08:00:00Z", "volume_ml": 250}
    assert as_alice.post("/api/v1/hydration/", body, format="json").status_code == 201


@pytest.mark.django_db
def test_with_a_redis_that_hangs_a_write_waits_under_a_second_and_is_kept(as_alice, alice, settings):
    import socket
    import time

    from diary.models import Hydration

    silent = socket.create_server(("127.0.0.1", 0))  # takes connections, never answers
    try:
        port = silent.getsockname()[1]
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{port}/0",
            }
        }
        started = time.monotonic()
        body = {"taken_at": "2026-11-20T08:00:00Z", "volume_ml": 250}
        response = as_alice.post("/api/v1/hydration/", body, format="json")
        waited = time.monotonic() - started
    finally:
        silent.close()
    assert response.status_code == 201
    assert waited < 1.5
    assert Hydration.objects.filter(patient=alice).count() == 1


@pytest.mark.django_db
def test_no_password_token_email_or_health_data_reaches_the_logs(alice, caplog, monkeypatch):
    from django.core.cache import cache
    from redis.exceptions import ConnectionError as RedisConnectionError
    from rest_framework.test import APIClient

    from tests.conftest import PASSWORD

    caplog.set_level("DEBUG")
    note = "woke at 3 with a calf cramp, SECRET-NOTE-7f3a"
    anonymous = APIClient()
    anonymous.post(
        "/api/v1/auth/token/", {"email": alice.email, "password": "wrong-" + PASSWORD}, format="json"
    )
    token = anonymous.post(
        "/api/v1/auth/token/", {"email": alice.email, "password": PASSWORD}, format="json"
    ).json()["token"]
    phone = APIClient()
    phone.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    cramp = {
        "id": "2b1f6f4e-8c1d-4e5a-9b7c-3d2e1f0a9b8c",
        "started_at": "2026-11-20T03:00:00Z",
        "duration_seconds": 90,
        "severity": 8,
        "muscle": "calf",
        "side": "left",
        "activity": "sleeping",
        "notes": note,
    }
    assert phone.post("/api/v1/cramps/", cramp, format="json").status_code == 201
    assert phone.post("/api/v1/cramps/", {**cramp, "severity": 7}, format="json").status_code == 409
    assert (
        phone.post("/api/v1/cramps/", {**cramp, "id": None, "severity": 99}, format="json").status_code == 400
    )
    checkin = {"recorded_at": "2026-11-20T08:00:00Z", "calf_pain_or_tenderness": True, "notes": note}
    assert phone.post("/api/v1/checkins/", checkin, format="json").status_code == 201

    def refused(*args, **kwargs):
        raise RedisConnectionError("Connection refused")

    for operation in ("get", "set", "add", "incr"):
        monkeypatch.setattr(cache, operation, refused)
    assert (
        phone.post("/api/v1/hydration/", {"taken_at": "2026-11-20T09:00:00Z", "volume_ml": 250}).status_code
        == 201
    )

    logged = "\n".join(f"{record.getMessage()} {record.exc_text or ''}" for record in caplog.records)
    assert "cache unavailable" in logged  # the logs were captured, warnings included
    for secret in (PASSWORD, token, alice.email, "SECRET-NOTE-7f3a"):
        assert secret not in logged
