"""Patients identifiable on the clinician's surfaces: the clinic reference on the link, the date of birth,
open alerts first in the list, and every patient shown in the list logged as a read."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from diary.models import AccessLogEntry, CareLink, UrgentAlert
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def link_of(patient, clinician) -> CareLink:
    return CareLink.objects.get(patient=patient, clinician=clinician)


def patch(client, link, body):
    return client.patch(f"/api/v1/sharing/links/{link.pk}/", body, format="json")


def open_alert(patient, clinician, code="emergency_warning", **fields) -> UrgentAlert:
    moment = timezone.now() - timedelta(hours=1)
    return UrgentAlert.objects.create(
        patient=patient, clinician=clinician, code=code, evidence_at=moment, last_evidence_at=moment, **fields
    )


# --- PATCH /sharing/links/<id>/ -----------------------------------------------------------------


def test_bobs_clinic_reference_is_trimmed_stored_and_shown_on_the_link(as_bob, alice, bob):
    link = link_of(alice, bob)
    response = patch(as_bob, link, {"clinic_reference": "  VC-10442  "})
    assert response.status_code == 200
    assert response.json()["clinic_reference"] == "VC-10442"
    link.refresh_from_db()
    assert link.clinic_reference == "VC-10442"
    [item] = as_bob.get("/api/v1/sharing/links/").json()["results"]
    assert item["clinic_reference"] == "VC-10442"


@pytest.mark.parametrize("cleared", ["", "   ", None])
def test_an_empty_or_null_reference_clears_it(as_bob, alice, bob, cleared):
    link = link_of(alice, bob)
    patch(as_bob, link, {"clinic_reference": "VC-1"})
    response = patch(as_bob, link, {"clinic_reference": cleared})
    assert response.status_code == 200
    assert response.json()["clinic_reference"] is None
    link.refresh_from_db()
    assert link.clinic_reference is None


def test_forty_characters_are_accepted_and_forty_one_are_a_400_naming_the_field(as_bob, alice, bob):
    link = link_of(alice, bob)
    assert patch(as_bob, link, {"clinic_reference": "x" * 40}).status_code == 200
    response = patch(as_bob, link, {"clinic_reference": "y" * 41})
    assert response.status_code == 400
    assert "clinic_reference" in response.json()
    link.refresh_from_db()
    assert link.clinic_reference == "x" * 40


def test_a_reference_with_a_line_break_or_control_character_is_a_400(as_bob, alice, bob):
    link = link_of(alice, bob)
    for bad in ("VC-1\nVC-2", "VC\x07"):
        response = patch(as_bob, link, {"clinic_reference": bad})
        assert response.status_code == 400
        assert "clinic_reference" in response.json()
    link.refresh_from_db()
    assert link.clinic_reference is None


def test_a_body_without_the_field_or_of_the_wrong_type_is_a_400(as_bob, alice, bob):
    link = link_of(alice, bob)
    assert "clinic_reference" in patch(as_bob, link, {}).json()
    assert patch(as_bob, link, {"clinic_reference": ["a"]}).status_code == 400


def test_alice_may_not_set_the_clinics_number_for_her(as_alice, alice, bob):
    link = link_of(alice, bob)
    response = patch(as_alice, link, {"clinic_reference": "MINE"})
    assert response.status_code == 403
    assert response.json()["detail"] == "Only the clinician of this link can set the clinic reference."
    link.refresh_from_db()
    assert link.clinic_reference is None


def test_dave_cannot_find_bobs_link_and_carol_is_refused(as_dave, as_carol, alice, bob):
    link = link_of(alice, bob)
    assert patch(as_dave, link, {"clinic_reference": "D-1"}).status_code == 404
    assert patch(as_carol, link, {"clinic_reference": "C-1"}).status_code == 403
    link.refresh_from_db()
    assert link.clinic_reference is None


def test_the_link_shows_the_patients_date_of_birth_or_null_when_not_said(as_bob, alice, bob):
    [item] = as_bob.get("/api/v1/sharing/links/").json()["results"]
    assert item["patient_date_of_birth"] is None
    alice.date_of_birth = date(1951, 4, 2)
    alice.save(update_fields=["date_of_birth"])
    [item] = as_bob.get("/api/v1/sharing/links/").json()["results"]
    assert item["patient_date_of_birth"] == "1951-04-02"


# --- GET /clinician/patients/ ---------------------------------------------------------------------


def test_the_list_carries_the_reference_the_birth_date_open_alerts_and_the_link(as_bob, alice, bob):
    link = link_of(alice, bob)
    patch(as_bob, link, {"clinic_reference": "VC-7"})
    alice.date_of_birth = date(1948, 11, 30)
    alice.save(update_fields=["date_of_birth"])
    open_alert(alice, bob)
    open_alert(alice, bob, code="urgent_dvt_warning")
    open_alert(alice, bob, code="urgent_dvt_warning", reviewed_at=timezone.now())  # reviewed: not open
    [item] = as_bob.get("/api/v1/clinician/patients/").json()["results"]
    assert item["clinic_reference"] == "VC-7"
    assert item["date_of_birth"] == "1948-11-30"
    assert item["open_alerts"] == 2
    assert item["link"] == str(link.pk)


def test_without_anything_set_the_fields_are_null_and_zero(as_bob, alice):
    [item] = as_bob.get("/api/v1/clinician/patients/").json()["results"]
    assert item["clinic_reference"] is None
    assert item["date_of_birth"] is None
    assert item["open_alerts"] == 0


def test_another_clinicians_alerts_and_reference_are_not_counted(as_bob, alice, bob):
    other = make_user("erin@example.com", "clinician")
    CareLink.objects.create(patient=alice, clinician=other, clinic_reference="ERIN-1")
    open_alert(alice, other)
    [item] = as_bob.get("/api/v1/clinician/patients/").json()["results"]
    assert item["open_alerts"] == 0
    assert item["clinic_reference"] is None


def test_patients_with_open_alerts_come_first_then_the_existing_order(as_bob, alice, bob):
    names = {}
    for name in ("Anna", "Bert", "Cleo"):
        patient = make_user(f"{name.lower()}@example.com", "patient")  # display name: the title-cased email
        CareLink.objects.create(patient=patient, clinician=bob)
        names[name] = patient
    before = [item["display_name"] for item in as_bob.get("/api/v1/clinician/patients/").json()["results"]]
    assert before == ["Alice", "Anna", "Bert", "Cleo"]  # no insights: by name

    open_alert(names["Cleo"], bob)
    open_alert(names["Bert"], bob, reviewed_at=timezone.now())  # reviewed: back in the usual order
    after = [item["display_name"] for item in as_bob.get("/api/v1/clinician/patients/").json()["results"]]
    assert after == ["Cleo", "Alice", "Anna", "Bert"]


def test_reading_the_list_logs_a_read_of_each_patient_shown(as_bob, as_alice, alice, bob, carol):
    other = make_user("finn@example.com", "patient")
    CareLink.objects.create(patient=other, clinician=bob)
    assert not AccessLogEntry.objects.exists()

    as_bob.get("/api/v1/clinician/patients/")

    rows = AccessLogEntry.objects.filter(clinician=bob)
    assert {row.patient_id for row in rows} == {alice.pk, other.pk}
    assert {row.action for row in rows} == {"saw the summary in the patient list"}
    assert not AccessLogEntry.objects.filter(patient=carol).exists()
    [entry] = as_alice.get("/api/v1/access-log/").json()["results"]
    assert entry["action"] == "saw the summary in the patient list"
    assert entry["clinician_name"] == bob.name


def test_only_the_patients_on_the_page_or_found_are_logged(as_bob, alice, bob):
    other = make_user("gina@example.com", "patient")
    CareLink.objects.create(patient=other, clinician=bob)
    as_bob.get("/api/v1/clinician/patients/?search=gina")
    assert list(AccessLogEntry.objects.values_list("patient_id", flat=True)) == [other.pk]
    [shown] = as_bob.get("/api/v1/clinician/patients/?page_size=1&page=1").json()["results"]
    # One of the two is on page 1, the other on page 2: the one shown is logged, the other is not
    # (unless the search above found her).
    logged = {str(patient_id) for patient_id in AccessLogEntry.objects.values_list("patient_id", flat=True)}
    assert logged == {str(other.pk), shown["id"]}


def test_a_list_searched_as_you_type_is_one_sight_of_each_patient_in_the_hour(as_bob, alice, bob):
    for _ in range(5):
        as_bob.get("/api/v1/clinician/patients/?search=ali")
    assert AccessLogEntry.objects.filter(patient=alice, clinician=bob).count() == 1

    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        as_bob.get("/api/v1/clinician/patients/")
    assert AccessLogEntry.objects.filter(patient=alice, clinician=bob).count() == 2


def test_the_access_log_rows_are_one_insert_however_many_patients(as_bob, bob):
    for index in range(15):
        CareLink.objects.create(patient=make_user(f"p{index}@example.com", "patient"), clinician=bob)
    with CaptureQueriesContext(connection) as queries:
        as_bob.get("/api/v1/clinician/patients/")
    inserts = [q["sql"] for q in queries if q["sql"].startswith('INSERT INTO "diary_accesslogentry"')]
    assert len(inserts) == 1
    assert AccessLogEntry.objects.count() == 16


def test_dave_sees_nobody_and_nothing_is_logged(as_dave, alice):
    assert as_dave.get("/api/v1/clinician/patients/").json()["results"] == []
    assert not AccessLogEntry.objects.exists()


def test_a_patient_cannot_read_the_clinicians_list(as_carol):
    assert as_carol.get("/api/v1/clinician/patients/").status_code == 403
    assert not AccessLogEntry.objects.exists()
