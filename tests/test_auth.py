"""Accounts: register, session and token sign-in, CSRF, logout, throttling, passwords, the profile."""

import re
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from diary.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def register(client: APIClient, **overrides):
    body = {
        "email": "frank@example.com",
        "password": "stockings-and-water",
        "role": "patient",
        "timezone": "Europe/Berlin",
        **overrides,
    }
    return client.post("/api/v1/auth/register/", body, format="json")


def test_it_registers_a_patient_and_answers_id_email_and_role(anonymous):
    response = register(anonymous, display_name="Frank")
    assert response.status_code == 201
    user = User.objects.get(email="frank@example.com")
    assert response.json() == {"id": str(user.pk), "email": "frank@example.com", "role": "patient"}
    assert user.display_name == "Frank"
    assert user.timezone == "Europe/Berlin"


def test_it_registers_a_clinician(anonymous):
    assert register(anonymous, role="clinician").json()["role"] == "clinician"


def test_it_refuses_an_email_already_registered_whatever_its_case(anonymous, alice):
    response = register(anonymous, email="ALICE@example.com")
    assert response.status_code == 400
    assert "email" in response.json()


@pytest.mark.parametrize("zone", ["Mars/Olympus", "../../etc/passwd", "", "berlin"])
def test_it_refuses_an_unknown_time_zone(anonymous, zone):
    response = register(anonymous, timezone=zone)
    assert response.status_code == 400
    assert "timezone" in response.json()


@pytest.mark.parametrize("password", ["short", "password123", "12345678901", "frank@example.com"])
def test_it_applies_djangos_password_validators(anonymous, password):
    response = register(anonymous, password=password)
    assert response.status_code == 400
    assert "password" in response.json()


def test_it_refuses_an_unknown_role(anonymous):
    response = register(anonymous, role="admin")
    assert response.status_code == 400
    assert "role" in response.json()


def test_a_clinic_can_register_thirty_patients_an_hour_from_one_address(anonymous):
    for index in range(30):
        assert register(anonymous, email=f"patient{index}@example.com").status_code == 201


def test_session_login_sets_a_session_and_works_for_the_api(alice):
    client = APIClient(enforce_csrf_checks=True)
    response = client.post("/api/v1/auth/login/", {"email": alice.email, "password": PASSWORD}, format="json")
    assert response.status_code == 200
    assert response.json()["id"] == str(alice.pk)
    assert "sessionid" in response.cookies
    assert "csrftoken" in response.cookies
    assert client.get("/api/v1/profile/").json()["email"] == alice.email


def test_session_writes_need_the_csrf_token(alice):
    client = APIClient(enforce_csrf_checks=True)
    login = client.post("/api/v1/auth/login/", {"email": alice.email, "password": PASSWORD}, format="json")
    body = {"taken_at": timezone.now().isoformat(), "volume_ml": 250}

    without = client.post("/api/v1/hydration/", body, format="json")
    with_token = client.post(
        "/api/v1/hydration/", body, format="json", HTTP_X_CSRFTOKEN=login.cookies["csrftoken"].value
    )

    assert without.status_code == 403
    assert with_token.status_code == 201


