"""Validation and error messages in the reader's language (issue #20): a German or Spanish patient's 400s
name the same fields with the same codes, worded in German or Spanish; a visitor's follow the browser;
English is unchanged; and a 404 or 403 in German still shows nothing of another person's diary."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.conftest import signed_in_speaking

pytestmark = pytest.mark.django_db

SIGN_UP = {"email": "frank@example.com", "password": "a long enough passphrase 42", "role": "patient",
           "timezone": "Europe/Berlin"}  # fmt: skip
SECRET_NOTE = "Alice's own words about her night"


def cramp(**fields) -> dict:
    started = (timezone.now() - timedelta(hours=1)).isoformat()
    return {"started_at": started, "severity": 4, "muscle": "calf", "side": "left", **fields}


# What each language says for the same bad inputs: DRF's own messages (severity, notes) come from its
# catalogue, the diary's (time zone, theme, factor) from diary/locale.
SAYS = {
    "en": {
        "severity": "Ensure this value is less than or equal to 10.",
        "notes": "Ensure this field has no more than 2000 characters.",
        "timezone": "'Mars' is not a known IANA time zone, such as Europe/Berlin or America/New_York.",
        "theme": "Choose auto, light or dark (not 'purple').",
        "factor": "Choose one of your own factors (GET /api/v1/factors/).",
    },
    "de": {
        "severity": "Stelle sicher, dass dieser Wert kleiner oder gleich 10 ist.",
        "notes": "Stelle sicher, dass dieses Feld nicht mehr als 2000 Zeichen lang ist.",
        "timezone": "'Mars' ist keine bekannte IANA-Zeitzone wie Europe/Berlin oder America/New_York.",
        "theme": "Wählen Sie auto, light oder dark (nicht 'purple').",
        "factor": "Wählen Sie einen Ihrer eigenen Faktoren (GET /api/v1/factors/).",
    },
    "es": {
        "severity": "Asegúrese de que este valor es menor o igual a 10.",
        "notes": "Asegúrese de que este campo no tenga más de 2000 caracteres.",
        "timezone": "'Mars' no es una zona horaria IANA conocida, como Europe/Berlin o America/New_York.",
        "theme": "Elija auto, light o dark (no 'purple').",
        "factor": "Elija uno de sus propios factores (GET /api/v1/factors/).",
    },
}


@pytest.mark.parametrize("language", ["en", "de", "es"])
def test_a_patients_400s_are_in_her_language_with_the_same_fields(alice, language):
    client = signed_in_speaking(alice, language)
    says = SAYS[language]

    response = client.post("/api/v1/cramps/", cramp(severity=11), format="json")
    assert response.status_code == 400
    assert response.json() == {"severity": [says["severity"]]}

    response = client.post("/api/v1/cramps/", cramp(notes="x" * 2001), format="json")
    assert response.status_code == 400
    assert response.json() == {"notes": [says["notes"]]}

    response = client.patch("/api/v1/profile/", {"timezone": "Mars"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"timezone": [says["timezone"]]}

    response = client.patch("/api/v1/profile/", {"theme": "purple"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"theme": [says["theme"]]}
    alice.refresh_from_db()
    assert alice.timezone == "Europe/Berlin" and alice.theme != "purple"


def test_one_serializer_for_every_create_still_answers_each_person_in_their_own_language(alice, carol):
    # A record kind's create serializer is built once (RecordSerializer.for_create): its messages must
    # be worded per request, not when it was built.
    entry = {"occurred_at": timezone.now().isoformat(), "factor": "00000000-0000-4000-8000-000000000000"}
    for user, language in ((alice, "de"), (carol, "es"), (alice, "en"), (carol, "de")):
        client = signed_in_speaking(user, language)
        response = client.post("/api/v1/factor-entries/", entry, format="json")
        assert response.status_code == 400
        assert response.json() == {"factor": [SAYS[language]["factor"]]}
        response = client.post("/api/v1/cramps/", cramp(severity=11), format="json")
        assert response.json() == {"severity": [SAYS[language]["severity"]]}


def test_a_visitors_sign_up_and_sign_in_errors_follow_the_browsers_language(alice):
    taken = {**SIGN_UP, "email": "alice@example.com"}
    response = APIClient().post(
        "/api/v1/auth/register/", taken, format="json", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9"
    )
    assert response.status_code == 400
    assert response.json() == {"email": ["Es gibt bereits ein Konto mit dieser E-Mail-Adresse."]}
    assert response["Content-Language"] == "de"

    response = APIClient().post(
        "/api/v1/auth/register/", {**SIGN_UP, "timezone": "Nowhere"}, format="json", HTTP_ACCEPT_LANGUAGE="es"
    )
    assert response.status_code == 400
    assert response.json() == {
        "timezone": ["'Nowhere' no es una zona horaria IANA conocida, como Europe/Berlin o America/New_York."]
    }

    wrong = {"email": "alice@example.com", "password": "not her password"}
    response = APIClient().post("/api/v1/auth/login/", wrong, format="json", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 400
    assert response.json() == {"detail": "E-Mail-Adresse oder Passwort stimmt nicht."}


def test_english_is_unchanged_for_a_visitor(alice):
    taken = {**SIGN_UP, "email": "alice@example.com"}
    response = APIClient().post("/api/v1/auth/register/", taken, format="json")
    assert response.json() == {"email": ["An account with this email already exists."]}
    wrong = {"email": "alice@example.com", "password": "not her password"}
    response = APIClient().post("/api/v1/auth/login/", wrong, format="json", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.json() == {"detail": "The email or password is not right."}


def test_in_german_another_patient_and_an_unlinked_clinician_still_see_nothing_of_alices(alice, carol, dave):
    created = signed_in_speaking(alice, "en").post("/api/v1/cramps/", cramp(notes=SECRET_NOTE), format="json")
    assert created.status_code == 201
    record = created.json()["id"]

    as_carol = signed_in_speaking(carol, "de")
    for response in (
        as_carol.get(f"/api/v1/cramps/{record}/"),
        as_carol.patch(f"/api/v1/cramps/{record}/", {"severity": 11}, format="json"),
        as_carol.delete(f"/api/v1/cramps/{record}/"),
    ):
        assert response.status_code == 404
        assert response.json() == {"detail": "Nicht gefunden."}
    assert as_carol.get("/api/v1/cramps/").json()["count"] == 0

    as_dave = signed_in_speaking(dave, "de")
    response = as_dave.get(f"/api/v1/clinician/patients/{alice.pk}/cramps/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Nicht gefunden."}
    response = as_dave.get(f"/api/v1/cramps/{record}/")
    assert response.status_code == 403
    assert response.json() == {"detail": "Das kann nur ein Patientenkonto."}

    # The record is as alice left it, and none of the answers carried her words.
    assert signed_in_speaking(alice, "de").get(f"/api/v1/cramps/{record}/").json()["notes"] == SECRET_NOTE
