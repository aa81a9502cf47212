"""Clinics: bob's clinic (bob its admin, nina a nurse in it), olga in another clinic, dave in none; alice
shares with bob's clinic. Who sees whom, invitations, roles, the last admin, verification, and the log."""

import re
import uuid
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from diary import tasks
from diary.models import (
    AccessLogEntry,
    CareLink,
    CheckIn,
    Clinic,
    ClinicInvite,
    ClinicMembership,
    ClinicRole,
    Delivery,
    PatientSummary,
    Role,
    UrgentAlert,
    User,
)
from diary.services import clinics
from diary.services.records import record_create
from diary.services.sharing import share_code_create
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def bobs_clinic(bob) -> Clinic:
    clinic = Clinic.objects.create(name="Lindqvist Vein Clinic")
    ClinicMembership.objects.create(clinic=clinic, user=bob, role=ClinicRole.ADMIN)
    return clinic


@pytest.fixture
def nina(bobs_clinic) -> User:
    """A nurse of bob's clinic: nobody shared with her in person."""
    nina = make_user("nina@example.com", Role.CLINICIAN)
    ClinicMembership.objects.create(clinic=bobs_clinic, user=nina, role=ClinicRole.CLINICIAN)
    return nina


@pytest.fixture
def other_clinic(db) -> Clinic:
    return Clinic.objects.create(name="Other Vein Clinic")


@pytest.fixture
def olga(other_clinic) -> User:
    """The admin of another clinic."""
    olga = make_user("olga@example.com", Role.CLINICIAN)
    ClinicMembership.objects.create(clinic=other_clinic, user=olga, role=ClinicRole.ADMIN)
    return olga


@pytest.fixture
def clinic_link(alice, bobs_clinic) -> CareLink:
    return CareLink.objects.create(patient=alice, clinic=bobs_clinic)


@pytest.fixture
def invites_sent(monkeypatch):
    """Each invite a request queues is sent when the request commits, by the worker's own task."""
    task = tasks.send_clinic_invite
    monkeypatch.setattr(task, "delay", lambda *args: task.apply(args))

    def on_commit_at_once(callback, using=None, robust=False):
        callback()

    monkeypatch.setattr("django.db.transaction.on_commit", on_commit_at_once)


def cramps_of(client, patient):
    return client.get(f"/api/v1/clinician/patients/{patient.pk}/cramps/")


def invite_token() -> str:
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    assert urlsplit(link).path == "/clinic-invite"
    return parse_qs(urlsplit(link).query)["token"][0]


def urgent_checkin(patient):
    record_create(
        model=CheckIn,
        patient=patient,
        data={
            "recorded_at": timezone.now() - timedelta(minutes=5),
            "sudden_chest_pain_or_breathlessness": True,
        },
        record_id=uuid.uuid4(),
    )


# --- Who sees whom --------------------------------------------------------------------------------


def test_a_patient_shared_with_bobs_clinic_is_visible_to_nina_and_not_to_olga_or_dave(
    alice, nina, olga, dave, clinic_link
):
    assert cramps_of(client_for(nina), alice).status_code == 200
    assert cramps_of(client_for(olga), alice).status_code == 404
    assert cramps_of(client_for(dave), alice).status_code == 404
    listed = client_for(nina).get("/api/v1/clinician/patients/").json()["results"]
    assert [patient["id"] for patient in listed] == [str(alice.pk)]
    assert client_for(olga).get("/api/v1/clinician/patients/").json()["results"] == []


def test_without_the_clinic_link_nina_sees_nothing_of_alice(alice, bob, nina):
    assert cramps_of(client_for(nina), alice).status_code == 404


def test_the_patient_list_labels_each_patient_with_the_clinic_they_share_with(alice, nina, clinic_link):
    [row] = client_for(nina).get("/api/v1/clinician/patients/").json()["results"]
    assert row["clinic"] == str(clinic_link.clinic_id)
    assert row["clinic_name"] == "Lindqvist Vein Clinic"
    assert row["link"] == str(clinic_link.pk)


def test_bob_sees_alice_once_through_his_own_link_when_she_shares_with_his_clinic_too(
    as_bob, alice, clinic_link
):
    [row] = as_bob.get("/api/v1/clinician/patients/").json()["results"]
    assert row["id"] == str(alice.pk)
    assert row["clinic"] is None  # his own link first
    assert row["clinic_name"] is None


