"""FHIR Bulk Data Group export of a clinic: bob's clinic (bob its admin, nina a nurse), alice and erin share
with it; carol shares with bob alone; olga is in another clinic, dave in none. Kick-off, status, files,
parameters, cancel, who may reach what, the access log, and the job's queries."""

import json
import uuid
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from fhir.resources.R4B import get_fhir_model_class

from diary import tasks
from diary.models import (
    AccessLogEntry,
    BulkExport,
    BulkExportStatus,
    CareLink,
    CheckIn,
    Clinic,
    ClinicMembership,
    ClinicRole,
    CrampEpisode,
    Hydration,
    Role,
    User,
)
from diary.services import bulk_export as service
from diary.services.records import record_create
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db

ASYNC = {"Prefer": "respond-async", "Accept": "application/fhir+json"}


@pytest.fixture(autouse=True)
def export_root(settings, tmp_path):
    settings.BULK_EXPORT_ROOT = tmp_path / "bulk-exports"
    return settings.BULK_EXPORT_ROOT


@pytest.fixture
def worker(monkeypatch):
    """Each export queued is run by the worker's own task when the request commits; the list holds the
    ids queued."""
    queued = []
    task = tasks.run_bulk_export

    def run(*args):
        queued.append(args[0])
        task.apply(args)

    monkeypatch.setattr(task, "delay", run)
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda callback, using=None, robust=False: callback()
    )
    return queued


@pytest.fixture
def no_worker(monkeypatch):
    """The broker takes the job, and no worker picks it up (yet)."""
    queued = []
    monkeypatch.setattr(tasks.run_bulk_export, "delay", lambda *args: queued.append(args[0]))
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda callback, using=None, robust=False: callback()
    )
    return queued


@pytest.fixture
def bobs_clinic(bob) -> Clinic:
    clinic = Clinic.objects.create(name="Lindqvist Vein Clinic")
    ClinicMembership.objects.create(clinic=clinic, user=bob, role=ClinicRole.ADMIN)
    return clinic


@pytest.fixture
def nina(bobs_clinic) -> User:
    nina = make_user("nina@example.com", Role.CLINICIAN)
    ClinicMembership.objects.create(clinic=bobs_clinic, user=nina)
    return nina


@pytest.fixture
def olga(db) -> User:
    olga = make_user("olga@example.com", Role.CLINICIAN)
    other = Clinic.objects.create(name="Other Vein Clinic")
    ClinicMembership.objects.create(clinic=other, user=olga, role=ClinicRole.ADMIN)
    return olga


@pytest.fixture
def erin(bobs_clinic) -> User:
    erin = make_user("erin@example.com", Role.PATIENT, timezone="Europe/Madrid")
    CareLink.objects.create(patient=erin, clinic=bobs_clinic)
    return erin


@pytest.fixture
def clinic_patients(alice, carol, bob, bobs_clinic, erin):
    """alice shares with the clinic (and with bob); erin with the clinic; carol with bob alone."""
    CareLink.objects.create(patient=alice, clinic=bobs_clinic, clinic_reference="LV-17")
    CareLink.objects.create(patient=carol, clinician=bob)
    for patient, minutes in ((alice, 90), (alice, 30), (erin, 60), (carol, 45)):
        log_cramp(patient, minutes_ago=minutes)
    log_drink(alice, minutes_ago=20)
    urgent_checkin(alice)
    return {"alice": alice, "erin": erin, "carol": carol}


def log_cramp(patient, *, minutes_ago: int):
    from django.utils import timezone

    return record_create(
        model=CrampEpisode,
        patient=patient,
        data={"started_at": timezone.now() - timedelta(minutes=minutes_ago), "severity": 5, "muscle": "calf"},
        record_id=uuid.uuid4(),
    )[0]


def log_drink(patient, *, minutes_ago: int):
    from django.utils import timezone

    return record_create(
        model=Hydration,
        patient=patient,
        data={"taken_at": timezone.now() - timedelta(minutes=minutes_ago), "volume_ml": 250},
        record_id=uuid.uuid4(),
    )[0]


def urgent_checkin(patient):
    from django.utils import timezone

    return record_create(
        model=CheckIn,
        patient=patient,
        data={
            "recorded_at": timezone.now() - timedelta(minutes=10),
            "sudden_chest_pain_or_breathlessness": True,
        },
        record_id=uuid.uuid4(),
    )[0]


