"""The fixed cast: alice (patient), bob (clinician alice shared with), carol (another patient),
dave (a clinician nobody shared with); and API clients signed in as each."""

import os
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from django.core.cache import cache
from django.utils import translation
from rest_framework.test import APIClient

from diary.limits import write_tally
from diary.models import CareLink, Role, User

PASSWORD = "calf-stretch-2026"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true")


def require(condition: bool, what: str) -> None:
    """CI must have the real services (PostgreSQL, Redis, Chromium); a developer without them gets a
    skip that says why."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{what} is required in CI")
    pytest.skip(f"{what} is not available here")


def postgres_url(name: str | None = None) -> str:
    """A URL for the test run's PostgreSQL server: its test database, or another database on it."""
    from django.db import connection

    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{db['USER']}{password}@{host}:{port}/{name or db['NAME']}"


def make_user(email: str, role: str, **fields) -> User:
    return User.objects.create_user(
        email=email, password=PASSWORD, role=role, display_name=email.split("@")[0].title(), **fields
    )


@pytest.fixture(autouse=True)
def _clear_cache():
    # Failure counters and throttles live in the cache (and the write tally in the process): each test
    # starts with none.
    cache.clear()
    write_tally.clear()
    yield
    cache.clear()
    write_tally.clear()


@pytest.fixture(autouse=True)
def _english_after_each_test():
    # A request leaves its person's language active in the thread, as Django's own LocaleMiddleware
    # does (a streamed export is written after the view returns); the next test starts in English.
    yield
    translation.deactivate()


def worker_redis_url(worker_id: str, *, broker: bool = False) -> str:
    """A Redis database of this pytest-xdist worker's own, the cache's apart from the reminder broker's, so
    parallel workers never flush nor consume each other's keys. TEST_REDIS_URL names the first one
    (default database 14); the others count down from it."""
    number = 0 if worker_id == "master" else int(worker_id.removeprefix("gw"))
    base = urlsplit(os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14"))
    first = int(base.path.lstrip("/") or 0)
    return urlunsplit(base._replace(path=f"/{(first - number - (8 if broker else 0)) % 16}"))


@pytest.fixture
def redis_cache(settings, worker_id):
    """The cache on the machine's real Redis: a database of its own for each pytest-xdist worker,
    emptied before and after."""
    location = worker_redis_url(worker_id)
    client = redis.Redis.from_url(location, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError:
        require(False, f"Redis at {location}")
    client.flushdb()
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location}
    }
    yield client
    client.flushdb()


@pytest.fixture
def alice(db) -> User:
    return make_user("alice@example.com", Role.PATIENT, timezone="Europe/Berlin")


@pytest.fixture
def carol(db) -> User:
    return make_user("carol@example.com", Role.PATIENT, timezone="America/New_York")


@pytest.fixture
def bob(db, alice) -> User:
    bob = make_user("bob@example.com", Role.CLINICIAN, timezone="Europe/Berlin")
    CareLink.objects.create(patient=alice, clinician=bob)
    return bob


@pytest.fixture
def dave(db) -> User:
    return make_user("dave@example.com", Role.CLINICIAN, timezone="Europe/London")


def signed_in_speaking(user: User, language: str) -> APIClient:
    """A session sign-in in `language`: force_login, not force_authenticate, so the request goes through
    the language middleware as the app's do (diary.web.PersonLanguageMiddleware)."""
    user.language = language
    user.save(update_fields=["language"])
    client = APIClient()
    client.force_login(user)
    return client


def client_for(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def as_alice(alice) -> APIClient:
    return client_for(alice)


@pytest.fixture
def as_bob(bob) -> APIClient:
    return client_for(bob)


@pytest.fixture
def as_carol(carol) -> APIClient:
    return client_for(carol)


@pytest.fixture
def as_dave(dave) -> APIClient:
    return client_for(dave)


@pytest.fixture
def anonymous() -> APIClient:
    return APIClient()


def response_body(response) -> bytes:
    """A response's whole body, whether it was streamed (the exports) or not; a stream is read once, so
    its body is kept on the response for the next read."""
    if not getattr(response, "streaming", False):
        return response.content
    if not hasattr(response, "joined_body"):
        response.joined_body = b"".join(response.streaming_content)
    return response.joined_body