def test_a_member_of_two_clinics_sees_each_clinics_patients_labelled(
    alice, carol, nina, other_clinic, clinic_link
):
    ClinicMembership.objects.create(clinic=other_clinic, user=nina)
    CareLink.objects.create(patient=carol, clinic=other_clinic)
    rows = client_for(nina).get("/api/v1/clinician/patients/").json()["results"]
    labels = {row["id"]: row["clinic_name"] for row in rows}
    assert labels == {str(alice.pk): "Lindqvist Vein Clinic", str(carol.pk): "Other Vein Clinic"}
    assert cramps_of(client_for(nina), carol).status_code == 200


def test_removing_nina_ends_her_access_at_once(as_bob, alice, nina, bobs_clinic, clinic_link):
    as_nina = client_for(nina)
    assert cramps_of(as_nina, alice).status_code == 200
    assert as_bob.delete(f"/api/v1/clinics/{bobs_clinic.pk}/members/{nina.pk}/").status_code == 204
    assert cramps_of(as_nina, alice).status_code == 404
    assert as_nina.get("/api/v1/clinician/patients/").json()["results"] == []
    assert as_nina.get(f"/api/v1/clinics/{bobs_clinic.pk}/members/").status_code == 404


def test_the_access_log_names_nina_and_the_clinic_for_a_read_through_the_clinic(
    as_alice, as_bob, alice, nina, clinic_link
):
    cramps_of(client_for(nina), alice)
    cramps_of(as_bob, alice)
    entries = {
        entry["clinician_name"]: entry for entry in as_alice.get("/api/v1/access-log/").json()["results"]
    }
    assert entries["Nina"]["clinic_name"] == "Lindqvist Vein Clinic"
    assert entries["Nina"]["action"] == "read cramps"
    assert entries["Bob"]["clinic_name"] == ""  # his own link
    assert AccessLogEntry.objects.get(clinician=nina).clinic_id == clinic_link.clinic_id


def test_the_list_read_is_logged_with_the_clinic_too(alice, nina, clinic_link):
    client_for(nina).get("/api/v1/clinician/patients/")
    entry = AccessLogEntry.objects.get(patient=alice, clinician=nina)
    assert entry.clinic_name == "Lindqvist Vein Clinic"


def test_alices_links_name_the_clinic_and_leave_it_null_for_bobs_own(as_alice, bob, clinic_link):
    links = {link["id"]: link for link in as_alice.get("/api/v1/sharing/links/").json()["results"]}
    clinic_row = links[str(clinic_link.pk)]
    assert clinic_row["clinic"] == str(clinic_link.clinic_id)
    assert clinic_row["clinic_name"] == "Lindqvist Vein Clinic"
    assert clinic_row["clinician"] is None and clinic_row["clinician_name"] is None
    [own] = [link for key, link in links.items() if key != str(clinic_link.pk)]
    assert own["clinic"] is None and own["clinic_name"] is None
    assert own["clinician_name"] == "Bob"


def test_alice_revokes_the_clinic_link_and_nina_loses_her(as_alice, alice, nina, clinic_link):
    assert as_alice.delete(f"/api/v1/sharing/links/{clinic_link.pk}/").status_code == 204
    assert cramps_of(client_for(nina), alice).status_code == 404


def test_a_link_is_with_a_clinician_or_a_clinic_never_both_or_neither(alice, bob, bobs_clinic):
    from django.db import IntegrityError, transaction

    for fields in ({"clinician": bob, "clinic": bobs_clinic}, {}):
        with pytest.raises(IntegrityError), transaction.atomic():
            CareLink.objects.create(patient=alice, **fields)


# --- Urgent alerts --------------------------------------------------------------------------------


def test_an_urgent_checkin_tells_each_member_once_and_not_another_clinic(
    alice, bob, nina, olga, bobs_clinic, clinic_link
):
    urgent_checkin(alice)
    # Bob's own link raises his alert, the clinic's link the clinic's (tests/test_clinic_triage.py).
    assert UrgentAlert.objects.filter(patient=alice, clinician=bob).count() == 1
    assert UrgentAlert.objects.filter(patient=alice, clinic=bobs_clinic).count() == 1
    sent = list(Delivery.objects.filter(alert__patient=alice).values_list("recipient__email", "channel"))
    assert sorted(set(sent)) == sorted(sent)  # nobody twice on one channel, though bob has two links to her
    assert {email for email, _ in sent} == {"bob@example.com", "nina@example.com"}
    assert client_for(nina).get("/api/v1/clinician/alerts/").json()["count"] == 1
    assert client_for(olga).get("/api/v1/clinician/alerts/").json()["count"] == 0


