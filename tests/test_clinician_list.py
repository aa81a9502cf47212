"""The clinician's list: its rows, built in one pass, are those DRF's fields give, clinics' links too."""

import uuid

import pytest
from django.utils import timezone
from rest_framework import serializers

from diary import selectors
from diary.api.sharing import ClinicianPatientSerializer, patient_row_data
from diary.models import CareLink, Clinic, ClinicMembership, ClinicRole, PatientSummary, UrgentAlert, User
from diary.selectors import patient_list
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic(bob, carol, dave):
    """A clinic bob belongs to that carol and erin share with, erin assigned to dave; alice shares with
    bob and with the clinic (her own link is the one read through)."""
    clinic = Clinic.objects.create(name="Vein clinic")
    ClinicMembership.objects.create(clinic=clinic, user=bob, role=ClinicRole.ADMIN)
    ClinicMembership.objects.create(clinic=clinic, user=dave)
    alice = CareLink.objects.get(clinician=bob).patient
    CareLink.objects.create(patient=alice, clinic=clinic, clinic_reference="CLINIC-A")
    CareLink.objects.create(patient=carol, clinic=clinic, clinic_reference="CLINIC-C")
    erin = make_user("erin@example.com", "patient")
    CareLink.objects.create(patient=erin, clinic=clinic, assigned_to=dave)
    return clinic


def test_the_list_shows_each_patient_as_drf_fields_would_with_the_link_read_through(bob, as_bob, clinic):
    as_bob.get("/api/v1/clinician/patients/")  # the summaries computed
    PatientSummary.objects.filter(patient__email="erin@example.com").delete()

    shown = as_bob.get("/api/v1/clinician/patients/").json()["results"]

    rows = list(selectors.clinician_patients(clinician=bob))
    assert shown == [_as_fields(row) for row in rows]
    by_email = {row["email"]: row for row in shown}
    assert by_email["alice@example.com"]["clinic"] is None  # her own link first
    assert by_email["carol@example.com"]["clinic_name"] == "Vein clinic"
    assert by_email["erin@example.com"]["assigned_to_name"] == "Dave"
    assert by_email["erin@example.com"]["highest_level"] is None  # no summary: nulls, not zeros


# --- The page's hand-written statement (selectors.patient_list) against the ORM's queryset ----------------


def _as_fields(patient) -> dict:
    """An ORM row through the serializer's fields, its ids written as UUIDs (SQLite hands a subquery's UUID
    back as bare hex, which the field passes through)."""
    row = serializers.ModelSerializer.to_representation(ClinicianPatientSerializer(), patient)
    for name in ("link", "clinic", "assigned_to"):
        row[name] = row[name] and str(uuid.UUID(row[name]))
    return row


@pytest.fixture
def crowded(bob, dave, carol, clinic):
    """Beside `clinic`: a second clinic of bob's that carol also shares with (her first link by clinic
    order is the one read through), a patient assigned to bob, names that sort by email on a tie, and an
    open alert that puts its patient first."""
    second = Clinic.objects.create(name="Second clinic")
    ClinicMembership.objects.create(clinic=second, user=bob)
    CareLink.objects.create(patient=carol, clinic=second, clinic_reference="SECOND-C")
    for email in ("zed@example.com", "ann_100%@example.com", "ann@example.org"):
        patient = make_user(email, "patient")
        patient.display_name = "Same Name"
        patient.save(update_fields=["display_name"])
        CareLink.objects.create(patient=patient, clinic=second, assigned_to=bob if "zed" in email else None)
    now = timezone.now()
    UrgentAlert.objects.create(
        patient=User.objects.get(email="erin@example.com"),
        clinic=clinic,
        code="urgent_dvt_warning",
        evidence_at=now,
        last_evidence_at=now,
    )
    return second


@pytest.mark.dbsensitive
@pytest.mark.parametrize("search", ["", "car", "EXAMPLE.ORG", "same name", "100%", "n_1", "nobody"])
@pytest.mark.parametrize("assigned_to_me", [False, True])
def test_a_page_holds_the_orms_rows_in_the_orms_order(bob, crowded, search, assigned_to_me):
    orm = selectors.clinician_patients(clinician=bob, search=search, assigned_to_me=assigned_to_me)
    expected = [_as_fields(patient) for patient in orm]

    page = patient_list.patient_page(clinician=bob, limit=50, search=search, assigned_to_me=assigned_to_me)

    assert [patient_row_data(row) for row in page.rows] == expected
    assert page.total == (len(expected) or None)  # an empty page cannot tell its total


@pytest.mark.dbsensitive
def test_the_list_reads_through_the_first_clinic_and_puts_an_open_alert_first(bob, crowded, as_bob):
    rows = as_bob.get("/api/v1/clinician/patients/").json()["results"]

    assert rows[0]["email"] == "erin@example.com" and rows[0]["open_alerts"] == 1
    carol = next(row for row in rows if row["email"] == "carol@example.com")
    first_clinic = min(
        CareLink.objects.filter(patient__email="carol@example.com"), key=lambda link: str(link.clinic_id)
    )
    assert carol["link"] == str(first_clinic.pk)


@pytest.mark.dbsensitive
def test_pages_split_the_list_as_its_count_says(bob, crowded, as_bob):
    whole = as_bob.get("/api/v1/clinician/patients/").json()
    assert whole["count"] == 6

    pages = [as_bob.get("/api/v1/clinician/patients/", {"page_size": 4, "page": n}).json() for n in (1, 2)]
    last = as_bob.get("/api/v1/clinician/patients/", {"page_size": 4, "page": "last"}).json()

    assert [page["count"] for page in pages] == [6, 6]
    assert pages[0]["next"] and pages[0]["previous"] is None and pages[1]["next"] is None
    assert [row["id"] for page in pages for row in page["results"]] == [row["id"] for row in whole["results"]]
    assert last["results"] == pages[1]["results"]


@pytest.mark.dbsensitive
@pytest.mark.parametrize("page", ["3", "0", "-1", "two"])
def test_a_page_that_is_not_there_is_a_404(bob, crowded, as_bob, page):
    response = as_bob.get("/api/v1/clinician/patients/", {"page_size": 4, "page": page})

    assert response.status_code == 404


def test_a_clinician_with_nobody_sees_an_empty_first_page(dave):
    response = client_for(dave).get("/api/v1/clinician/patients/", {"page": "last"})

    assert response.status_code == 200 and response.json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }


def test_a_second_look_within_the_hour_is_one_statement(as_bob, crowded, django_assert_num_queries):
    as_bob.get("/api/v1/clinician/patients/")  # summaries computed, each patient's read logged

    with django_assert_num_queries(1):
        response = as_bob.get("/api/v1/clinician/patients/")

    assert response.json()["count"] == 6
