"""Medications as a record kind: validation naming each field, dates in the patient's zone, the profile's
takes_diuretics following the list, the clinician's read-only twin, and the FHIR MedicationStatement."""

import json
import uuid
from datetime import date, datetime, timedelta

import pytest
import time_machine
from fhir.resources.R4B.medicationstatement import MedicationStatement

from diary.models import AccessLogEntry, DrugClass, Medication
from diary.selectors.facts import patient_facts
from diary.selectors.medications import takes_diuretics_now
from tests.conftest import response_body

pytestmark = pytest.mark.django_db

URL = "/api/v1/medications/"
# 23:30 on 10 Nov in Berlin, alice's zone: her today is 10 Nov.
LATE_EVENING = datetime.fromisoformat("2026-11-10T22:30:00+00:00")


def medicine(**fields) -> dict:
    return {
        "name": "Bendroflumethiazide",
        "drug_class": "diuretic",
        "dose": "2.5 mg",
        "schedule": "regular",
        "started_on": "2026-11-03",
        **fields,
    }


@pytest.fixture(autouse=True)
def pinned():
    with time_machine.travel(LATE_EVENING, tick=False):
        yield


def test_alice_lists_a_medicine_with_only_what_she_knows(as_alice, alice):
    response = as_alice.post(
        URL,
        {"name": "Magnesium", "drug_class": "magnesium", "schedule": "as_needed", "started_on": "2026-10-01"},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["dose"], body["notes"], body["stopped_on"]) == ("", "", None)
    stored = Medication.objects.get(pk=body["id"])
    assert stored.local_date == date(2026, 10, 1)  # a dated kind's local date is its start


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"started_on": "2026-11-03", "stopped_on": "2026-11-02"}, "stopped_on"),
        ({"started_on": "2026-11-12"}, "started_on"),
        ({"drug_class": "antibiotic"}, "drug_class"),
        ({"schedule": "sometimes"}, "schedule"),
        ({"name": "   "}, "name"),
        ({"started_on": "1899-12-31"}, "started_on"),
    ],
)
def test_a_bad_medicine_is_a_400_naming_the_field(as_alice, fields, field):
    response = as_alice.post(URL, medicine(**fields))
    assert response.status_code == 400
    assert field in response.json()
    assert not Medication.objects.exists()


def test_started_today_in_her_zone_is_not_the_future(as_alice):
    # 23:30 in Berlin: 10 Nov is alice's today, and 11 Nov is tomorrow.
    assert as_alice.post(URL, medicine(started_on="2026-11-10")).status_code == 201
    assert as_alice.post(URL, medicine(started_on="2026-11-11")).status_code == 400


def test_a_patch_cannot_stop_it_before_it_started(as_alice):
    created = as_alice.post(URL, medicine()).json()
    response = as_alice.patch(f"{URL}{created['id']}/", {"stopped_on": "2026-11-01"})
    assert response.status_code == 400
    assert "stopped_on" in response.json()
    assert as_alice.patch(f"{URL}{created['id']}/", {"stopped_on": "2026-11-08"}).status_code == 200


def test_a_replayed_create_answers_the_record_without_a_second(as_alice):
    body = medicine(id=str(uuid.uuid4()))
    assert as_alice.post(URL, body).status_code == 201
    replay = as_alice.post(URL, body)
    assert replay.status_code == 200
    assert replay.json()["id"] == body["id"]
    assert Medication.objects.count() == 1
    assert as_alice.post(URL, {**body, "dose": "5 mg"}).status_code == 409


def test_since_and_until_apply_to_the_start_on_her_local_dates(as_alice):
    for started in ("2026-11-01", "2026-11-05", "2026-11-10"):
        as_alice.post(URL, medicine(started_on=started))
    # 23:30 on 4 Nov in Berlin is 22:30 UTC: her local date of the bound, 4 Nov, is what counts.
    response = as_alice.get(URL, {"since": "2026-11-04T22:30:00Z", "until": "2026-11-09T12:00:00Z"})
    assert [row["started_on"] for row in response.json()["results"]] == ["2026-11-05"]
    response = as_alice.get(URL, {"since": "2026-10-31T23:30:00Z"})  # 1 Nov, 00:30 in Berlin
    assert response.json()["count"] == 3


