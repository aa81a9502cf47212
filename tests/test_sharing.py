"""Sharing: one-time codes, links, revocation, the access log and the clinician's patient list."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from diary.models import AccessLogEntry, CareLink, CheckIn, CompressionWear, CrampEpisode
from diary.services.records import record_create
from diary.services.sharing import CODE_ALPHABET

pytestmark = pytest.mark.django_db


def new_code(client) -> dict:
    response = client.post("/api/v1/sharing/codes/")
    assert response.status_code == 201
    return response.json()


def test_a_code_is_long_enough_free_of_look_alikes_and_lasts_a_day(as_alice):
    body = new_code(as_alice)
    assert len(body["code"]) >= 8
    assert set(body["code"]) <= set(CODE_ALPHABET)
    assert not set(body["code"]) & set("0O1IL")
    expires = timezone.datetime.fromisoformat(body["expires_at"])
    assert timedelta(hours=23, minutes=59) < expires - timezone.now() <= timedelta(hours=24)


def test_redeeming_a_code_links_the_clinician_to_the_patient(as_alice, as_dave, alice, dave):
    code = new_code(as_alice)["code"]
    response = as_dave.post("/api/v1/sharing/redeem/", {"code": code})
    assert response.status_code == 201
    assert response.json()["patient"] == str(alice.pk)
    assert CareLink.objects.filter(patient=alice, clinician=dave).exists()
    assert as_dave.get(f"/api/v1/clinician/patients/{alice.pk}/cramps/").status_code == 200


def test_a_code_is_accepted_in_lower_case_and_with_spaces_or_dashes(as_alice, as_dave):
    code = new_code(as_alice)["code"]
    typed = f"{code[:4].lower()}-{code[4:]} "
    assert as_dave.post("/api/v1/sharing/redeem/", {"code": typed}).status_code == 201


def test_a_code_works_once(as_alice, as_dave, as_bob):
    code = new_code(as_alice)["code"]
    as_dave.post("/api/v1/sharing/redeem/", {"code": code})
    response = as_bob.post("/api/v1/sharing/redeem/", {"code": code})
    assert response.status_code == 400
    assert "code" in response.json()


def test_an_expired_code_is_refused(as_alice, as_dave):
    code = new_code(as_alice)["code"]
    with time_machine.travel(timezone.now() + timedelta(hours=24, minutes=1)):
        assert as_dave.post("/api/v1/sharing/redeem/", {"code": code}).status_code == 400


def test_an_unknown_code_is_refused(as_dave):
    assert as_dave.post("/api/v1/sharing/redeem/", {"code": "ABCDEFGHJK"}).status_code == 400


def test_a_patient_cannot_redeem_a_code(as_alice, as_carol):
    code = new_code(as_alice)["code"]
    assert as_carol.post("/api/v1/sharing/redeem/", {"code": code}).status_code == 403


def test_a_clinician_cannot_make_a_code(as_bob):
    assert as_bob.post("/api/v1/sharing/codes/").status_code == 403


def test_guessing_codes_is_throttled_with_retry_after(as_alice, as_dave):
    for _ in range(10):
        as_dave.post("/api/v1/sharing/redeem/", {"code": "WRONGCODE9"})
    code = new_code(as_alice)["code"]
    response = as_dave.post("/api/v1/sharing/redeem/", {"code": code})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_a_clinic_can_redeem_many_good_codes_in_an_hour(db, dave):
    from tests.conftest import client_for, make_user

    as_dave = client_for(dave)
    for index in range(25):
        patient = make_user(f"p{index}@example.com", "patient")
        code = new_code(client_for(patient))["code"]
        assert as_dave.post("/api/v1/sharing/redeem/", {"code": code}).status_code == 201


def test_both_sides_see_the_link_with_names(as_alice, as_bob, alice, bob):
    expected = {
        "patient": str(alice.pk),
        "clinician": str(bob.pk),
        "patient_name": "Alice",
        "clinician_name": "Bob",
    }
    for client in (as_alice, as_bob):
        body = client.get("/api/v1/sharing/links/").json()
        assert body["count"] == 1
        assert {key: body["results"][0][key] for key in expected} == expected


def test_others_see_none_of_alices_links(as_carol, as_dave, bob):
    assert as_carol.get("/api/v1/sharing/links/").json()["count"] == 0
    assert as_dave.get("/api/v1/sharing/links/").json()["count"] == 0


def test_revoking_stops_the_clinician_at_once(as_alice, as_bob, alice, bob):
    link = CareLink.objects.get(patient=alice, clinician=bob)
    assert as_bob.get(f"/api/v1/clinician/patients/{alice.pk}/cramps/").status_code == 200

    assert as_alice.delete(f"/api/v1/sharing/links/{link.pk}/").status_code == 204

    assert as_bob.get(f"/api/v1/clinician/patients/{alice.pk}/cramps/").status_code == 404
    assert as_bob.get("/api/v1/clinician/patients/").json()["count"] == 0


def test_only_the_patient_revokes_her_own_link(as_bob, as_carol, alice, bob):
    link = CareLink.objects.get(patient=alice, clinician=bob)
    assert as_carol.delete(f"/api/v1/sharing/links/{link.pk}/").status_code == 404
    assert as_bob.delete(f"/api/v1/sharing/links/{link.pk}/").status_code == 403
    assert CareLink.objects.filter(pk=link.pk).exists()


def cramp(patient, hours_ago: float, **extra):
    data = {
        "started_at": timezone.now() - timedelta(hours=hours_ago),
        "duration_seconds": 60,
        "severity": 5,
        "muscle": "calf",
        "side": "left",
        "activity": "sleeping",
        **extra,
    }
    return record_create(model=CrampEpisode, patient=patient, data=data)[0]


def test_every_clinician_read_and_export_is_in_the_patients_access_log(as_alice, as_bob, alice, bob):
    as_bob.get(f"/api/v1/clinician/patients/{alice.pk}/cramps/")
    as_bob.get(f"/api/v1/clinician/patients/{alice.pk}/checkins/")
    as_bob.get(f"/api/v1/clinician/patients/{alice.pk}/export/", {"format": "csv"})

    body = as_alice.get("/api/v1/access-log/").json()

    assert body["count"] == 3
    assert [row["action"] for row in body["results"]] == ["export csv", "read checkins", "read cramps"]
    assert body["results"][0]["clinician"] == str(bob.pk)
    assert body["results"][0]["clinician_name"] == "Bob"


def test_a_refused_read_writes_no_access_log_row(as_dave, alice):
    as_dave.get(f"/api/v1/clinician/patients/{alice.pk}/cramps/")
    assert not AccessLogEntry.objects.exists()


def test_the_access_log_outlives_the_clinicians_account(as_alice, as_bob, alice, bob):
    as_bob.get(f"/api/v1/clinician/patients/{alice.pk}/cramps/")
    bob.delete()
    row = as_alice.get("/api/v1/access-log/").json()["results"][0]
    assert row["clinician"] is None
    assert row["clinician_name"] == "Bob"


def test_the_access_log_is_append_only(as_bob, alice):
    as_bob.get(f"/api/v1/clinician/patients/{alice.pk}/cramps/")
    entry = AccessLogEntry.objects.get()
    entry.action = "nothing happened"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AccessLogEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(PermissionError):
        AccessLogEntry.objects.filter(pk=entry.pk).delete()
    assert AccessLogEntry.objects.get().action == "read cramps"


def test_the_clinicians_list_shows_linked_patients_with_their_figures(as_bob, alice, carol):
    # 02:00 and 03:00 on alice's clock, two nights ago: the same night whatever the hour the test runs at
    # (hours-ago offsets fell either side of the noon boundary between nights at 08:00 Berlin time).
    noon = timezone.localtime(timezone.now(), alice.zone).replace(hour=12, minute=0)
    two_nights_ago = noon - timedelta(days=2)
    for hour in (14, 15):
        cramp(alice, hours_ago=(timezone.now() - two_nights_ago).total_seconds() / 3600 - hour)
    cramp(alice, hours_ago=24 * 5)
    cramp(alice, hours_ago=24 * 40)  # outside the 28 days
    local_noon = timezone.localtime(timezone.now(), alice.zone).replace(hour=12) - timedelta(days=3)
    hours_since_noon = (timezone.now() - local_noon).total_seconds() / 3600
    cramp(alice, hours_ago=hours_since_noon, activity="walking")  # daytime: not a cramp night
    record_create(
        model=CheckIn,
        patient=alice,
        data={"recorded_at": timezone.now() - timedelta(days=10), "cramps_last_night": "some"},
    )
    for days in (1, 2):
        record_create(
            model=CompressionWear,
            patient=alice,
            data={
                "started_at": timezone.now() - timedelta(days=days),
                "pressure_class": "20-30",
                "garment": "knee",
                "legs": "both",
            },
        )
    cramp(carol, hours_ago=3)

    body = as_bob.get("/api/v1/clinician/patients/").json()

    assert body["count"] == 1
    row = body["results"][0]
    assert row["id"] == str(alice.pk)
    assert row["email"] == alice.email
    assert row["display_name"] == "Alice"
    assert row["cramp_nights_28d"] == 3
    assert row["compression_days_28d"] == 2
    assert row["highest_level"] is None
    assert row["insight_codes"] == []
    assert row["last_entry_at"] is not None


def test_the_clinicians_list_puts_the_most_recent_entries_first(as_bob, bob, alice, carol):
    CareLink.objects.create(patient=carol, clinician=bob)
    cramp(alice, hours_ago=48)
    cramp(carol, hours_ago=2)
    ids = [row["id"] for row in as_bob.get("/api/v1/clinician/patients/").json()["results"]]
    assert ids == [str(carol.pk), str(alice.pk)]


def test_the_clinicians_list_rows_are_what_the_serializers_fields_give(as_bob, bob, alice, carol):
    """The row is read by hand-written SQL and built in one pass, not field by field: it must match the ORM's
    rows through the fields (the schema) exactly, for a patient with a summary, dates and an assignee-less
    clinic-less link, and one with no summary."""
    from rest_framework import serializers

    from diary import selectors
    from diary.api.sharing import ClinicianPatientSerializer, patient_row_data
    from diary.models import PatientSummary
    from diary.selectors import patient_list

    cramp(alice, hours_ago=3)
    alice.date_of_birth = timezone.now().date().replace(year=1970)
    alice.save(update_fields=["date_of_birth"])
    CareLink.objects.create(patient=carol, clinician=bob, clinic_reference="REF-7")
    as_bob.get("/api/v1/clinician/patients/")  # both summaries computed
    PatientSummary.objects.filter(patient=carol).delete()

    page = patient_list.patient_page(clinician=bob, limit=50)
    fast = [patient_row_data(row) for row in page.rows]

    rows = list(selectors.clinician_patients(clinician=bob))
    by_field = [
        serializers.ModelSerializer.to_representation(ClinicianPatientSerializer(), row) for row in rows
    ]
    assert fast == by_field
    assert page.total == 2
    assert {row["clinic_reference"] for row in fast} == {None, "REF-7"}
    assert any(row["highest_level"] is None and row["insight_codes"] is None for row in fast)  # no summary
    assert any(row["date_of_birth"] is not None and row["last_entry_at"] is not None for row in fast)
