"""The profile's language: set at sign-up from the browser when not given, changed by its owner only, and
what every answer to that person is in, signed in by session or by token (issue #20)."""

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from diary.language import speaking_to
from diary.models import User
from diary.zones import day_words

pytestmark = pytest.mark.django_db

SIGN_UP = {"email": "frank@example.com", "password": "a long enough passphrase 42", "role": "patient",
           "timezone": "Europe/Berlin"}  # fmt: skip


def test_a_sign_up_without_a_language_takes_the_browsers():
    response = APIClient().post(
        "/api/v1/auth/register/", SIGN_UP, format="json", HTTP_ACCEPT_LANGUAGE="de-AT,de;q=0.9,en;q=0.5"
    )
    assert response.status_code == 201
    assert User.objects.get(email="frank@example.com").language == "de"


def test_a_browser_language_the_app_does_not_speak_signs_up_in_english():
    APIClient().post("/api/v1/auth/register/", SIGN_UP, format="json", HTTP_ACCEPT_LANGUAGE="fr-FR,fr")
    assert User.objects.get(email="frank@example.com").language == "en"


def test_a_language_given_at_sign_up_wins_over_the_browsers():
    APIClient().post(
        "/api/v1/auth/register/", {**SIGN_UP, "language": "es"}, format="json", HTTP_ACCEPT_LANGUAGE="de"
    )
    assert User.objects.get(email="frank@example.com").language == "es"


@pytest.mark.parametrize("value", ["fr", "", None, 3, "DE", "de-DE"])
def test_a_language_the_app_does_not_speak_is_a_400_naming_language(value):
    response = APIClient().post("/api/v1/auth/register/", {**SIGN_UP, "language": value}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["language"]
    assert not User.objects.filter(email="frank@example.com").exists()


def test_alice_reads_and_changes_her_language(as_alice, alice):
    assert as_alice.get("/api/v1/profile/").json()["language"] == "en"
    response = as_alice.patch("/api/v1/profile/", {"language": "de"}, format="json")
    assert response.status_code == 200
    assert response.json()["language"] == "de"
    alice.refresh_from_db()
    assert alice.language == "de"


def test_a_bad_language_in_the_profile_is_a_400_and_changes_nothing(as_alice, alice):
    response = as_alice.patch("/api/v1/profile/", {"language": "klingon"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["language"]
    alice.refresh_from_db()
    assert alice.language == "en"


def test_alice_signed_in_by_session_is_answered_in_her_language(alice):
    alice.language = "de"
    alice.save(update_fields=["language"])
    client = APIClient()
    client.force_login(alice)
    response = client.get("/api/v1/profile/", HTTP_ACCEPT_LANGUAGE="es")
    assert response["Content-Language"] == "de"


def test_alice_signed_in_by_token_is_answered_in_her_language(alice):
    alice.language = "es"
    alice.save(update_fields=["language"])
    _token, key = AuthToken.objects.create(user=alice)
    response = APIClient().get(
        "/api/v1/profile/", HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="de"
    )
    assert response.status_code == 200
    # The token is read inside the view: the words of the answer are hers, whatever the browser says.
    assert response["Content-Language"] == "es"


def test_nobody_signed_in_is_answered_in_the_browsers_language():
    response = APIClient().get("/api/v1/auth/csrf/", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
    assert response["Content-Language"] == "es"
    assert "Accept-Language" in response["Vary"]


def test_the_worker_words_things_in_the_persons_language(alice, carol):
    alice.language = "de"
    carol.language = "es"
    from datetime import date

    with speaking_to(alice):
        assert day_words(date(2026, 12, 3)) == "3. Dezember 2026"
    with speaking_to(carol):
        assert day_words(date(2026, 12, 3)) == "3 de diciembre de 2026"
    assert day_words(date(2026, 12, 3)) == "3 December 2026"
