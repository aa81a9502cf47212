"""The clinic's triage list: alice shares with bob's clinic (bob its admin, nina a nurse in it), olga is in
another clinic, dave in none. A clinic's alert reaches every member, is reviewed once by any of them, who is
named; a clinic's patient is assigned to one member; "assigned to me"; the list's order and query counts."""

import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from diary.models import (
    AccessLogEntry,
    CareLink,
    CheckIn,
    Clinic,
    ClinicMembership,
    ClinicRole,
    Delivery,
    PatientSummary,
    Role,
    UrgentAlert,
    User,
)
from diary.services import clinics
from diary.services.deliveries import delivery_send, recipient
from diary.services.records import record_create
from tests.conftest import client_for, make_user
from tests.push_service import FakePushService
from tests.test_urgent_alerts import worker_inline  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

ALERTS = "/api/v1/clinician/alerts/"
PATIENTS = "/api/v1/clinician/patients/"
EMERGENCY = {"sudden_chest_pain_or_breathlessness": True}


@pytest.fixture
def bobs_clinic(db) -> Clinic:
    return Clinic.objects.create(name="Lindqvist Vein Clinic")


@pytest.fixture
def bob(db, bobs_clinic) -> User:
    """Bob here has no link of his own with alice: he reads her through his clinic only."""
    bob = make_user("bob@example.com", Role.CLINICIAN, timezone="Europe/Berlin")
    ClinicMembership.objects.create(clinic=bobs_clinic, user=bob, role=ClinicRole.ADMIN)
    return bob


@pytest.fixture
def nina(bobs_clinic) -> User:
    """A nurse of bob's clinic, told by email only."""
    nina = make_user("nina@example.com", Role.CLINICIAN, alert_channels=["email"])
    ClinicMembership.objects.create(clinic=bobs_clinic, user=nina, role=ClinicRole.CLINICIAN)
    return nina


@pytest.fixture
def olga(db) -> User:
    """The admin of another clinic, which alice does not share with."""
    other = Clinic.objects.create(name="Other Vein Clinic")
    olga = make_user("olga@example.com", Role.CLINICIAN)
    ClinicMembership.objects.create(clinic=other, user=olga, role=ClinicRole.ADMIN)
    return olga


@pytest.fixture
def clinic_link(alice, bobs_clinic) -> CareLink:
    return CareLink.objects.create(patient=alice, clinic=bobs_clinic)


@pytest.fixture
def push_service():
    with FakePushService() as service:
        yield service


