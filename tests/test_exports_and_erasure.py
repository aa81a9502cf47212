"""The patient's export (JSON, CSV), the clinician's CSV, and erasing an account leaving nothing behind."""

import csv
import io
import uuid
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from diary.kinds import by_segment
from diary.models import DIARY_MODELS, AccessLogEntry, CareLink, LoginSession, ShareCode, User
from diary.services.records import record_create
from tests.conftest import PASSWORD
from tests.test_access_matrix import COLLECTIONS, record_body

pytestmark = pytest.mark.django_db


def fill_diary(patient, copies: int = 2) -> None:
    for segment, model in COLLECTIONS.items():
        for index in range(copies):
            body = record_body(segment, patient)
            data = dict(by_segment(segment).serializer().to_internal_value(body))
            data |= {
                key: value - timedelta(hours=index) for key, value in data.items() if key.endswith("_at")
            }
            record_create(model=model, patient=patient, data=data, record_id=uuid.uuid4())


def test_the_json_export_has_the_profile_and_every_record(as_alice, alice):
    fill_diary(alice)
    response = as_alice.get("/api/v1/export/", {"format": "json"})

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["profile"]["email"] == alice.email
    for segment, model in COLLECTIONS.items():
        exported = {row["id"] for row in body[segment]}
        assert exported == {
            str(pk) for pk in model.objects.filter(patient=alice).values_list("pk", flat=True)
        }


def test_the_csv_export_round_trips_through_the_csv_module(as_alice, alice):
    fill_diary(alice)
    response = as_alice.get("/api/v1/export/", {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    # Every record, and the factor her factor entries name (an account collection, not a record).
    assert len(rows) == 2 * len(COLLECTIONS) + 1
    assert {row["kind"] for row in rows} == {*COLLECTIONS, "factors"}
    cramp = next(row for row in rows if row["kind"] == "cramps")
    assert cramp["severity"] == "4"
    assert cramp["muscle"] == "calf"
    assert cramp["woke_from_sleep"] == "false"


def test_an_unknown_export_format_is_a_400(as_alice):
    response = as_alice.get("/api/v1/export/", {"format": "xml"})
    assert response.status_code == 400
    assert "format" in response.json()


def test_the_clinicians_csv_has_the_patients_records_only(as_bob, alice, carol):
    fill_diary(alice, copies=1)
    fill_diary(carol, copies=3)
    response = as_bob.get(f"/api/v1/clinician/patients/{alice.pk}/export/", {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == len(COLLECTIONS)


def test_erasing_an_account_leaves_nothing_about_the_patient(as_bob, alice, bob, carol):
    fill_diary(alice)
    fill_diary(carol, copies=1)
    as_bob.get(f"/api/v1/clinician/patients/{alice.pk}/cramps/")
    ShareCode.objects.create(patient=alice, digest="d" * 64, expires_at=timezone.now())
    phone = APIClient()
    phone.post("/api/v1/auth/login/", {"email": alice.email, "password": PASSWORD}, format="json")
    laptop = APIClient()
    token = laptop.post("/api/v1/auth/token/", {"email": alice.email, "password": PASSWORD}, format="json")
    laptop.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    assert Session.objects.count() == 1

    assert laptop.delete("/api/v1/account/", {"password": PASSWORD}, format="json").status_code == 204

    assert not User.objects.filter(pk=alice.pk).exists()
    for model in DIARY_MODELS:
        assert not model.objects.filter(patient_id=alice.pk).exists()
        assert model.objects.filter(patient=carol).count() == 1
    assert not CareLink.objects.filter(patient_id=alice.pk).exists()
    assert not AccessLogEntry.objects.filter(patient_id=alice.pk).exists()
    assert not ShareCode.objects.filter(patient_id=alice.pk).exists()
    assert not AuthToken.objects.filter(user_id=alice.pk).exists()
    assert not LoginSession.objects.filter(user_id=alice.pk).exists()
    assert Session.objects.count() == 0
    assert phone.get("/api/v1/profile/").status_code in (401, 403)


def test_erasing_a_clinician_removes_the_links_but_keeps_patients_logs(as_alice, as_bob, alice, bob):
    as_bob.get(f"/api/v1/clinician/patients/{alice.pk}/cramps/")
    assert as_bob.delete("/api/v1/account/", {"password": PASSWORD}, format="json").status_code == 204
    assert not CareLink.objects.filter(patient=alice).exists()
    assert as_alice.get("/api/v1/access-log/").json()["count"] == 1
