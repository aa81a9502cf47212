"""The clinician's exports identify the patient and carry the insights: the FHIR Patient's birthDate and
clinic reference, DetectedIssues with their reviews (ADR 0028), and the PDF's header."""

import json
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.detectedissue import DetectedIssue

from diary.models import CareLink, CheckIn, UrgentAlert
from diary.services.alerts import alert_review, insight_acknowledge
from diary.services.records import record_create
from tests.conftest import client_for, make_user
from tests.test_clinician_exports import export, pdf_text

pytestmark = pytest.mark.django_db

BOBS_NOTE = "Called her, she is at the ED"
ERINS_NOTE = "ERIN-PRIVATE: spoke to the daughter"


@pytest.fixture
def erin(alice):
    erin = make_user("erin@example.com", "clinician")
    CareLink.objects.create(patient=alice, clinician=erin)
    return erin


@pytest.fixture
def chest_pain(alice):
    recorded = timezone.now() - timedelta(hours=2)
    record, _ = record_create(
        model=CheckIn,
        patient=alice,
        data={"recorded_at": recorded, "sudden_chest_pain_or_breathlessness": True},
    )
    return record


def raised_for(patient, clinician) -> UrgentAlert:
    """The alert alice's urgent check-in raised for this clinician (services.alerts)."""
    return UrgentAlert.objects.get(patient=patient, clinician=clinician, code="emergency_warning")


def reviewed(patient, clinician, note: str) -> UrgentAlert:
    return alert_review(alert=raised_for(patient, clinician), clinician=clinician, note=note)


def bundle_of(client, patient) -> dict:
    response = export(client, patient, "fhir")
    assert response.status_code == 200
    return json.loads(b"".join(response.streaming_content))


