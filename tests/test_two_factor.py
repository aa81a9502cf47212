"""Two-factor sign-in: any user can turn it on; then login and token need a code; clinicians may be
required to have it before they see patients' data."""

from datetime import timedelta

import pyotp
import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def turn_on(client: APIClient) -> pyotp.TOTP:
    setup = client.post("/api/v1/auth/2fa/setup/").json()
    totp = pyotp.TOTP(setup["secret"])
    assert setup["otpauth_uri"].startswith("otpauth://totp/Crampwise")
    response = client.post("/api/v1/auth/2fa/confirm/", {"otp": totp.now()}, format="json")
    assert response.json() == {"two_factor_enabled": True}
    return totp


def sign_in(email: str, **extra):
    return APIClient().post(
        "/api/v1/auth/token/", {"email": email, "password": PASSWORD, **extra}, format="json"
    )


def test_a_patient_turns_it_on_and_then_needs_a_code_to_sign_in(as_alice, alice):
    totp = turn_on(as_alice)
    without = sign_in(alice.email)
    assert without.status_code == 400
    assert "otp" in without.json()
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        assert sign_in(alice.email, otp=totp.now()).status_code == 200
    assert as_alice.get("/api/v1/profile/").json()["two_factor_enabled"] is True


def test_a_wrong_code_is_refused_and_counted_towards_the_throttle(as_alice, alice):
    turn_on(as_alice)
    for _ in range(5):
        assert sign_in(alice.email, otp="000000").status_code in (400, 429)
    assert sign_in(alice.email, otp="000000").status_code == 429


def test_a_code_cannot_be_used_twice(as_alice, alice):
    totp = turn_on(as_alice)
    with time_machine.travel(timezone.now() + timedelta(seconds=31), tick=False):
        code = totp.now()
        assert sign_in(alice.email, otp=code).status_code == 200
        assert sign_in(alice.email, otp=code).status_code == 400


def test_setup_is_not_on_until_confirmed_with_a_good_code(as_alice, alice):
    as_alice.post("/api/v1/auth/2fa/setup/")
    assert as_alice.post("/api/v1/auth/2fa/confirm/", {"otp": "123456"}, format="json").status_code == 400
    assert sign_in(alice.email).status_code == 200  # still off


def test_turning_it_off_needs_a_code(as_alice, alice):
    totp = turn_on(as_alice)
    assert as_alice.post("/api/v1/auth/2fa/disable/", {"otp": "111111"}, format="json").status_code == 400
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        response = as_alice.post("/api/v1/auth/2fa/disable/", {"otp": totp.now()}, format="json")
    assert response.json() == {"two_factor_enabled": False}
    assert sign_in(alice.email).status_code == 200


def test_session_login_takes_the_code_too(as_alice, alice):
    totp = turn_on(as_alice)
    client = APIClient()
    body = {"email": alice.email, "password": PASSWORD}
    assert client.post("/api/v1/auth/login/", body, format="json").status_code == 400
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        assert (
            client.post("/api/v1/auth/login/", {**body, "otp": totp.now()}, format="json").status_code == 200
        )


def test_where_required_a_clinician_without_it_sees_no_patient_data(as_bob, alice, settings):
    settings.REQUIRE_CLINICIAN_2FA = True
    response = as_bob.get("/api/v1/clinician/patients/")
    assert response.status_code == 403
    assert "two-factor" in response.json()["detail"]
    turn_on(as_bob)
    assert as_bob.get("/api/v1/clinician/patients/").status_code == 200
    assert as_bob.get(f"/api/v1/clinician/patients/{alice.pk}/cramps/").status_code == 200


def test_the_demo_does_not_require_it(as_bob):
    assert as_bob.get("/api/v1/clinician/patients/").status_code == 200


def test_production_requires_it_for_clinicians():
    from pathlib import Path

    source = (Path(__file__).resolve().parent.parent / "config" / "settings" / "production.py").read_text()
    assert 'REQUIRE_CLINICIAN_2FA = env_bool("REQUIRE_CLINICIAN_2FA", True)' in source


def test_staff_can_turn_it_off_for_someone_who_lost_their_phone(client, as_alice, alice):
    from knox.models import AuthToken

    from diary.models import User

    turn_on(as_alice)
    AuthToken.objects.create(user=alice)
    staff = User.objects.create_superuser(email="staff@example.com", password="staff-password-2026")
    client.force_login(staff)
    response = client.post(
        "/admin/diary/user/", {"action": "turn_off_two_factor", "_selected_action": [str(alice.pk)]}
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.totp_enabled, alice.totp_secret) == (False, "")
    assert not AuthToken.objects.filter(user=alice).exists()
    assert sign_in(alice.email).status_code == 200