def kick_off(client, clinic, query: str = "", headers=ASYNC):
    return client.get(f"/api/v1/fhir/Group/{clinic.pk}/$export{query}", headers=headers)


def status_path(response) -> str:
    return urlsplit(response["Content-Location"]).path


def finished_manifest(client, clinic, query: str = "") -> dict:
    started = kick_off(client, clinic, query)
    assert started.status_code == 202, started.content
    polled = client.get(status_path(started))
    assert polled.status_code == 200, polled.content
    return polled.json()


def lines_of(client, output: dict) -> list[dict]:
    response = client.get(urlsplit(output["url"]).path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+ndjson"
    text = b"".join(response.streaming_content).decode()
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


# --- Kick-off, status, manifest, files --------------------------------------------------------------


def test_a_kick_off_is_accepted_with_the_status_url_in_content_location(as_bob, bobs_clinic, no_worker):
    response = kick_off(as_bob, bobs_clinic)
    assert response.status_code == 202
    assert response["Content-Type"] == "application/fhir+json"
    assert response.json()["resourceType"] == "OperationOutcome"
    location = response["Content-Location"]
    assert location.startswith("http://testserver/api/v1/fhir/bulk-export/")
    export = BulkExport.objects.get()
    assert location.endswith(str(export.pk))
    assert no_worker == [str(export.pk)]


def test_the_status_is_202_with_progress_while_no_worker_has_run_it(as_bob, bobs_clinic, no_worker):
    polled = as_bob.get(status_path(kick_off(as_bob, bobs_clinic)))
    assert polled.status_code == 202
    assert polled["X-Progress"] == "waiting for a worker"
    assert polled["Retry-After"] == "5"


def test_the_status_of_a_running_export_counts_its_patients(as_bob, bobs_clinic, no_worker):
    started = kick_off(as_bob, bobs_clinic)
    BulkExport.objects.update(status=BulkExportStatus.RUNNING, patients_total=50, patients_done=20)
    polled = as_bob.get(status_path(started))
    assert polled.status_code == 202
    assert polled["X-Progress"] == "20 of 50 patients"


def test_the_finished_export_answers_the_manifest(as_bob, bobs_clinic, clinic_patients, worker):
    started = kick_off(as_bob, bobs_clinic, "?_outputFormat=application/fhir%2Bndjson")
    polled = as_bob.get(status_path(started))
    assert polled.status_code == 200
    assert polled["Content-Type"] == "application/json"
    assert "Expires" in polled
    manifest = polled.json()
    export = BulkExport.objects.get()
    assert manifest["request"] == "http://testserver" + started.wsgi_request.get_full_path()
    assert manifest["requiresAccessToken"] is True
    assert manifest["transactionTime"] == export.transaction_time.isoformat()
    assert manifest["error"] == []
    assert manifest["extension"]["expires"] == export.expires_at.isoformat()
    assert export.expires_at - export.finished_at == timedelta(hours=24)
    assert [output["type"] for output in manifest["output"]] == ["Patient", "Observation", "DetectedIssue"]


def test_each_line_of_each_file_is_a_valid_resource_of_its_type_and_the_counts_match(
    as_bob, bobs_clinic, clinic_patients, worker
):
    manifest = finished_manifest(as_bob, bobs_clinic)
    for output in manifest["output"]:
        resources = lines_of(as_bob, output)
        assert len(resources) == output["count"]
        model = get_fhir_model_class(output["type"])
        for resource in resources:
            assert resource["resourceType"] == output["type"]
            model.model_validate(resource)
    counts = {output["type"]: output["count"] for output in manifest["output"]}
    # alice: two cramps, a drink, a check-in; erin: a cramp. alice's check-in is urgent.
    assert counts == {"Patient": 2, "Observation": 5, "DetectedIssue": 1}


def test_resources_refer_to_each_other_by_type_and_id_not_by_bundle_urns(
    as_bob, bobs_clinic, clinic_patients, worker
):
    manifest = finished_manifest(as_bob, bobs_clinic)
    by_type = {output["type"]: lines_of(as_bob, output) for output in manifest["output"]}
    patients = {resource["id"] for resource in by_type["Patient"]}
    observations = {resource["id"] for resource in by_type["Observation"]}
    assert all(o["subject"]["reference"].removeprefix("Patient/") in patients for o in by_type["Observation"])
    [issue] = by_type["DetectedIssue"]
    assert issue["patient"]["reference"] == f"Patient/{clinic_patients['alice'].pk}"
    [evidence] = issue["evidence"][0]["detail"]
    assert evidence["reference"].removeprefix("Observation/") in observations


def test_the_patient_carries_the_clinics_own_reference(as_bob, bobs_clinic, clinic_patients, worker):
    manifest = finished_manifest(as_bob, bobs_clinic, "?_type=Patient")
    [alice] = [
        p for p in lines_of(as_bob, manifest["output"][0]) if p["id"] == str(clinic_patients["alice"].pk)
    ]
    assert {"use": "secondary", "system": f"http://localhost:8000/fhir/clinic-reference/{bobs_clinic.pk}",
            "value": "LV-17"} in alice["identifier"]  # fmt: skip


def test_only_the_clinics_patients_are_in_its_export(as_bob, bobs_clinic, clinic_patients, worker):
    manifest = finished_manifest(as_bob, bobs_clinic)
    [patients] = [output for output in manifest["output"] if output["type"] == "Patient"]
    ids = {resource["id"] for resource in lines_of(as_bob, patients)}
    assert ids == {str(clinic_patients["alice"].pk), str(clinic_patients["erin"].pk)}
    carol = str(clinic_patients["carol"].pk)
    for output in manifest["output"]:
        assert carol not in json.dumps(lines_of(as_bob, output))


def test_an_empty_clinic_answers_an_empty_output(as_bob, bobs_clinic, worker):
    manifest = finished_manifest(as_bob, bobs_clinic)
    assert manifest["output"] == []


def test_every_ndjson_spelling_is_accepted(as_bob, bobs_clinic, no_worker):
    for spelling in ("application/fhir%2Bndjson", "application/ndjson", "ndjson"):
        assert kick_off(as_bob, bobs_clinic, f"?_outputFormat={spelling}").status_code == 202


# --- _since and _type -----------------------------------------------------------------------------


def test_since_keeps_only_what_changed_since(as_bob, bobs_clinic, alice, erin, worker):
    CareLink.objects.create(patient=alice, clinic=bobs_clinic)
    with time_machine.travel("2026-12-01 08:00Z", tick=False):
        CareLink.objects.filter(clinic=bobs_clinic).update(created_at="2026-12-01T08:00:00Z")
        log_cramp(alice, minutes_ago=30)
        log_cramp(erin, minutes_ago=30)
    with time_machine.travel("2026-12-03 08:00Z", tick=False):
        newer = log_cramp(alice, minutes_ago=30)
    # Read within the files' lifetime: the test must not depend on the day it runs.
    with time_machine.travel("2026-12-03 09:00Z", tick=False):
        manifest = finished_manifest(as_bob, bobs_clinic, "?_since=2026-12-02T00:00:00%2B01:00")
        by_type = {output["type"]: lines_of(as_bob, output) for output in manifest["output"]}
    assert [resource["id"] for resource in by_type["Observation"]] == [str(newer.pk)]
    # erin changed nothing and joined before: nothing of hers; alice's Patient comes with her new cramp.
    assert [resource["id"] for resource in by_type["Patient"]] == [str(alice.pk)]


def test_since_sent_with_an_unencoded_plus_is_read_as_the_offset(as_bob, bobs_clinic, no_worker):
    assert kick_off(as_bob, bobs_clinic, "?_since=2026-12-02T00:00:00+01:00").status_code == 202
    assert BulkExport.objects.get().since.isoformat() == "2026-12-01T23:00:00+00:00"


def test_type_limits_the_files(as_bob, bobs_clinic, clinic_patients, worker):
    manifest = finished_manifest(as_bob, bobs_clinic, "?_type=Observation,DetectedIssue")
    assert [output["type"] for output in manifest["output"]] == ["Observation", "DetectedIssue"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?_since=yesterday", "_since"),
        ("?_since=2026-12-01", "_since"),
        ("?_since=2026-12-01T08:00:00", "_since"),  # no zone: not an instant
        ("?_outputFormat=application/fhir%2Bjson", "_outputFormat"),
        ("?_outputFormat=text/csv", "_outputFormat"),
        ("?_type=Encounter", "_type"),
        ("?_typeFilter=Observation%3Fcode%3D1", "_typeFilter"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(as_bob, bobs_clinic, no_worker, query, field):
    response = kick_off(as_bob, bobs_clinic, query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/fhir+json"
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["expression"] == [field]
    assert field in outcome["issue"][0]["diagnostics"]
    assert not BulkExport.objects.exists()


def test_an_unknown_parameter_is_ignored_when_the_client_asks_for_lenient_handling(
    as_bob, bobs_clinic, no_worker
):
    headers = {"Prefer": "respond-async, handling=lenient"}
    assert kick_off(as_bob, bobs_clinic, "?_typeFilter=x", headers=headers).status_code == 202


def test_without_prefer_respond_async_the_kick_off_is_a_400(as_bob, bobs_clinic, no_worker):
    response = kick_off(as_bob, bobs_clinic, headers={"Accept": "application/fhir+json"})
    assert response.status_code == 400
    assert response.json()["resourceType"] == "OperationOutcome"
    assert "Prefer" in response.json()["issue"][0]["diagnostics"]
    assert not BulkExport.objects.exists()


# --- Cancel, expiry, a lost job -------------------------------------------------------------------


def test_delete_on_the_status_url_cancels_and_the_status_is_then_404(as_bob, bobs_clinic, no_worker):
    status_url = status_path(kick_off(as_bob, bobs_clinic))
    cancelled = as_bob.delete(status_url)
    assert cancelled.status_code == 202
    assert cancelled.json()["resourceType"] == "OperationOutcome"
    assert as_bob.get(status_url).status_code == 404
    # The worker that picks it up afterwards does nothing.
    tasks.run_bulk_export.apply((no_worker[0],))
    assert BulkExport.objects.get().status == BulkExportStatus.CANCELLED


def test_cancelling_a_finished_export_deletes_its_files(
    as_bob, bobs_clinic, clinic_patients, worker, export_root
):
    started = kick_off(as_bob, bobs_clinic)
    manifest = as_bob.get(status_path(started)).json()
    assert any(export_root.iterdir())
    assert as_bob.delete(status_path(started)).status_code == 202
    assert not any(export_root.iterdir())
    assert as_bob.get(urlsplit(manifest["output"][0]["url"]).path).status_code == 404


def test_a_job_cancelled_while_running_stops_and_keeps_no_files(
    bob, bobs_clinic, clinic_patients, monkeypatch
):
    export = BulkExport.objects.create(clinic=bobs_clinic, requested_by=bob, request_url="x")
    monkeypatch.setattr(service, "PAGE_SIZE", 1)
    real_page = service.clinic_links_page

    def page_then_cancel(**kwargs):
        page = real_page(**kwargs)
        BulkExport.objects.filter(pk=export.pk).update(status=BulkExportStatus.CANCELLED)
        return page

    monkeypatch.setattr(service, "clinic_links_page", page_then_cancel)
    service.bulk_export_run(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == BulkExportStatus.CANCELLED
    assert export.patients_done == 0
    assert not service.storage_dir(export.pk).exists()


def test_the_files_expire_after_a_day_and_are_purged(as_bob, bobs_clinic, clinic_patients, worker):
    started = kick_off(as_bob, bobs_clinic)
    manifest = as_bob.get(status_path(started)).json()
    file_url = urlsplit(manifest["output"][0]["url"]).path
    export = BulkExport.objects.get()
    with time_machine.travel(export.expires_at + timedelta(seconds=1)):
        assert as_bob.get(status_path(started)).status_code == 404
        assert as_bob.get(file_url).status_code == 404
        assert tasks.purge_bulk_exports.apply().get() == 1
    assert not BulkExport.objects.exists()
    assert not service.storage_dir(export.pk).exists()


def test_a_job_the_broker_lost_is_queued_again_by_a_poll_after_a_minute(as_bob, bobs_clinic, no_worker):
    status_url = status_path(kick_off(as_bob, bobs_clinic))
    as_bob.get(status_url)
    assert len(no_worker) == 1  # too soon to queue again
    with time_machine.travel(BulkExport.objects.get().queued_at + timedelta(seconds=61)):
        assert as_bob.get(status_url).status_code == 202
        as_bob.get(status_url)
    assert len(no_worker) == 2  # once, not once per poll


def test_a_job_whose_worker_died_mid_run_is_taken_over_and_finished_afresh(
    bob, bobs_clinic, clinic_patients, monkeypatch
):
    export = BulkExport.objects.create(clinic=bobs_clinic, requested_by=bob, request_url="x")
    monkeypatch.setattr(service, "PAGE_SIZE", 1)
    real_page, pages = service.clinic_links_page, []

    def killed_after_the_first_page(**kwargs):
        pages.append(kwargs)
        if len(pages) == 2:
            raise SystemExit("SIGKILL")  # the worker dies between two pages, its status left running
        return real_page(**kwargs)

    monkeypatch.setattr(service, "clinic_links_page", killed_after_the_first_page)
    with pytest.raises(SystemExit):
        service.bulk_export_run(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == BulkExportStatus.RUNNING and export.patients_done == 1
    monkeypatch.setattr(service, "clinic_links_page", real_page)

    service.bulk_export_run(export_id=export.pk)  # a redelivery while it may still be running: left alone
    assert BulkExport.objects.get().patients_done == 1
    with time_machine.travel(export.started_at + service.STALE_RUN + timedelta(seconds=1)):
        service.bulk_export_run(export_id=export.pk)

    export.refresh_from_db()
    assert export.status == BulkExportStatus.COMPLETED
    assert export.patients_done == export.patients_total == 2  # alice and erin
    patients = [json.loads(line) for line in service.file_path(export.pk, "Patient").read_text().splitlines()]
    assert len(patients) == 2  # each once: the dead run's first page is not kept twice


def test_a_poll_queues_again_a_running_job_whose_worker_died_once_it_is_stale(
    as_bob, bob, bobs_clinic, no_worker
):
    from django.utils import timezone

    status_url = status_path(kick_off(as_bob, bobs_clinic))
    started = timezone.now()
    BulkExport.objects.update(status=BulkExportStatus.RUNNING, started_at=started)
    with time_machine.travel(started + timedelta(minutes=10)):
        as_bob.get(status_url)
    assert len(no_worker) == 1  # running, and not for long: its worker may well be alive

    with time_machine.travel(started + service.STALE_RUN + timedelta(seconds=1)):
        assert as_bob.get(status_url).status_code == 202
        as_bob.get(status_url)
    assert len(no_worker) == 2  # once, not once per poll


def test_a_broker_down_at_kick_off_loses_no_job(as_bob, bobs_clinic, monkeypatch):
    from kombu.exceptions import OperationalError

    def down(*args):
        raise OperationalError("broker down")

    monkeypatch.setattr(tasks.run_bulk_export, "delay", down)
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda callback, using=None, robust=False: callback()
    )
    started = kick_off(as_bob, bobs_clinic)
    assert started.status_code == 202
    assert BulkExport.objects.get().status == BulkExportStatus.PENDING


def test_a_failing_job_answers_500_with_an_operation_outcome(
    as_bob, bobs_clinic, clinic_patients, worker, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(service, "patient_resources", broken)
    polled = as_bob.get(status_path(kick_off(as_bob, bobs_clinic)))
    assert polled.status_code == 500
    assert polled.json()["resourceType"] == "OperationOutcome"
    assert not service.storage_dir(BulkExport.objects.get().pk).exists()


# --- Who may reach what ---------------------------------------------------------------------------


@pytest.mark.parametrize("intruder", ["olga", "dave", "alice", "carol"])
def test_outsiders_get_404_on_kick_off_status_and_files(
    request, as_bob, bobs_clinic, clinic_patients, worker, olga, dave, intruder
):
    started = kick_off(as_bob, bobs_clinic)
    manifest = as_bob.get(status_path(started)).json()
    client = client_for(request.getfixturevalue(intruder))
    for response in (
        kick_off(client, bobs_clinic),
        client.get(status_path(started)),
        client.delete(status_path(started)),
        client.get(urlsplit(manifest["output"][0]["url"]).path),
    ):
        assert response.status_code == 404
        assert response["Content-Type"] == "application/fhir+json"
        assert "Lindqvist" not in response.content.decode()
    assert BulkExport.objects.get().status == BulkExportStatus.COMPLETED


def test_another_member_may_kick_off_but_not_read_bobs_export(
    as_bob, nina, bobs_clinic, clinic_patients, worker
):
    started = kick_off(as_bob, bobs_clinic)
    manifest = as_bob.get(status_path(started)).json()
    as_nina = client_for(nina)
    assert as_nina.get(status_path(started)).status_code == 404
    assert as_nina.get(urlsplit(manifest["output"][0]["url"]).path).status_code == 404
    assert kick_off(as_nina, bobs_clinic).status_code == 202


def test_a_member_removed_from_the_clinic_can_no_longer_read_their_export(
    as_bob, bob, bobs_clinic, clinic_patients, worker
):
    started = kick_off(as_bob, bobs_clinic)
    manifest = as_bob.get(status_path(started)).json()
    ClinicMembership.objects.filter(user=bob).delete()
    assert as_bob.get(status_path(started)).status_code == 404
    assert as_bob.get(urlsplit(manifest["output"][0]["url"]).path).status_code == 404


def test_anonymous_gets_no_export(anonymous, bobs_clinic):
    response = kick_off(anonymous, bobs_clinic)
    assert response.status_code in (401, 403)
    assert response.json()["resourceType"] == "OperationOutcome"


def test_a_clinician_without_two_factor_is_refused_where_it_is_required(
    as_bob, bobs_clinic, settings, no_worker
):
    settings.REQUIRE_CLINICIAN_2FA = True
    assert kick_off(as_bob, bobs_clinic).status_code == 403
    assert not BulkExport.objects.exists()


# --- The access log -------------------------------------------------------------------------------


def test_each_patient_read_is_logged_once_as_the_clinics_export(
    as_bob, bob, bobs_clinic, clinic_patients, worker
):
    finished_manifest(as_bob, bobs_clinic)
    rows = AccessLogEntry.objects.filter(action="bulk export fhir")
    assert sorted(row.patient_id for row in rows) == sorted(
        [clinic_patients["alice"].pk, clinic_patients["erin"].pk]
    )
    for row in rows:
        assert row.clinician_id == bob.pk
        assert row.clinic_id == bobs_clinic.pk
        assert row.clinic_name == "Lindqvist Vein Clinic"
    assert not AccessLogEntry.objects.filter(patient=clinic_patients["carol"]).exists()


# --- Queries: constant per patient ----------------------------------------------------------------


def clinic_of(size: int) -> tuple[User, BulkExport]:
    clinic = Clinic.objects.create(name=f"Clinic of {size}")
    member = make_user(f"member-{size}@example.com", Role.CLINICIAN)
    ClinicMembership.objects.create(clinic=clinic, user=member, role=ClinicRole.ADMIN)
    for number in range(size):
        patient = make_user(f"p{number}-of-{size}@example.com", Role.PATIENT)
        CareLink.objects.create(patient=patient, clinic=clinic)
        # Records grow faster than patients: the queries must not.
        for minutes in range(1, 3 + number % 4):
            log_cramp(patient, minutes_ago=minutes * 30)
        urgent_checkin(patient)
    return member, BulkExport.objects.create(clinic=clinic, requested_by=member, request_url="x")


def queries_of_a_run(export, django_assert_max_num_queries, limit) -> None:
    with django_assert_max_num_queries(limit) as captured:
        service.bulk_export_run(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == BulkExportStatus.COMPLETED
    return len(captured)


def test_the_jobs_queries_grow_with_patients_not_with_records(django_assert_max_num_queries):
    _, ten = clinic_of(10)
    _, fifty = clinic_of(50)
    # Per patient: seven record kinds, seven for the insights' facts (the medication list and the
    # factors among them), one for the alerts; per page of patients: the page, the log insert and the
    # progress update; and a few for the job.
    per_patient, fixed = 15, 10
    at_ten = queries_of_a_run(ten, django_assert_max_num_queries, fixed + 10 * per_patient)
    at_fifty = queries_of_a_run(fifty, django_assert_max_num_queries, fixed + 50 * per_patient)
    assert at_fifty - at_ten == 40 * per_patient