def resources(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


# --- The Patient ----------------------------------------------------------------------------------


def test_the_patient_carries_her_birth_date_and_bobs_clinic_reference(as_bob, alice, bob):
    alice.date_of_birth = date(1951, 4, 2)
    alice.save(update_fields=["date_of_birth"])
    CareLink.objects.filter(patient=alice, clinician=bob).update(clinic_reference="VC-10442")
    bundle = bundle_of(as_bob, alice)
    Bundle.model_validate(bundle)
    [patient] = resources(bundle, "Patient")
    assert patient["birthDate"] == "1951-04-02"
    assert {
        "use": "secondary",
        "system": f"{settings.PUBLIC_BASE_URL}/fhir/clinic-reference/{bob.pk}",
        "value": "VC-10442",
    } in patient["identifier"]


def test_without_a_birth_date_or_reference_neither_is_written(as_bob, alice):
    [patient] = resources(bundle_of(as_bob, alice), "Patient")
    assert "birthDate" not in patient
    assert [i["system"] for i in patient["identifier"]] == [f"{settings.PUBLIC_BASE_URL}/patients"]


def test_erins_export_carries_her_own_reference_not_bobs(alice, bob, erin):
    CareLink.objects.filter(patient=alice, clinician=bob).update(clinic_reference="BOB-1")
    CareLink.objects.filter(patient=alice, clinician=erin).update(clinic_reference="ERIN-9")
    [patient] = resources(bundle_of(client_for(erin), alice), "Patient")
    values = {i["value"] for i in patient["identifier"]}
    assert "ERIN-9" in values
    assert "BOB-1" not in values


# --- The insights as DetectedIssues -----------------------------------------------------------------


def test_a_current_urgent_insight_is_a_high_severity_detected_issue_pointing_at_its_check_in(
    as_bob, alice, chest_pain
):
    bundle = bundle_of(as_bob, alice)
    Bundle.model_validate(bundle)
    [issue] = resources(bundle, "DetectedIssue")
    DetectedIssue.model_validate(issue)
    assert issue["status"] == "preliminary"
    assert issue["severity"] == "high"
    assert issue["code"]["coding"] == [
        {"system": f"{settings.PUBLIC_BASE_URL}/fhir/CodeSystem/insight", "code": "emergency_warning"}
    ]
    assert issue["patient"]["reference"] == f"urn:uuid:{alice.pk}"
    assert issue["evidence"] == [{"detail": [{"reference": f"urn:uuid:{chest_pain.pk}"}]}]
    assert issue["detail"].startswith("Reported sudden chest pain or breathlessness on ")
    assert "Berlin time" in issue["detail"]
    assert "mitigation" not in issue  # nobody reviewed it yet
    assert str(chest_pain.pk) in {observation["id"] for observation in resources(bundle, "Observation")}


def test_the_same_insight_keeps_its_id_from_one_export_to_the_next(as_bob, alice, chest_pain):
    first = resources(bundle_of(as_bob, alice), "DetectedIssue")[0]["id"]
    assert resources(bundle_of(as_bob, alice), "DetectedIssue")[0]["id"] == first


def test_a_quiet_diary_has_no_detected_issue(as_bob, alice):
    assert resources(bundle_of(as_bob, alice), "DetectedIssue") == []


def test_bobs_review_is_a_mitigation_with_who_when_and_his_note(as_bob, alice, bob, chest_pain):
    review = reviewed(alice, bob, BOBS_NOTE)
    bundle = bundle_of(as_bob, alice)
    Bundle.model_validate(bundle)
    [issue] = resources(bundle, "DetectedIssue")
    [mitigation] = issue["mitigation"]
    assert mitigation["date"] == review.reviewed_at.isoformat()
    assert mitigation["author"]["display"] == bob.name
    assert mitigation["author"]["identifier"]["value"] == str(bob.pk)
    assert mitigation["action"]["text"] == f"Urgent alert reviewed by the clinician. Note: {BOBS_NOTE}"


def test_erins_review_shows_in_bobs_export_without_her_private_note(as_bob, alice, bob, erin, chest_pain):
    reviewed(alice, erin, ERINS_NOTE)
    reviewed(alice, bob, BOBS_NOTE)
    response = export(as_bob, alice, "fhir")
    content = b"".join(response.streaming_content)
    assert ERINS_NOTE not in content.decode()
    [issue] = resources(json.loads(content), "DetectedIssue")
    by_author = {m["author"]["display"]: m["action"]["text"] for m in issue["mitigation"]}
    assert by_author[erin.name] == "Urgent alert reviewed by the clinician"
    assert BOBS_NOTE in by_author[bob.name]


def test_the_patients_acknowledgement_is_a_mitigation_without_an_author(as_bob, alice, bob, chest_pain):
    acknowledged = insight_acknowledge(
        patient=alice, code="emergency_warning", action="got_help", current_codes=["emergency_warning"]
    ).acknowledged_at
    bundle = bundle_of(as_bob, alice)
    Bundle.model_validate(bundle)
    [issue] = resources(bundle, "DetectedIssue")
    [mitigation] = issue["mitigation"]
    assert mitigation["date"] == acknowledged.isoformat()
    assert "author" not in mitigation
    assert "acknowledged" in mitigation["action"]["text"]


def test_an_alert_of_an_earlier_episode_is_not_carried(as_bob, alice, bob, chest_pain):
    long_ago = chest_pain.recorded_at - timedelta(days=30)
    UrgentAlert.objects.create(
        patient=alice,
        clinician=bob,
        code="emergency_warning",
        evidence_at=long_ago,
        last_evidence_at=long_ago,
        reviewed_at=long_ago + timedelta(hours=1),
        reviewed_by=bob,
        reviewed_by_name=bob.name,
        note="the old one",
    )
    [issue] = resources(bundle_of(as_bob, alice), "DetectedIssue")
    assert "mitigation" not in issue


def test_carol_and_dave_cannot_export_alices_bundle(as_carol, as_dave, alice, chest_pain):
    assert export(as_carol, alice, "fhir").status_code == 403
    assert export(as_dave, alice, "fhir").status_code == 404


# --- The PDF header -----------------------------------------------------------------------------


def test_the_pdf_header_names_the_birth_date_and_the_clinic_reference(as_bob, alice, bob):
    alice.date_of_birth = date(1951, 4, 2)
    alice.save(update_fields=["date_of_birth"])
    CareLink.objects.filter(patient=alice, clinician=bob).update(clinic_reference="VC-10442")
    pages, text = pdf_text(export(as_bob, alice, "pdf").content)
    assert pages == 1
    assert "Born: 2 Apr 1951" in text
    assert "Clinic reference: VC-10442" in text


def test_the_pdf_says_not_said_and_none_set_rather_than_leaving_a_blank(as_bob, alice):
    _, text = pdf_text(export(as_bob, alice, "pdf").content)
    assert "Born: not said" in text
    assert "Clinic reference: none set" in text