@pytest.fixture
def urgent_checkin(django_capture_on_commit_callbacks, worker_inline):  # noqa: F811
    """A patient logs an urgent check-in; what it queues after commit is sent before this returns."""

    def log(patient, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            record_create(
                model=CheckIn,
                patient=patient,
                data={"recorded_at": timezone.now() - timedelta(minutes=5), **EMERGENCY, **fields},
                record_id=uuid.uuid4(),
            )

    return log


def alerts_of(clinician, query="") -> list[dict]:
    response = client_for(clinician).get(f"{ALERTS}{query}")
    assert response.status_code == 200, response.content
    return response.json()["results"]


def patients_of(clinician, query="") -> list[dict]:
    response = client_for(clinician).get(f"{PATIENTS}{query}")
    assert response.status_code == 200, response.content
    return response.json()["results"]


def assign(client, link, user):
    return client.patch(
        f"/api/v1/sharing/links/{link.pk}/", {"assigned_to": str(user.pk) if user else None}, format="json"
    )


# --- One alert for the clinic, told to every member ---------------------------------------------------


def test_a_clinic_alert_reaches_every_member_once_on_each_of_their_channels(
    urgent_checkin, alice, bob, nina, olga, dave, clinic_link, push_service
):
    push_service_bob = push_service.subscribe("bob")
    assert (
        client_for(bob).post("/api/v1/push/subscriptions/", push_service_bob, format="json").status_code
        == 201
    )

    urgent_checkin(alice)

    alert = UrgentAlert.objects.get(patient=alice)
    assert (alert.clinic, alert.clinician) == (clinic_link.clinic, None)
    told = sorted((recipient(delivery).email, delivery.channel) for delivery in Delivery.objects.all())
    assert told == [("bob@example.com", "email"), ("bob@example.com", "push"), ("nina@example.com", "email")]
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    assert sorted(message.to[0] for message in mail.outbox) == ["bob@example.com", "nina@example.com"]
    assert len(push_service.messages_for("bob")) == 1
    assert all(delivery.recipient_id in (bob.pk, nina.pk) for delivery in Delivery.objects.all())


def test_a_member_removed_before_the_alert_is_sent_is_not_told(alice, bob, nina, clinic_link):
    # Logged, and its deliveries written, but nothing sent yet (no on-commit queueing in this test).
    record_create(
        model=CheckIn,
        patient=alice,
        data={"recorded_at": timezone.now() - timedelta(minutes=5), **EMERGENCY},
        record_id=uuid.uuid4(),
    )
    ClinicMembership.objects.filter(user=nina).delete()

    for delivery in Delivery.objects.all():
        delivery_send(delivery_id=delivery.pk)

    ninas = Delivery.objects.get(recipient=nina)
    assert (ninas.status, ninas.reason) == ("skipped", "no longer a member")
    assert [message.to[0] for message in mail.outbox] == ["bob@example.com"]


def test_a_second_urgent_checkin_joins_the_clinics_open_alert_and_tells_nobody_again(
    urgent_checkin, alice, bob, nina, clinic_link
):
    urgent_checkin(alice)
    urgent_checkin(alice)
    assert UrgentAlert.objects.count() == 1
    assert Delivery.objects.count() == 3  # bob by push and email, nina by email: once


def test_bob_and_nina_see_the_clinics_alert_labelled_and_olga_and_dave_do_not(
    urgent_checkin, alice, bob, nina, olga, dave, clinic_link
):
    urgent_checkin(alice)
    for member in (bob, nina):
        [item] = alerts_of(member)
        assert (item["clinic"], item["clinic_name"]) == (str(clinic_link.clinic_id), "Lindqvist Vein Clinic")
    assert alerts_of(olga) == [] and alerts_of(dave) == []


def test_nina_reviews_the_clinics_alert_and_bob_sees_it_reviewed_by_nina(
    urgent_checkin, alice, bob, nina, clinic_link
):
    urgent_checkin(alice)
    alert = UrgentAlert.objects.get()

    response = client_for(nina).post(f"{ALERTS}{alert.pk}/review/", {"note": "Called her"}, format="json")
    assert response.status_code == 200
    assert (response.json()["reviewed_by"], response.json()["reviewed_by_name"]) == (str(nina.pk), "Nina")

    [seen_by_bob] = alerts_of(bob)
    assert seen_by_bob["reviewed_by_name"] == "Nina"
    assert seen_by_bob["note"] == "Called her"
    assert alerts_of(bob, "?status=open") == []
    review = AccessLogEntry.objects.get(action="reviewed an urgent alert")
    assert (review.clinician, review.clinic_name) == (nina, "Lindqvist Vein Clinic")


def test_a_second_review_by_another_member_changes_nothing_and_answers_with_the_first(
    urgent_checkin, alice, bob, nina, clinic_link
):
    urgent_checkin(alice)
    alert = UrgentAlert.objects.get()
    first = client_for(nina).post(f"{ALERTS}{alert.pk}/review/", {"note": "Called her"}, format="json").json()

    second = client_for(bob).post(f"{ALERTS}{alert.pk}/review/", {"note": "Me too"}, format="json")

    assert second.status_code == 200
    assert second.json() == first
    alert.refresh_from_db()
    assert (alert.reviewed_by, alert.note) == (nina, "Called her")


def test_olga_and_dave_cannot_review_the_clinics_alert(urgent_checkin, alice, nina, olga, dave, clinic_link):
    urgent_checkin(alice)
    alert = UrgentAlert.objects.get()
    for outsider in (olga, dave):
        assert client_for(outsider).post(f"{ALERTS}{alert.pk}/review/", {}, format="json").status_code == 404
    alert.refresh_from_db()
    assert alert.reviewed_at is None


def test_after_alice_revokes_the_clinic_link_its_alert_is_hidden_from_the_members(
    urgent_checkin, alice, nina, clinic_link
):
    urgent_checkin(alice)
    clinic_link.delete()
    assert alerts_of(nina) == []


def test_a_direct_link_keeps_its_own_alert_and_bob_is_told_once_when_he_has_both(
    urgent_checkin, alice, bob, nina, clinic_link
):
    CareLink.objects.create(patient=alice, clinician=bob)

    urgent_checkin(alice)

    own = UrgentAlert.objects.get(clinician=bob)
    clinics = UrgentAlert.objects.get(clinic=clinic_link.clinic)
    told = sorted((delivery.alert_id, recipient(delivery).email) for delivery in Delivery.objects.all())
    # Bob's own alert tells him (push and email); the clinic's tells nina (email): nobody twice.
    assert told == sorted(
        [(own.pk, "bob@example.com"), (own.pk, "bob@example.com"), (clinics.pk, "nina@example.com")]
    )
    assert {item["id"] for item in alerts_of(bob)} == {str(own.pk), str(clinics.pk)}
    assert [item["id"] for item in alerts_of(nina)] == [str(clinics.pk)]


def test_a_clinic_alert_is_for_the_clinic_alone_and_one_open_per_warning(alice, bob, bobs_clinic):
    from django.db import IntegrityError, transaction

    now = timezone.now()
    fields = {"patient": alice, "code": "emergency_warning", "evidence_at": now, "last_evidence_at": now}
    UrgentAlert.objects.create(clinic=bobs_clinic, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        UrgentAlert.objects.create(clinic=bobs_clinic, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        UrgentAlert.objects.create(
            clinic=bobs_clinic, clinician=bob, **{**fields, "code": "urgent_dvt_warning"}
        )


# --- Assignment -----------------------------------------------------------------------------------


def test_nina_assigns_alice_to_herself_and_the_list_says_so(alice, bob, nina, clinic_link):
    response = assign(client_for(nina), clinic_link, nina)
    assert response.status_code == 200, response.content
    assert (response.json()["assigned_to"], response.json()["assigned_to_name"]) == (str(nina.pk), "Nina")

    [row] = patients_of(bob)
    assert (row["assigned_to"], row["assigned_to_name"], row["clinic_name"]) == (
        str(nina.pk),
        "Nina",
        "Lindqvist Vein Clinic",
    )


def test_assigning_nobody_unassigns(alice, nina, clinic_link):
    assign(client_for(nina), clinic_link, nina)
    assert assign(client_for(nina), clinic_link, None).status_code == 200
    clinic_link.refresh_from_db()
    assert clinic_link.assigned_to is None
    [row] = patients_of(nina)
    assert (row["assigned_to"], row["assigned_to_name"]) == (None, None)


def test_assigning_someone_outside_the_clinic_is_a_400_naming_assigned_to(
    alice, bob, nina, olga, carol, clinic_link
):
    for outsider in (olga, carol):
        response = assign(client_for(bob), clinic_link, outsider)
        assert response.status_code == 400
        assert "assigned_to" in response.json()
    response = client_for(bob).patch(
        f"/api/v1/sharing/links/{clinic_link.pk}/", {"assigned_to": "not-an-id"}, format="json"
    )
    assert response.status_code == 400 and "assigned_to" in response.json()
    clinic_link.refresh_from_db()
    assert clinic_link.assigned_to is None


def test_a_link_with_one_clinician_is_not_assigned(alice, dave):
    link = CareLink.objects.create(patient=alice, clinician=dave)
    response = assign(client_for(dave), link, dave)
    assert response.status_code == 400 and "assigned_to" in response.json()


def test_the_clinic_reference_is_still_set_alone_and_an_empty_patch_is_a_400(alice, nina, clinic_link):
    as_nina = client_for(nina)
    response = as_nina.patch(
        f"/api/v1/sharing/links/{clinic_link.pk}/", {"clinic_reference": "V-7"}, format="json"
    )
    assert response.status_code == 200 and response.json()["clinic_reference"] == "V-7"
    response = as_nina.patch(f"/api/v1/sharing/links/{clinic_link.pk}/", {}, format="json")
    assert response.status_code == 400 and "clinic_reference" in response.json()


def test_olga_and_dave_cannot_assign_the_clinics_patient(alice, nina, olga, dave, clinic_link):
    for outsider in (olga, dave):
        assert assign(client_for(outsider), clinic_link, outsider).status_code == 404
    assert assign(client_for(alice), clinic_link, nina).status_code == 403


def test_assigned_to_me_shows_only_the_patients_assigned_to_me(
    alice, carol, bob, nina, bobs_clinic, clinic_link
):
    CareLink.objects.create(patient=carol, clinic=bobs_clinic)
    assign(client_for(bob), clinic_link, nina)

    assert [row["id"] for row in patients_of(nina, "?assigned=me")] == [str(alice.pk)]
    assert patients_of(bob, "?assigned=me") == []
    assert {row["id"] for row in patients_of(bob)} == {str(alice.pk), str(carol.pk)}


def test_assigned_to_me_on_the_alerts_keeps_the_alerts_of_my_patients(
    urgent_checkin, alice, carol, bob, nina, bobs_clinic, clinic_link
):
    CareLink.objects.create(patient=carol, clinic=bobs_clinic)
    assign(client_for(bob), clinic_link, nina)
    urgent_checkin(alice)
    urgent_checkin(carol)

    assert [item["patient"] for item in alerts_of(nina, "?assigned=me")] == [str(alice.pk)]
    assert alerts_of(bob, "?assigned=me") == []
    assert len(alerts_of(bob)) == 2


@pytest.mark.parametrize("path", [PATIENTS, ALERTS])
def test_a_bad_assigned_filter_is_a_400_naming_it(nina, path):
    response = client_for(nina).get(f"{path}?assigned=bob")
    assert response.status_code == 400 and "assigned" in response.json()


def test_removing_nina_unassigns_her_patients(alice, bob, nina, bobs_clinic, clinic_link):
    assign(client_for(bob), clinic_link, nina)

    clinics.clinic_member_remove(membership=ClinicMembership.objects.get(clinic=bobs_clinic, user=nina))

    clinic_link.refresh_from_db()
    assert clinic_link.assigned_to is None
    [row] = patients_of(bob)
    assert row["assigned_to"] is None


# --- The order and the query counts ---------------------------------------------------------------


def test_a_patient_with_an_open_clinic_alert_comes_first_for_every_member(
    urgent_checkin, alice, carol, bob, nina, bobs_clinic, clinic_link
):
    CareLink.objects.create(patient=carol, clinic=bobs_clinic)
    PatientSummary.objects.update_or_create(
        patient=carol,
        defaults={"stale": False, "computed_at": timezone.now(), "highest_level": "urgent", "level_rank": 3},
    )
    urgent_checkin(alice)

    for member in (bob, nina):
        rows = patients_of(member)
        assert (rows[0]["id"], rows[0]["open_alerts"]) == (str(alice.pk), 1)
    alert = UrgentAlert.objects.get()
    client_for(nina).post(f"{ALERTS}{alert.pk}/review/", {}, format="json")
    assert patients_of(bob)[0]["open_alerts"] == 0


def test_the_clinic_list_of_1000_patients_with_assignees_takes_at_most_10_queries(
    django_assert_max_num_queries, nina, bobs_clinic
):
    now = timezone.now()
    patients = User.objects.bulk_create(
        User(email=f"many-{index}@example.com", role=Role.PATIENT, password="!") for index in range(1000)
    )
    CareLink.objects.bulk_create(
        CareLink(patient=patient, clinic=bobs_clinic, assigned_to=nina if index % 2 else None)
        for index, patient in enumerate(patients)
    )
    PatientSummary.objects.bulk_create(
        PatientSummary(patient=patient, stale=False, computed_at=now) for patient in patients
    )
    UrgentAlert.objects.bulk_create(
        UrgentAlert(
            patient=patient,
            clinic=bobs_clinic,
            code="emergency_warning",
            evidence_at=now,
            last_evidence_at=now,
        )
        for patient in patients[:50]
    )
    as_nina = client_for(nina)
    with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(10):
        response = as_nina.get(f"{PATIENTS}?page_size=500&assigned=me")
    assert response.status_code == 200
    assert response.json()["count"] == 500
    assert {row["assigned_to_name"] for row in response.json()["results"]} == {"Nina"}
    assert len(queries) <= 10


@pytest.mark.parametrize("count", [2, 12])
def test_the_clinic_alert_list_takes_the_same_few_queries_however_many_alerts(
    django_assert_max_num_queries, nina, bobs_clinic, count
):
    now = timezone.now()
    patients = [make_user(f"walker{count}-{index}@example.com", Role.PATIENT) for index in range(count)]
    for patient in patients:
        CareLink.objects.create(patient=patient, clinic=bobs_clinic, assigned_to=nina)
        UrgentAlert.objects.create(
            patient=patient,
            clinic=bobs_clinic,
            code="emergency_warning",
            evidence_at=now,
            last_evidence_at=now,
        )
    with django_assert_max_num_queries(4):
        items = alerts_of(nina, "?assigned=me")
    assert len(items) == count
    assert {item["clinic_name"] for item in items} == {"Lindqvist Vein Clinic"}