def test_a_removed_member_no_longer_sees_the_alert(as_bob, alice, nina, bobs_clinic, clinic_link):
    urgent_checkin(alice)
    as_bob.delete(f"/api/v1/clinics/{bobs_clinic.pk}/members/{nina.pk}/")
    assert client_for(nina).get("/api/v1/clinician/alerts/").json()["count"] == 0


# --- Clinics, members and roles -------------------------------------------------------------------


def test_my_clinics_list_names_my_role_in_each(as_bob, nina, bobs_clinic, other_clinic):
    ClinicMembership.objects.create(clinic=other_clinic, user=nina)
    assert as_bob.get("/api/v1/clinics/").json() == [
        {"id": str(bobs_clinic.pk), "name": "Lindqvist Vein Clinic", "role": "admin"}
    ]
    roles = {clinic["name"]: clinic["role"] for clinic in client_for(nina).get("/api/v1/clinics/").json()}
    assert roles == {"Lindqvist Vein Clinic": "clinician", "Other Vein Clinic": "clinician"}


def test_dave_belongs_to_no_clinic(as_dave):
    assert as_dave.get("/api/v1/clinics/").json() == []


def test_a_member_lists_the_members_admins_first(bob, nina, bobs_clinic):
    members = client_for(nina).get(f"/api/v1/clinics/{bobs_clinic.pk}/members/").json()
    assert [(member["user"], member["role"]) for member in members] == [
        (str(bob.pk), "admin"),
        (str(nina.pk), "clinician"),
    ]


def test_olga_and_dave_get_404_on_bobs_clinic_and_alice_403(as_alice, dave, olga, nina, bobs_clinic):
    members = f"/api/v1/clinics/{bobs_clinic.pk}/members/"
    for intruder in (olga, dave):
        assert client_for(intruder).get(members).status_code == 404
        assert client_for(intruder).delete(f"{members}{nina.pk}/").status_code == 404
    assert as_alice.get(members).status_code == 403
    assert ClinicMembership.objects.filter(user=nina).exists()


def test_bob_makes_nina_an_admin_and_nina_the_clinician_cannot_change_roles(as_bob, bob, nina, bobs_clinic):
    member = f"/api/v1/clinics/{bobs_clinic.pk}/members/"
    assert client_for(nina).patch(f"{member}{bob.pk}/", {"role": "clinician"}).status_code == 403
    response = as_bob.patch(f"{member}{nina.pk}/", {"role": "admin"})
    assert response.status_code == 200
    assert response.json()["role"] == "admin"
    assert ClinicMembership.objects.get(user=nina).role == ClinicRole.ADMIN


def test_a_role_that_is_not_admin_or_clinician_is_a_400_naming_role(as_bob, nina, bobs_clinic):
    response = as_bob.patch(f"/api/v1/clinics/{bobs_clinic.pk}/members/{nina.pk}/", {"role": "owner"})
    assert response.status_code == 400
    assert "role" in response.json()


def test_nina_cannot_remove_bob_but_may_leave_herself(bob, nina, bobs_clinic):
    as_nina = client_for(nina)
    members = f"/api/v1/clinics/{bobs_clinic.pk}/members/"
    assert as_nina.delete(f"{members}{bob.pk}/").status_code == 403
    assert as_nina.delete(f"{members}{nina.pk}/").status_code == 204
    assert not ClinicMembership.objects.filter(user=nina).exists()


def test_the_last_admin_cannot_leave_nor_be_made_a_clinician(as_bob, bob, nina, bobs_clinic):
    me = f"/api/v1/clinics/{bobs_clinic.pk}/members/{bob.pk}/"
    leaving = as_bob.delete(me)
    assert leaving.status_code == 400
    assert "user" in leaving.json()
    demoted = as_bob.patch(me, {"role": "clinician"})
    assert demoted.status_code == 400
    assert "role" in demoted.json()
    assert ClinicMembership.objects.get(user=bob).role == ClinicRole.ADMIN