def test_login_accepts_the_email_in_any_case(alice):
    response = APIClient().post(
        "/api/v1/auth/login/", {"email": "Alice@Example.COM", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200


def test_a_wrong_password_is_a_400_without_saying_which_part_was_wrong(anonymous, alice):
    wrong_password = anonymous.post(
        "/api/v1/auth/login/", {"email": alice.email, "password": "nope"}, format="json"
    )
    unknown_email = anonymous.post(
        "/api/v1/auth/login/", {"email": "nobody@example.com", "password": "nope"}, format="json"
    )
    assert wrong_password.status_code == unknown_email.status_code == 400
    assert wrong_password.json() == unknown_email.json()


def test_repeated_failures_are_throttled_with_retry_after(anonymous, alice):
    for _ in range(5):
        anonymous.post("/api/v1/auth/login/", {"email": alice.email, "password": "nope"}, format="json")

    blocked = anonymous.post(
        "/api/v1/auth/token/", {"email": alice.email, "password": PASSWORD}, format="json"
    )

    assert blocked.status_code == 429
    assert 0 < int(blocked["Retry-After"]) <= 15 * 60


def test_the_throttle_lifts_after_its_window(anonymous, alice):
    for _ in range(5):
        anonymous.post("/api/v1/auth/login/", {"email": alice.email, "password": "nope"}, format="json")
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        response = anonymous.post(
            "/api/v1/auth/login/", {"email": alice.email, "password": PASSWORD}, format="json"
        )
    assert response.status_code == 200


def test_a_success_before_the_limit_clears_the_count(anonymous, alice):
    for _ in range(4):
        anonymous.post("/api/v1/auth/login/", {"email": alice.email, "password": "nope"}, format="json")
    anonymous.post("/api/v1/auth/login/", {"email": alice.email, "password": PASSWORD}, format="json")
    for _ in range(4):
        anonymous.post("/api/v1/auth/login/", {"email": alice.email, "password": "nope"}, format="json")
    response = anonymous.post(
        "/api/v1/auth/token/", {"email": alice.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200


def token_for(client: APIClient, user: User, password: str = PASSWORD) -> str:
    response = client.post("/api/v1/auth/token/", {"email": user.email, "password": password}, format="json")
    assert response.status_code == 200, response.json()
    return response.json()["token"]


def with_token(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_a_token_authenticates_api_requests_and_has_a_documented_lifetime(anonymous, alice):
    response = anonymous.post(
        "/api/v1/auth/token/", {"email": alice.email, "password": PASSWORD}, format="json"
    )
    expiry = timezone.datetime.fromisoformat(response.json()["expiry"])
    assert timedelta(days=29) < expiry - timezone.now() <= timedelta(days=30)
    assert with_token(response.json()["token"]).get("/api/v1/profile/").status_code == 200


def test_an_expired_token_is_refused(anonymous, alice):
    token = token_for(anonymous, alice)
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert with_token(token).get("/api/v1/profile/").status_code == 401


def test_logout_deletes_the_token_it_was_called_with(anonymous, alice):
    token, other = token_for(anonymous, alice), token_for(anonymous, alice)
    assert with_token(token).post("/api/v1/auth/logout/").status_code == 204
    assert with_token(token).get("/api/v1/profile/").status_code == 401
    assert with_token(other).get("/api/v1/profile/").status_code == 200


def test_logout_ends_the_session(alice):
    client = APIClient()
    client.post("/api/v1/auth/login/", {"email": alice.email, "password": PASSWORD}, format="json")
    assert client.post("/api/v1/auth/logout/").status_code == 204
    assert client.get("/api/v1/profile/").status_code in (401, 403)


def test_a_password_change_revokes_every_token_and_other_session(anonymous, alice):
    token = token_for(anonymous, alice)
    other_device = APIClient()
    other_device.post("/api/v1/auth/login/", {"email": alice.email, "password": PASSWORD}, format="json")
    this_device = APIClient()
    this_device.post("/api/v1/auth/login/", {"email": alice.email, "password": PASSWORD}, format="json")

    response = this_device.post(
        "/api/v1/auth/password-change/",
        {"current_password": PASSWORD, "new_password": "new-compression-2027"},
        format="json",
    )

    assert response.status_code == 200
    assert with_token(token).get("/api/v1/profile/").status_code == 401
    assert other_device.get("/api/v1/profile/").status_code in (401, 403)
    assert this_device.get("/api/v1/profile/").status_code == 200
    assert not AuthToken.objects.filter(user=alice).exists()


def test_a_password_change_needs_the_current_password(as_alice):
    response = as_alice.post(
        "/api/v1/auth/password-change/",
        {"current_password": "guess", "new_password": "new-compression-2027"},
        format="json",
    )
    assert response.status_code == 400
    assert "current_password" in response.json()


def test_password_reset_answers_202_whether_or_not_the_account_exists(anonymous, alice, reset_emails_sent):
    known = anonymous.post("/api/v1/auth/password-reset/", {"email": alice.email}, format="json")
    unknown = anonymous.post("/api/v1/auth/password-reset/", {"email": "no@example.com"}, format="json")
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [alice.email]


@pytest.fixture
def reset_emails_sent(monkeypatch):
    """Each reset email a request queues is sent when the request commits, by the worker's own task."""
    from diary import tasks

    task = tasks.send_password_reset
    monkeypatch.setattr(task, "delay", lambda *args: task.apply(args))

    def on_commit_at_once(callback, using=None, robust=False):
        callback()

    monkeypatch.setattr("django.db.transaction.on_commit", on_commit_at_once)


def reset_link_parts() -> dict:
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    return {key: values[0] for key, values in parse_qs(urlsplit(link).query).items()}


def test_a_reset_link_sets_a_new_password_once_and_revokes_tokens(anonymous, alice, reset_emails_sent):
    token = token_for(anonymous, alice)
    anonymous.post("/api/v1/auth/password-reset/", {"email": alice.email}, format="json")
    parts = reset_link_parts()

    confirm = {**parts, "new_password": "fresh-legs-2027"}
    assert anonymous.post("/api/v1/auth/password-reset/confirm/", confirm, format="json").status_code == 200
    again = anonymous.post(
        "/api/v1/auth/password-reset/confirm/", {**parts, "new_password": "other-legs-2027"}, format="json"
    )

    assert again.status_code == 400
    assert "token" in again.json()
    assert with_token(token).get("/api/v1/profile/").status_code == 401
    alice.refresh_from_db()
    assert alice.check_password("fresh-legs-2027")


@pytest.mark.parametrize(
    "parts", [{"uid": "garbage", "token": "x"}, {"uid": "", "token": ""}, {"uid": "MTIz", "token": "abc-def"}]
)
def test_a_bad_reset_link_is_a_400(anonymous, parts):
    response = anonymous.post(
        "/api/v1/auth/password-reset/confirm/", {**parts, "new_password": "fresh-legs-2027"}, format="json"
    )
    assert response.status_code == 400


def test_a_reset_still_applies_the_password_validators(anonymous, alice, reset_emails_sent):
    anonymous.post("/api/v1/auth/password-reset/", {"email": alice.email}, format="json")
    response = anonymous.post(
        "/api/v1/auth/password-reset/confirm/", {**reset_link_parts(), "new_password": "123"}, format="json"
    )
    assert response.status_code == 400
    assert "new_password" in response.json()


def test_the_profile_has_the_contract_fields_and_defaults(as_alice, alice):
    profile = as_alice.get("/api/v1/profile/").json()
    # The cast is made as the admin makes accounts: already through the first run.
    assert profile["onboarded_at"] is not None
    assert profile == {
        "id": str(alice.pk),
        "email": alice.email,
        "display_name": "Alice",
        "role": "patient",
        "timezone": "Europe/Berlin",
        "night_start": "22:00",
        "night_end": "07:00",
        "quiet_start": None,
        "quiet_end": None,
        "fluid_target_ml": 2000,
        "compression_class": None,
        "takes_diuretics": None,
        "previous_dvt": None,
        "theme": "auto",
        "language": "en",
        "country": None,
        "emergency_number": None,
        "date_of_birth": None,
        # Read by everyone; only a clinician's is used (and may be changed).
        "alert_channels": ["push", "email"],
        "two_factor_enabled": False,
        "onboarded_at": profile["onboarded_at"],
    }


def test_the_profile_is_edited_with_patch(as_alice):
    changes = {
        "display_name": "Alice M.",
        "quiet_start": "21:30",
        "quiet_end": "08:00",
        "fluid_target_ml": 2500,
        "compression_class": "20-30",
        "takes_diuretics": True,
        "previous_dvt": True,
    }
    response = as_alice.patch("/api/v1/profile/", changes, format="json")
    assert response.status_code == 200
    assert {key: response.json()[key] for key in changes} == changes


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("timezone", "Europe/Atlantis"),
        ("night_start", "25:00"),
        ("fluid_target_ml", 50),
        ("compression_class", "10-15"),
        ("takes_diuretics", "often"),
    ],
)
def test_bad_profile_values_are_a_400_naming_the_field(as_alice, field, value):
    response = as_alice.patch("/api/v1/profile/", {field: value}, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_quiet_hours_need_both_ends(as_alice):
    response = as_alice.patch("/api/v1/profile/", {"quiet_start": "21:00"}, format="json")
    assert response.status_code == 400
    assert "quiet_end" in response.json()


def test_role_and_email_are_not_editable_through_the_profile(as_alice, alice):
    as_alice.patch("/api/v1/profile/", {"role": "clinician", "email": "x@example.com"}, format="json")
    alice.refresh_from_db()
    assert (alice.role, alice.email) == ("patient", "alice@example.com")


def test_a_clinician_has_a_profile_too(as_dave, dave):
    assert as_dave.get("/api/v1/profile/").json()["role"] == "clinician"


def test_a_phone_syncing_hundreds_of_offline_entries_is_not_throttled(as_alice):
    for minutes in range(300):
        body = {"taken_at": (timezone.now() - timedelta(minutes=minutes)).isoformat(), "volume_ml": 100}
        assert as_alice.post("/api/v1/hydration/", body, format="json").status_code == 201


@pytest.fixture
def five_writes_an_hour():
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = {**api_settings.DEFAULT_THROTTLE_RATES, "writes": "5/hour"}
    yield
    SimpleRateThrottle.THROTTLE_RATES = original


def drink(client: APIClient):
    return client.post(
        "/api/v1/hydration/", {"taken_at": timezone.now().isoformat(), "volume_ml": 100}, format="json"
    )


def test_a_flood_of_writes_meets_a_429_with_retry_after_and_only_for_its_sender(
    as_alice, as_carol, five_writes_an_hour
):
    statuses = [drink(as_alice) for _ in range(6)]
    assert [response.status_code for response in statuses] == [201] * 5 + [429]
    assert 0 < int(statuses[-1]["Retry-After"]) <= 3600  # the end of this hour's window
    assert as_alice.get("/api/v1/hydration/").status_code == 200  # reading is never throttled
    assert drink(as_carol).status_code == 201


def test_on_redis_the_write_count_is_one_expiring_counter_per_person(
    as_alice, alice, five_writes_an_hour, redis_cache, settings
):
    settings.WRITE_COUNT_SYNC_SECONDS = 0  # every write synced at once
    statuses = [drink(as_alice).status_code for _ in range(6)]
    assert statuses == [201] * 5 + [429]
    [key] = redis_cache.keys(f"crampwise:throttle:writes:{alice.pk}:*")
    assert int(redis_cache.get(key)) == 6
    assert 0 < redis_cache.ttl(key) <= 3600 + 60  # gone soon after its window


def test_on_redis_writes_between_syncs_are_counted_here_and_added_in_one_go(
    as_alice, alice, five_writes_an_hour, redis_cache, settings
):
    settings.WRITE_COUNT_SYNC_SECONDS = 3600  # only the first write syncs
    statuses = [drink(as_alice).status_code for _ in range(6)]
    assert statuses == [201] * 5 + [429]  # exact in one process, synced or not
    [key] = redis_cache.keys(f"crampwise:throttle:writes:{alice.pk}:*")
    assert int(redis_cache.get(key)) == 1

    settings.WRITE_COUNT_SYNC_SECONDS = 0
    assert drink(as_alice).status_code == 429
    assert int(redis_cache.get(key)) == 7  # the six since, in one INCRBY


def test_on_redis_writes_counted_by_other_processes_are_seen_at_the_next_sync(
    as_alice, alice, as_carol, five_writes_an_hour, redis_cache, settings
):
    settings.WRITE_COUNT_SYNC_SECONDS = 0
    with time_machine.travel(datetime(2026, 11, 20, 10, 30, tzinfo=UTC)):
        window = int(time.time() // 3600)
        # Five of alice's writes this hour, already counted by the other web processes.
        redis_cache.set(f"crampwise:throttle:writes:{alice.pk}:{window}", 5, ex=3600)
        assert drink(as_alice).status_code == 429
        assert drink(as_carol).status_code == 201
