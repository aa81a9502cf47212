"""The clinician's list: its rows, built in one pass, are those DRF's fields give, clinics' links too."""

import pytest
from rest_framework import serializers

from diary import selectors
from diary.api.sharing import ClinicianPatientSerializer
from diary.models import CareLink, Clinic, ClinicMembership, ClinicRole, PatientSummary
from tests.conftest import make_user

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
    by_field = [
        serializers.ModelSerializer.to_representation(ClinicianPatientSerializer(), row) for row in rows
    ]
    assert shown == by_field
    by_email = {row["email"]: row for row in shown}
    assert by_email["alice@example.com"]["clinic"] is None  # her own link first
    assert by_email["carol@example.com"]["clinic_name"] == "Vein clinic"
    assert by_email["erin@example.com"]["assigned_to_name"] == "Dave"
    assert by_email["erin@example.com"]["highest_level"] is None  # no summary: nulls, not zeros