def test_with_a_second_admin_the_first_may_step_down(as_bob, bob, nina, bobs_clinic):
    ClinicMembership.objects.filter(user=nina).update(role=ClinicRole.ADMIN)
    me = f"/api/v1/clinics/{bobs_clinic.pk}/members/{bob.pk}/"
    assert as_bob.patch(me, {"role": "clinician"}).status_code == 200
    # Now nina is the last admin: bob, a clinician, cannot undo it on his own.
    assert (
        as_bob.patch(
            f"/api/v1/clinics/{bobs_clinic.pk}/members/{nina.pk}/", {"role": "clinician"}
        ).status_code
        == 403
    )


# --- Invitations ----------------------------------------------------------------------------------


def test_bob_invites_a_nurse_who_accepts_and_sees_the_clinics_patients(
    as_bob, alice, bobs_clinic, clinic_link, invites_sent
):
    response = as_bob.post(
        f"/api/v1/clinics/{bobs_clinic.pk}/invites/", {"email": "Nora@Example.com", "role": "clinician"}
    )
    assert response.status_code == 201
    assert response.json()["email"] == "nora@example.com"
    [email] = mail.outbox
    assert email.to == ["nora@example.com"]
    assert "Lindqvist Vein Clinic" in email.subject
    token = invite_token()
    # Only the digest is kept: the token itself is nowhere in the row.
    invite = ClinicInvite.objects.get()
    assert token not in {invite.digest, str(invite.pk)}
    assert invite.expires_at - invite.created_at == pytest.approx(timedelta(days=7), abs=timedelta(seconds=5))

    nora = make_user("nora@example.com", Role.CLINICIAN)
    accepted = client_for(nora).post("/api/v1/clinics/invites/accept/", {"token": token})
    assert accepted.status_code == 200
    assert accepted.json() == {
        "id": str(bobs_clinic.pk),
        "name": "Lindqvist Vein Clinic",
        "role": "clinician",
    }
    assert cramps_of(client_for(nora), alice).status_code == 200


def test_a_used_invite_is_a_400_naming_token(as_bob, bobs_clinic, invites_sent):
    as_bob.post(f"/api/v1/clinics/{bobs_clinic.pk}/invites/", {"email": "nora@example.com", "role": "admin"})
    token = invite_token()
    as_nora = client_for(make_user("nora@example.com", Role.CLINICIAN))
    assert as_nora.post("/api/v1/clinics/invites/accept/", {"token": token}).json()["role"] == "admin"
    again = as_nora.post("/api/v1/clinics/invites/accept/", {"token": token})
    assert again.status_code == 400
    assert "token" in again.json()


def test_an_expired_invite_is_a_400_naming_token_and_joins_no_one(as_bob, bobs_clinic, invites_sent):
    as_bob.post(
        f"/api/v1/clinics/{bobs_clinic.pk}/invites/", {"email": "nora@example.com", "role": "clinician"}
    )
    token = invite_token()
    nora = make_user("nora@example.com", Role.CLINICIAN)
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        response = client_for(nora).post("/api/v1/clinics/invites/accept/", {"token": token})
    assert response.status_code == 400
    assert "token" in response.json()
    assert not ClinicMembership.objects.filter(user=nora).exists()


def test_an_invite_accepted_by_another_account_is_refused_and_stays_unused(
    as_bob, dave, bobs_clinic, invites_sent
):
    as_bob.post(
        f"/api/v1/clinics/{bobs_clinic.pk}/invites/", {"email": "nora@example.com", "role": "clinician"}
    )
    response = client_for(dave).post("/api/v1/clinics/invites/accept/", {"token": invite_token()})
    assert response.status_code == 400
    assert "token" in response.json()
    assert ClinicInvite.objects.get().accepted_at is None


def test_a_forged_token_is_a_400_naming_token(as_dave):
    response = as_dave.post("/api/v1/clinics/invites/accept/", {"token": "forged"})
    assert response.status_code == 400
    assert "token" in response.json()


def test_inviting_a_patients_address_is_a_400_naming_email(as_bob, carol, bobs_clinic):
    response = as_bob.post(
        f"/api/v1/clinics/{bobs_clinic.pk}/invites/", {"email": carol.email, "role": "clinician"}
    )
    assert response.status_code == 400
    assert "email" in response.json()
    assert not ClinicInvite.objects.exists()