class TestTakesDiuretics:
    def test_with_none_listed_the_profile_keeps_her_answer(self, as_alice, alice):
        assert as_alice.get("/api/v1/profile/").json()["takes_diuretics"] is None
        as_alice.patch("/api/v1/profile/", {"takes_diuretics": False}, format="json")
        assert as_alice.get("/api/v1/profile/").json()["takes_diuretics"] is False
        as_alice.post(URL, medicine(drug_class="magnesium"))  # not a diuretic: the answer stands
        assert as_alice.get("/api/v1/profile/").json()["takes_diuretics"] is False

    def test_a_listed_diuretic_answers_true_until_all_are_stopped(self, as_alice, alice):
        as_alice.patch("/api/v1/profile/", {"takes_diuretics": False}, format="json")
        created = as_alice.post(URL, medicine()).json()
        assert as_alice.get("/api/v1/profile/").json()["takes_diuretics"] is True
        as_alice.patch(f"{URL}{created['id']}/", {"stopped_on": "2026-11-10"})  # her last day: today
        assert as_alice.get("/api/v1/profile/").json()["takes_diuretics"] is True
        as_alice.patch(f"{URL}{created['id']}/", {"stopped_on": "2026-11-09"})
        assert as_alice.get("/api/v1/profile/").json()["takes_diuretics"] is False
        alice.refresh_from_db()
        assert alice.takes_diuretics is False  # the stored answer is untouched

    def test_a_patch_still_stores_the_answer(self, as_alice, alice):
        as_alice.post(URL, medicine(stopped_on="2026-11-05"))
        response = as_alice.patch("/api/v1/profile/", {"takes_diuretics": True}, format="json")
        assert response.status_code == 200
        alice.refresh_from_db()
        assert alice.takes_diuretics is True
        assert response.json()["takes_diuretics"] is False  # the list answers

    def test_the_rules_read_the_same_answer(self, as_alice, alice):
        as_alice.post(URL, medicine())
        facts = patient_facts(alice, now=LATE_EVENING)
        assert facts.takes_diuretics is True is takes_diuretics_now(alice)


def test_bob_reads_alices_medicines_and_it_is_logged(as_alice, as_bob, alice):
    as_alice.post(URL, medicine())
    response = as_bob.get(f"/api/v1/clinician/patients/{alice.pk}/medications/")
    assert response.status_code == 200
    assert [row["name"] for row in response.json()["results"]] == ["Bendroflumethiazide"]
    assert AccessLogEntry.objects.filter(patient=alice, action="read medications").exists()


def test_carol_and_dave_cannot_read_alices_medicines(as_alice, as_carol, as_dave, alice):
    created = as_alice.post(URL, medicine()).json()
    assert as_carol.get(f"{URL}{created['id']}/").status_code == 404
    assert as_carol.get(URL).json()["count"] == 0
    assert as_dave.get(f"/api/v1/clinician/patients/{alice.pk}/medications/").status_code == 404


def statements(as_bob, alice) -> list[dict]:
    bundle = json.loads(
        response_body(as_bob.get(f"/api/v1/clinician/patients/{alice.pk}/export/", {"format": "fhir"}))
    )
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "MedicationStatement"]


def test_the_fhir_export_has_a_medication_statement_for_each_medicine(as_alice, as_bob, alice):
    as_alice.post(URL, medicine(notes="For blood pressure"))
    as_alice.post(
        URL,
        medicine(
            name="Magnesium",
            drug_class="magnesium",
            schedule="as_needed",
            dose="",
            started_on="2026-09-01",
            stopped_on="2026-10-01",
        ),
    )

    taken, stopped = sorted(
        statements(as_bob, alice), key=lambda r: r["effectivePeriod"]["start"], reverse=True
    )

    for resource in (taken, stopped):
        MedicationStatement.model_validate(resource)
    assert taken["status"] == "active"
    assert taken["medicationCodeableConcept"]["text"] == "Bendroflumethiazide"
    assert taken["medicationCodeableConcept"]["coding"][0]["code"] == DrugClass.DIURETIC
    assert taken["effectivePeriod"] == {"start": "2026-11-03"}
    assert taken["dosage"] == [{"asNeededBoolean": False, "text": "2.5 mg"}]
    assert taken["note"] == [{"text": "For blood pressure"}]
    assert stopped["status"] == "completed"
    assert stopped["effectivePeriod"] == {"start": "2026-09-01", "end": "2026-10-01"}
    assert stopped["dosage"] == [{"asNeededBoolean": True}]


def test_a_stop_date_still_ahead_is_a_medicine_still_taken(as_alice, as_bob, alice):
    as_alice.post(URL, medicine(stopped_on=(date(2026, 11, 10) + timedelta(days=7)).isoformat()))
    (statement,) = statements(as_bob, alice)
    assert statement["status"] == "active"