def test_a_bad_email_or_role_is_a_400_naming_it(as_bob, bobs_clinic):
    url = f"/api/v1/clinics/{bobs_clinic.pk}/invites/"
    assert "email" in as_bob.post(url, {"email": "not-an-address", "role": "clinician"}).json()
    assert "role" in as_bob.post(url, {"email": "nora@example.com", "role": "owner"}).json()


def test_only_an_admin_invites(as_alice, nina, olga, bobs_clinic):
    url = f"/api/v1/clinics/{bobs_clinic.pk}/invites/"
    body = {"email": "nora@example.com", "role": "clinician"}
    assert client_for(nina).post(url, body).status_code == 403
    assert client_for(olga).post(url, body).status_code == 404
    assert as_alice.post(url, body).status_code == 403
    assert not ClinicInvite.objects.exists()


def test_nothing_is_emailed_inside_the_request(
    as_bob, bobs_clinic, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(tasks.send_clinic_invite, "delay", lambda *args: sent.append(args))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        as_bob.post(
            f"/api/v1/clinics/{bobs_clinic.pk}/invites/", {"email": "nora@example.com", "role": "clinician"}
        )
    assert sent == [] and mail.outbox == []
    for callback in callbacks:
        callback()
    assert sent == [(str(ClinicInvite.objects.get().pk),)]


# --- Ending links ---------------------------------------------------------------------------------


def test_bobs_clinic_ends_alices_link_and_her_access_log_says_so(
    as_alice, as_bob, alice, nina, bobs_clinic, clinic_link
):
    url = f"/api/v1/clinics/{bobs_clinic.pk}/links/{clinic_link.pk}/"
    assert client_for(nina).delete(url).status_code == 403
    assert as_bob.delete(url).status_code == 204
    assert not CareLink.objects.filter(pk=clinic_link.pk).exists()
    [told] = as_alice.get("/api/v1/access-log/").json()["results"]
    assert told["action"] == clinics.CLINIC_ENDED_LINK
    assert told["clinic_name"] == "Lindqvist Vein Clinic"
    assert told["clinician_name"] == "Bob"


def test_another_clinics_admin_cannot_end_the_link(olga, bobs_clinic, other_clinic, clinic_link):
    assert (
        client_for(olga).delete(f"/api/v1/clinics/{bobs_clinic.pk}/links/{clinic_link.pk}/").status_code
        == 404
    )
    assert (
        client_for(olga).delete(f"/api/v1/clinics/{other_clinic.pk}/links/{clinic_link.pk}/").status_code
        == 404
    )
    assert CareLink.objects.filter(pk=clinic_link.pk).exists()


def test_staff_closing_a_clinic_end_its_links_tell_the_patients_and_keep_the_log(
    alice, bob, nina, bobs_clinic, clinic_link
):
    cramps_of(client_for(nina), alice)
    staff = make_user("staff@example.com", Role.CLINICIAN, is_staff=True, is_superuser=True)
    clinics.clinic_delete(clinic=bobs_clinic, staff=staff)
    assert not Clinic.objects.exists()
    assert not CareLink.objects.filter(clinic__isnull=False).exists()
    assert CareLink.objects.filter(patient=alice, clinician=bob).exists()  # bob's own link stays
    assert cramps_of(client_for(nina), alice).status_code == 404
    log = {entry.action: entry for entry in AccessLogEntry.objects.filter(patient=alice)}
    assert log["read cramps"].clinic_name == "Lindqvist Vein Clinic"  # kept, still naming the clinic
    assert log["read cramps"].clinic_id is None
    assert log[clinics.CLINIC_CLOSED].clinic_name == "Lindqvist Vein Clinic"


def test_staff_closing_a_clinic_in_the_admin_tells_the_patients(client, alice, bobs_clinic, clinic_link):
    staff = make_user("staff@example.com", Role.CLINICIAN, is_staff=True, is_superuser=True)
    client.force_login(staff)
    response = client.post(f"/admin/diary/clinic/{bobs_clinic.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Clinic.objects.exists()
    assert AccessLogEntry.objects.get(patient=alice, action=clinics.CLINIC_CLOSED).clinician == staff


# --- Verification and redeeming for a clinic ------------------------------------------------------


def redeem(client, patient, **extra):
    _, code = share_code_create(patient=patient)
    return client.post("/api/v1/sharing/redeem/", {"code": code, **extra})


def test_with_verification_on_a_clinician_in_no_clinic_is_refused_with_the_reason(settings, as_dave, carol):
    settings.CLINICIANS_MUST_BELONG_TO_A_CLINIC = True
    response = redeem(as_dave, carol)
    assert response.status_code == 403
    assert "clinic" in response.json()["detail"]
    assert not CareLink.objects.filter(patient=carol).exists()


def test_with_verification_on_a_member_redeems(settings, as_bob, carol, bobs_clinic):
    settings.CLINICIANS_MUST_BELONG_TO_A_CLINIC = True
    assert redeem(as_bob, carol).status_code == 201


def test_with_verification_off_an_independent_clinician_redeems(settings, as_dave, carol):
    settings.CLINICIANS_MUST_BELONG_TO_A_CLINIC = False
    response = redeem(as_dave, carol)
    assert response.status_code == 201
    assert response.json()["link"]["clinic"] is None


def test_redeeming_for_my_clinic_links_the_patient_with_the_clinic(as_bob, carol, nina, bobs_clinic):
    response = redeem(as_bob, carol, clinic=str(bobs_clinic.pk))
    assert response.status_code == 201
    assert response.json()["link"]["clinic_name"] == "Lindqvist Vein Clinic"
    assert CareLink.objects.get(patient=carol).clinic == bobs_clinic
    assert cramps_of(client_for(nina), carol).status_code == 200


def test_redeeming_for_another_clinic_is_a_400_naming_clinic_and_keeps_the_code(as_bob, carol, other_clinic):
    share_code, code = share_code_create(patient=carol)
    response = as_bob.post("/api/v1/sharing/redeem/", {"code": code, "clinic": str(other_clinic.pk)})
    assert response.status_code == 400
    assert "clinic" in response.json()
    share_code.refresh_from_db()
    assert share_code.redeemed_at is None


# --- Query counts ---------------------------------------------------------------------------------


def test_the_list_of_1000_patients_through_a_clinic_link_takes_at_most_10_queries(
    django_assert_max_num_queries, nina, bobs_clinic
):
    now = timezone.now()
    patients = User.objects.bulk_create(
        User(email=f"many-{index}@example.com", role=Role.PATIENT, password="!") for index in range(1000)
    )
    CareLink.objects.bulk_create(CareLink(patient=patient, clinic=bobs_clinic) for patient in patients)
    # As the refresh task would have left them: the list reads the summaries only.
    PatientSummary.objects.bulk_create(
        PatientSummary(patient=patient, stale=False, computed_at=now) for patient in patients
    )
    as_nina = client_for(nina)
    with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(10):
        response = as_nina.get("/api/v1/clinician/patients/?page_size=500")
    assert response.status_code == 200
    assert response.json()["count"] == 1000
    assert len(response.json()["results"]) == 500
    assert {row["clinic_name"] for row in response.json()["results"]} == {"Lindqvist Vein Clinic"}
    assert len(queries) <= 10


# --- Who the patient sees can read her diary ------------------------------------------------------


def links_by_id(client) -> dict:
    return {link["id"]: link for link in client.get("/api/v1/sharing/links/").json()["results"]}


def test_alices_clinic_link_names_its_members_admins_first_and_her_own_link_bob(
    as_alice, bob, nina, clinic_link
):
    links = links_by_id(as_alice)
    assert links[str(clinic_link.pk)]["people"] == ["Bob", "Nina"]
    [own] = [link for key, link in links.items() if key != str(clinic_link.pk)]
    assert own["people"] == ["Bob"]


def test_a_member_without_a_name_is_named_by_email(as_alice, bobs_clinic, clinic_link):
    nameless = make_user("nameless@example.com", Role.CLINICIAN)
    User.objects.filter(pk=nameless.pk).update(display_name="")
    ClinicMembership.objects.create(clinic=bobs_clinic, user=nameless)
    people = links_by_id(as_alice)[str(clinic_link.pk)]["people"]
    assert people == ["Bob", "nameless@example.com"]


def test_a_removed_member_is_no_longer_among_the_people(as_alice, nina, bobs_clinic, clinic_link):
    clinics.clinic_member_remove(membership=ClinicMembership.objects.get(user=nina))
    assert links_by_id(as_alice)[str(clinic_link.pk)]["people"] == ["Bob"]


def test_carol_never_sees_alices_links_nor_the_clinics_people(as_carol, nina, clinic_link):
    assert as_carol.get("/api/v1/sharing/links/").json()["results"] == []
    assert as_carol.delete(f"/api/v1/sharing/links/{clinic_link.pk}/").status_code == 404


def test_alices_links_take_the_same_queries_for_one_clinic_as_for_five(as_alice, alice, nina, clinic_link):
    def queries_of_the_list() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert as_alice.get("/api/v1/sharing/links/").status_code == 200
        return len(queries)

    one = queries_of_the_list()
    for index in range(4):
        clinic = Clinic.objects.create(name=f"Clinic {index}")
        for member in range(3):
            user = make_user(f"member-{index}-{member}@example.com", Role.CLINICIAN)
            ClinicMembership.objects.create(clinic=clinic, user=user)
        CareLink.objects.create(patient=alice, clinic=clinic)
    assert queries_of_the_list() == one
    assert len(as_alice.get("/api/v1/sharing/links/").json()["results"]) == 6


# --- Looking an invitation up, the pending list, cancelling -----------------------------------------


def invite(as_bob, bobs_clinic, email="nora@example.com", role="clinician") -> str:
    """Bob invites an address; the token its email carries."""
    response = as_bob.post(f"/api/v1/clinics/{bobs_clinic.pk}/invites/", {"email": email, "role": role})
    assert response.status_code == 201
    return invite_token()


def lookup(client, token):
    return client.post("/api/v1/clinics/invites/lookup/", {"token": token})


def test_nora_looks_her_invitation_up_and_sees_the_clinic_her_address_and_role(
    as_bob, bobs_clinic, invites_sent
):
    token = invite(as_bob, bobs_clinic, email="Nora@Example.com", role="admin")
    response = lookup(client_for(make_user("nora@example.com", Role.CLINICIAN)), token)
    assert response.status_code == 200
    body = response.json()
    assert body["clinic_name"] == "Lindqvist Vein Clinic"
    assert (body["email"], body["role"]) == ("nora@example.com", "admin")
    assert body["expires_at"] == ClinicInvite.objects.get().expires_at.isoformat().replace("+00:00", "Z")


def test_looking_an_invitation_up_uses_nothing(as_bob, bobs_clinic, invites_sent):
    token = invite(as_bob, bobs_clinic)
    lookup(client_for(make_user("nora@example.com", Role.CLINICIAN)), token)
    assert ClinicInvite.objects.get().accepted_at is None


def test_anyone_but_the_invited_address_gets_404_without_the_clinics_name(
    as_bob, as_alice, as_carol, bobs_clinic, dave, nina, olga, invites_sent
):
    token = invite(as_bob, bobs_clinic)
    for client in (as_bob, client_for(nina), client_for(olga), client_for(dave)):
        response = lookup(client, token)
        assert response.status_code == 404
        assert "Lindqvist" not in response.content.decode()
    # Patients are not clinicians: refused before any look-up.
    assert lookup(as_alice, token).status_code == 403
    assert lookup(as_carol, token).status_code == 403


def test_an_unknown_token_is_a_404_and_a_missing_one_a_400_naming_token(as_dave):
    assert lookup(as_dave, "forged").status_code == 404
    response = as_dave.post("/api/v1/clinics/invites/lookup/", {})
    assert response.status_code == 400
    assert "token" in response.json()


def test_a_used_or_expired_invitation_looked_up_is_a_400_naming_token(as_bob, bobs_clinic, invites_sent):
    used = invite(as_bob, bobs_clinic)
    as_nora = client_for(make_user("nora@example.com", Role.CLINICIAN))
    assert as_nora.post("/api/v1/clinics/invites/accept/", {"token": used}).status_code == 200
    assert "token" in lookup(as_nora, used).json()
    assert lookup(as_nora, used).status_code == 400

    expired = invite(as_bob, bobs_clinic, email="nils@example.com")
    as_nils = client_for(make_user("nils@example.com", Role.CLINICIAN))
    assert lookup(as_nils, expired).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        response = lookup(as_nils, expired)
    assert response.status_code == 400
    assert "token" in response.json()


def pending(client, clinic):
    return client.get(f"/api/v1/clinics/{clinic.pk}/invites/")


def test_bob_lists_the_pending_invitations_newest_first_naming_who_sent_each(
    as_bob, bob, bobs_clinic, invites_sent
):
    with time_machine.travel(timezone.now() - timedelta(hours=2)):
        invite(as_bob, bobs_clinic, email="nora@example.com")
    invite(as_bob, bobs_clinic, email="nils@example.com", role="admin")
    response = pending(as_bob, bobs_clinic)
    assert response.status_code == 200
    listed = response.json()
    assert [(i["email"], i["role"]) for i in listed] == [
        ("nils@example.com", "admin"),
        ("nora@example.com", "clinician"),
    ]
    assert {i["invited_by_name"] for i in listed} == {bob.name}
    assert all(i["expires_at"] for i in listed)


def test_used_and_expired_invitations_are_not_pending(as_bob, bobs_clinic, invites_sent):
    used = invite(as_bob, bobs_clinic, email="nora@example.com")
    client_for(make_user("nora@example.com", Role.CLINICIAN)).post(
        "/api/v1/clinics/invites/accept/", {"token": used}
    )
    with time_machine.travel(timezone.now() - timedelta(days=8)):
        invite(as_bob, bobs_clinic, email="old@example.com")
    invite(as_bob, bobs_clinic, email="nils@example.com")
    assert [i["email"] for i in pending(as_bob, bobs_clinic).json()] == ["nils@example.com"]


def test_only_the_clinics_admins_see_its_invitations(
    as_alice, as_carol, as_bob, nina, olga, dave, bobs_clinic, invites_sent
):
    invite(as_bob, bobs_clinic)
    assert pending(client_for(nina), bobs_clinic).status_code == 403
    assert pending(client_for(olga), bobs_clinic).status_code == 404
    assert pending(client_for(dave), bobs_clinic).status_code == 404
    assert pending(as_alice, bobs_clinic).status_code == 403
    assert pending(as_carol, bobs_clinic).status_code == 403


def test_another_clinics_admin_sees_only_her_own_clinics_invitations(
    as_bob, olga, bobs_clinic, other_clinic, invites_sent
):
    invite(as_bob, bobs_clinic)
    assert pending(client_for(olga), other_clinic).json() == []


def test_bob_cancels_an_invitation_and_its_link_is_then_refused(as_bob, bobs_clinic, invites_sent):
    token = invite(as_bob, bobs_clinic, email="nora@example.com")
    invite(as_bob, bobs_clinic, email="nils@example.com")
    nora_invite = ClinicInvite.objects.get(email="nora@example.com")
    response = as_bob.delete(f"/api/v1/clinics/{bobs_clinic.pk}/invites/{nora_invite.pk}/")
    assert response.status_code == 204
    assert [i["email"] for i in pending(as_bob, bobs_clinic).json()] == ["nils@example.com"]
    nora = make_user("nora@example.com", Role.CLINICIAN)
    accepted = client_for(nora).post("/api/v1/clinics/invites/accept/", {"token": token})
    assert accepted.status_code == 400
    assert "token" in accepted.json()
    assert not ClinicMembership.objects.filter(user=nora).exists()


def test_only_the_clinics_admin_cancels_and_a_used_invitation_cannot_be(
    as_alice, as_carol, as_bob, nina, olga, dave, bobs_clinic, other_clinic, invites_sent
):
    invite(as_bob, bobs_clinic)
    url = f"/api/v1/clinics/{bobs_clinic.pk}/invites/{ClinicInvite.objects.get().pk}/"
    assert client_for(nina).delete(url).status_code == 403
    assert client_for(olga).delete(url).status_code == 404
    assert client_for(dave).delete(url).status_code == 404
    assert as_alice.delete(url).status_code == 403
    assert as_carol.delete(url).status_code == 403
    # Through her own clinic's path, olga still cannot reach bob's invitation.
    theirs = f"/api/v1/clinics/{other_clinic.pk}/invites/{ClinicInvite.objects.get().pk}/"
    assert client_for(olga).delete(theirs).status_code == 404
    assert ClinicInvite.objects.count() == 1

    used = invite(as_bob, bobs_clinic, email="nils@example.com")
    client_for(make_user("nils@example.com", Role.CLINICIAN)).post(
        "/api/v1/clinics/invites/accept/", {"token": used}
    )
    used_url = (
        f"/api/v1/clinics/{bobs_clinic.pk}/invites/{ClinicInvite.objects.get(email='nils@example.com').pk}/"
    )
    assert as_bob.delete(used_url).status_code == 404
    assert ClinicInvite.objects.get(email="nils@example.com").accepted_at is not None
