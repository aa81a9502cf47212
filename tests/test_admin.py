"""The Django admin: every model's pages open, the access log stays read-only, lists cost fixed queries,
staff reads of a patient's rows are in the patient's access log, and profile changes follow the API's path."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from knox.models import AuthToken

from diary.kinds import KINDS
from diary.models import (
    AccessLogEntry,
    CareLink,
    CheckIn,
    ClaudicationAnswer,
    Clinic,
    ClinicMembership,
    CompressionWear,
    CrampEpisode,
    Delivery,
    Elevation,
    Factor,
    FactorEntry,
    Hydration,
    InsightAcknowledgement,
    Medication,
    PatientSummary,
    PushSubscription,
    Reminder,
    Role,
    ShareCode,
    UrgentAlert,
    User,
)
from diary.services.records import record_create
from diary.services.reminders import reminder_create
from diary.services.sharing import access_log_write, share_code_create

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
# The most queries the cramp list may take, however many rows it shows.
CRAMP_LIST_MAX_QUERIES = 7
# The same for the deliveries' list, whose patient is the reminder's.
DELIVERY_LIST_MAX_QUERIES = 7


def cramp_data(started_at: datetime) -> dict:
    return {
        "started_at": started_at,
        "duration_seconds": 90,
        "severity": 6,
        "muscle": "calf",
        "side": "left",
        "activity": "sleeping",
        "woke_from_sleep": True,
    }


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def root(db) -> User:
    return User.objects.create_superuser(email="root@crampwise.test", password="root-pass-2026")


@pytest.fixture
def staff_client(client, root):
    client.force_login(root)
    return client


@pytest.fixture
def rows(alice, bob, carol, dave):
    """One row of every model, for alice, shared with bob."""
    moment = datetime(2026, 11, 20, 3, 15, tzinfo=BERLIN)
    record_create(model=CrampEpisode, patient=alice, data=cramp_data(moment))
    record_create(
        model=CompressionWear,
        patient=alice,
        data={"started_at": moment, "pressure_class": "20-30", "garment": "knee", "legs": "both"},
    )
    record_create(model=Elevation, patient=alice, data={"started_at": moment, "duration_minutes": 20})
    record_create(model=Hydration, patient=alice, data={"taken_at": moment, "volume_ml": 250})
    record_create(
        model=CheckIn,
        patient=alice,
        data={"recorded_at": moment, "heaviness": 4, "cramps_last_night": "some", "skin_changes": True},
    )
    share_code_create(patient=alice)
    access_log_write(patient=alice, clinician=bob, action="read cramps")
    reminder = reminder_create(
        patient=alice,
        data={"kind": "hydration", "local_time": moment.time(), "weekdays": [0, 2], "channels": ["push"]},
    )
    Delivery.objects.create(reminder=reminder, scheduled_for=moment, channel="push", status="failed")
    PushSubscription.objects.create(
        patient=alice, endpoint="https://fcm.googleapis.com/fcm/send/abc", p256dh="k", auth="a"
    )
    ClaudicationAnswer.objects.create(patient=alice, walking_pain="no", result="negative")
    PatientSummary.objects.create(patient=alice, highest_level="advice", insight_codes=["skin_changes"])
    AuthToken.objects.create(user=alice)
    UrgentAlert.objects.create(
        patient=alice, clinician=bob, code="emergency_warning", evidence_at=moment, last_evidence_at=moment
    )
    InsightAcknowledgement.objects.create(patient=alice, code="emergency_warning", action="got_help")
    clinic = Clinic.objects.create(name="Lindqvist Vein Clinic")
    ClinicMembership.objects.create(clinic=clinic, user=bob, role="admin")
    record_create(
        model=Medication,
        patient=alice,
        data={
            "name": "Bendroflumethiazide",
            "drug_class": "diuretic",
            "schedule": "regular",
            "started_on": moment.date(),
        },
    )
    coffee = Factor.objects.create(patient=alice, name="Coffee")
    record_create(model=FactorEntry, patient=alice, data={"factor": coffee, "occurred_at": moment})


EVERY_MODEL = [
    User,
    CrampEpisode,
    CompressionWear,
    Elevation,
    Hydration,
    CheckIn,
    CareLink,
    ShareCode,
    AccessLogEntry,
    Reminder,
    Delivery,
    PushSubscription,
    ClaudicationAnswer,
    PatientSummary,
    UrgentAlert,
    InsightAcknowledgement,
    Clinic,
    Medication,
    Factor,
    FactorEntry,
]


# The add-page test below names the models staff may add; every kind of record is one.
ADDABLE = [
    User,
    CrampEpisode,
    CompressionWear,
    Elevation,
    Hydration,
    CheckIn,
    Medication,
    FactorEntry,
    Factor,
    CareLink,
]


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.segment)
def test_every_kind_of_record_is_in_the_lists_above(kind):
    assert kind.model in EVERY_MODEL
    assert kind.model in ADDABLE
    assert (kind.model, f"admin view {kind.segment}") in LOGGED_READS


def test_every_model_in_the_diary_is_registered_but_login_sessions():
    registered = {model for model in admin.site._registry if model._meta.app_label == "diary"}
    assert registered == set(EVERY_MODEL)


@pytest.mark.parametrize("model", EVERY_MODEL, ids=lambda model: model.__name__)
def test_it_lists_every_model_for_staff(staff_client, rows, model):
    response = staff_client.get(url(model, "changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


@pytest.mark.parametrize("model", EVERY_MODEL, ids=lambda model: model.__name__)
def test_it_opens_the_change_page_of_every_model(staff_client, rows, model):
    row = model.objects.first()
    assert staff_client.get(url(model, "change", row.pk)).status_code == 200


@pytest.mark.parametrize("model", ADDABLE, ids=lambda model: model.__name__)
def test_it_opens_the_add_page_of_models_staff_may_add(staff_client, model):
    assert staff_client.get(url(model, "add")).status_code == 200


def test_the_access_log_offers_no_add_change_or_delete(staff_client, rows):
    entry = AccessLogEntry.objects.get()
    assert staff_client.get(url(AccessLogEntry, "add")).status_code == 403
    assert staff_client.get(url(AccessLogEntry, "delete", entry.pk)).status_code == 403
    assert staff_client.post(url(AccessLogEntry, "change", entry.pk), {"action": "edited"}).status_code == 403
    changelist = staff_client.get(url(AccessLogEntry, "changelist"))
    assert changelist.context["action_form"] is None
    assert AccessLogEntry.objects.get().action == "read cramps"


def test_a_share_code_cannot_be_added_and_its_digest_cannot_be_edited(staff_client, rows):
    code = ShareCode.objects.get()
    assert staff_client.get(url(ShareCode, "add")).status_code == 403
    expires_at = code.expires_at - timedelta(hours=1)
    response = staff_client.post(
        url(ShareCode, "change", code.pk),
        {
            "digest": "0" * 64,
            "expires_at_0": expires_at.strftime("%Y-%m-%d"),
            "expires_at_1": expires_at.strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 302
    code_after = ShareCode.objects.get()
    assert code_after.digest == code.digest
    assert code_after.expires_at == expires_at.replace(microsecond=0)


@pytest.mark.parametrize("count", [3, 30])
def test_the_cramp_list_takes_the_same_queries_however_many_rows(
    staff_client, alice, carol, django_assert_max_num_queries, count
):
    start = datetime(2026, 11, 1, 23, 0, tzinfo=BERLIN)
    for n in range(count):
        patient = alice if n % 2 else carol
        record_create(model=CrampEpisode, patient=patient, data=cramp_data(start + timedelta(hours=n)))
    with django_assert_max_num_queries(CRAMP_LIST_MAX_QUERIES):
        response = staff_client.get(url(CrampEpisode, "changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == count


def cramp_added(staff_client, patient, **fields):
    """A cramp staff add in the admin at 02:30 UTC on 20 November 2026."""
    form = {"patient": patient.pk, "started_at_0": "2026-11-20", "started_at_1": "02:30:00", **fields}
    return staff_client.post(url(CrampEpisode, "add"), form)


def test_it_adds_a_cramp_with_its_night_derived_from_the_patients_zone(staff_client, alice):
    # 02:30 UTC is 03:30 in Berlin: the night of the 19th.
    response = cramp_added(
        staff_client, alice, duration_seconds=60, severity=5, muscle="calf", side="right", activity="resting"
    )
    assert response.status_code == 302
    cramp = CrampEpisode.objects.get()
    assert str(cramp.local_date) == "2026-11-20"
    assert str(cramp.night) == "2026-11-19"
    assert cramp.is_nocturnal is True


def test_it_refuses_a_clinician_as_the_patient_of_a_cramp(staff_client, bob):
    response = staff_client.post(
        url(CrampEpisode, "add"),
        {
            "patient": bob.pk,
            "started_at_0": "2026-11-20",
            "started_at_1": "02:30:00",
            "duration_seconds": 60,
            "severity": 5,
            "muscle": "calf",
            "side": "right",
            "activity": "resting",
        },
    )
    assert response.status_code == 200
    assert "patient" in response.context["adminform"].form.errors
    assert not CrampEpisode.objects.exists()


def test_the_patient_autocomplete_offers_only_patients(staff_client, alice, bob, carol, dave):
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "diary", "model_name": "crampepisode", "field_name": "patient", "term": "example"},
    )
    assert response.status_code == 200
    offered = {result["id"] for result in response.json()["results"]}
    assert offered == {str(alice.pk), str(carol.pk)}


def test_it_adds_a_user_by_email_in_lower_case(staff_client):
    response = staff_client.post(
        url(User, "add"),
        {
            "email": "Erin@Example.com",
            "role": Role.CLINICIAN,
            "usable_password": "true",
            "password1": "varicose-veins-2026",
            "password2": "varicose-veins-2026",
        },
    )
    assert response.status_code == 302
    erin = User.objects.get(email="erin@example.com")
    assert erin.role == Role.CLINICIAN
    assert erin.check_password("varicose-veins-2026")


def test_it_refuses_a_second_user_whose_email_differs_only_in_case(staff_client, alice):
    response = staff_client.post(
        url(User, "add"),
        {
            "email": "ALICE@example.com",
            "role": Role.PATIENT,
            "usable_password": "true",
            "password1": "varicose-veins-2026",
            "password2": "varicose-veins-2026",
        },
    )
    assert response.status_code == 200
    assert "email" in response.context["adminform"].form.errors
    assert User.objects.filter(email__iexact="alice@example.com").count() == 1


def profile_form(user: User, **changes) -> dict:
    """The admin's change form of a user as it is, but for `changes`."""
    return {
        "email": user.email,
        "display_name": user.display_name,
        "role": user.role,
        "timezone": user.timezone,
        "night_start": "22:00",
        "night_end": "07:00",
        "fluid_target_ml": 2000,
        "is_active": "on",
        **changes,
    }


def test_moving_a_patient_to_another_zone_leaves_her_cramps_on_the_nights_they_were_lived(
    staff_client, alice
):
    # 12:30 in Berlin is 06:30 in New York, the night before there: but it was lived in Berlin
    # (docs/decisions/0037; staff move records on purpose with manage.py rezone_records).
    cramp, _ = record_create(
        model=CrampEpisode, patient=alice, data=cramp_data(datetime(2026, 11, 20, 12, 30, tzinfo=BERLIN))
    )
    assert str(cramp.night) == "2026-11-20"
    response = staff_client.post(
        url(User, "change", alice.pk), profile_form(alice, timezone="America/New_York")
    )
    assert response.status_code == 302
    cramp.refresh_from_db()
    assert (cramp.timezone, str(cramp.night)) == ("Europe/Berlin", "2026-11-20")


def test_staff_add_a_cramp_lived_in_another_zone_dated_there(staff_client, alice):
    # 02:30 UTC is 11:30 in Tokyo: a day cramp, of the night of the 19th (03:30, in the window, in Berlin).
    response = cramp_added(staff_client, alice, timezone="Asia/Tokyo", activity="resting")
    assert response.status_code == 302
    cramp = CrampEpisode.objects.get()
    assert (cramp.timezone, str(cramp.night), cramp.is_nocturnal) == ("Asia/Tokyo", "2026-11-19", False)


def test_moving_a_patient_to_another_zone_moves_her_reminders_and_marks_her_summary_stale(
    staff_client, alice
):
    # No diary records: the summary is marked by the profile change itself, not by a record's trigger.
    reminder = reminder_create(
        patient=alice,
        data={"kind": "stretch", "local_time": time(9, 0), "weekdays": list(range(7)), "channels": ["push"]},
    )
    assert reminder.next_fire_at.astimezone(BERLIN).time() == time(9, 0)
    PatientSummary.objects.create(patient=alice, stale=False)
    response = staff_client.post(
        url(User, "change", alice.pk), profile_form(alice, timezone="America/New_York")
    )
    assert response.status_code == 302
    reminder.refresh_from_db()
    assert reminder.next_fire_at.astimezone(NEW_YORK).time() == time(9, 0)
    assert PatientSummary.objects.get(patient=alice).stale is True


def test_saving_a_patients_page_unchanged_leaves_her_summary_alone(staff_client, alice):
    PatientSummary.objects.create(patient=alice, stale=False)
    response = staff_client.post(url(User, "change", alice.pk), profile_form(alice))
    assert response.status_code == 302
    assert PatientSummary.objects.get(patient=alice).stale is False


def test_deleting_a_patient_takes_their_diary_and_access_log_with_them(staff_client, rows, alice):
    response = staff_client.post(url(User, "delete", alice.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=alice.pk).exists()
    assert not CrampEpisode.objects.exists()
    assert not AccessLogEntry.objects.exists()


def test_deleting_a_clinician_keeps_the_access_log_under_their_name(staff_client, rows, bob):
    response = staff_client.post(url(User, "delete", bob.pk), {"post": "yes"})
    assert response.status_code == 302
    entry = AccessLogEntry.objects.get()
    assert entry.clinician is None
    assert entry.clinician_name == "Bob"


def test_staff_setting_a_password_signs_the_user_out_everywhere(client, alice):
    from knox.models import AuthToken

    from diary.models import User

    AuthToken.objects.create(user=alice)
    admin_user = User.objects.create_superuser(email="staff@example.com", password="staff-password-2026")
    client.force_login(admin_user)
    response = client.post(
        f"/admin/diary/user/{alice.pk}/password/",
        {"password1": "new-stockings-2027", "password2": "new-stockings-2027", "usable_password": "true"},
    )
    assert response.status_code == 302
    assert not AuthToken.objects.filter(user=alice).exists()


# --- Staff reads of a patient's data are in the patient's access log ------------------------------

LOGGED_READS = [
    (CrampEpisode, "admin view cramps"),
    (CompressionWear, "admin view compression"),
    (Elevation, "admin view elevations"),
    (Hydration, "admin view hydration"),
    (CheckIn, "admin view checkins"),
    (Medication, "admin view medications"),
    (FactorEntry, "admin view factor-entries"),
    (Factor, "admin view factors"),
    (ClaudicationAnswer, "admin view claudication"),
    (PatientSummary, "admin view summary"),
    (Reminder, "admin view reminders"),
    (CareLink, "admin view sharing links"),
    (ShareCode, "admin view share codes"),
    (Delivery, "admin view deliveries"),
    (PushSubscription, "admin view push subscriptions"),
    (AuthToken, "admin view sign-in tokens"),
    (UrgentAlert, "admin view urgent alerts"),
    (InsightAcknowledgement, "admin view acknowledgements"),
]

# The admins whose pages are not in a patient's access log, and why. Every other registered admin must
# log (the test below walks the registry): a new one cannot forget it.
READS_NOT_LOGGED = {
    AccessLogEntry: "it is the log of who read a diary, not the diary; logging each look at it would "
    "write to the very list being read",
    Group: "staff permission groups: no patient's rows",
    Clinic: "a clinic, its clinician members and invites: no patient's rows (its links are on CareLink's)",
}
# Admins whose change pages are logged but not their lists.
LISTS_NOT_LOGGED = {
    User: "the list shows names and emails only; a patient's own page (logged) shows her profile"
}


def admin_reads(patient=None):
    entries = AccessLogEntry.objects.filter(action__startswith="admin view")
    return entries.filter(patient=patient) if patient is not None else entries


@pytest.mark.parametrize(
    ("model", "action"), LOGGED_READS, ids=lambda value: getattr(value, "__name__", value)
)
def test_opening_a_patients_record_is_logged_for_that_patient(staff_client, root, rows, alice, model, action):
    row = model.objects.get()
    assert staff_client.get(url(model, "change", row.pk)).status_code == 200
    entry = admin_reads().get()
    assert (entry.patient, entry.clinician, entry.clinician_name, entry.action) == (
        alice,
        root,
        root.name,
        action,
    )


@pytest.mark.parametrize(
    ("model", "action"), LOGGED_READS, ids=lambda value: getattr(value, "__name__", value)
)
def test_opening_a_list_is_logged_for_the_patient_on_it(staff_client, rows, alice, model, action):
    assert staff_client.get(url(model, "changelist")).status_code == 200
    assert list(admin_reads().values_list("patient", "action")) == [(alice.pk, action)]


def test_a_list_logs_one_row_per_patient_shown_in_one_insert(staff_client, alice, carol, root):
    start = datetime(2026, 11, 1, 23, 0, tzinfo=BERLIN)
    for n in range(12):
        record_create(
            model=CrampEpisode, patient=alice if n % 3 else carol, data=cramp_data(start + timedelta(hours=n))
        )
    with CaptureQueriesContext(connection) as queries:
        assert staff_client.get(url(CrampEpisode, "changelist")).status_code == 200
    inserts = [query["sql"] for query in queries.captured_queries if query["sql"].startswith("INSERT")]
    assert len(inserts) == 1
    assert sorted(admin_reads().values_list("patient", flat=True), key=str) == sorted(
        [alice.pk, carol.pk], key=str
    )
    assert set(admin_reads().values_list("clinician", "action")) == {(root.pk, "admin view cramps")}


def test_a_list_page_shows_and_logs_only_its_own_patients(staff_client, alice, carol):
    record_create(
        model=CrampEpisode, patient=alice, data=cramp_data(datetime(2026, 11, 20, 3, 0, tzinfo=BERLIN))
    )
    record_create(
        model=CrampEpisode, patient=carol, data=cramp_data(datetime(2026, 11, 20, 4, 0, tzinfo=BERLIN))
    )
    response = staff_client.get(url(CrampEpisode, "changelist"), {"q": alice.email})
    assert response.context["cl"].result_count == 1
    assert list(admin_reads().values_list("patient", flat=True)) == [alice.pk]
    staff_client.get(url(CrampEpisode, "changelist"), {"q": "nobody@example.com"})
    assert admin_reads().count() == 1


def test_the_user_page_of_a_patient_is_logged_but_not_a_clinicians_nor_the_list(staff_client, alice, bob):
    assert staff_client.get(url(User, "changelist")).status_code == 200
    assert staff_client.get(url(User, "change", bob.pk)).status_code == 200
    assert not admin_reads().exists()
    assert staff_client.get(url(User, "change", alice.pk)).status_code == 200
    assert list(admin_reads().values_list("patient", "action")) == [(alice.pk, "admin view profile")]


def test_saving_a_record_logs_no_second_read(staff_client, alice):
    cramp, _ = record_create(
        model=CrampEpisode, patient=alice, data=cramp_data(datetime(2026, 11, 20, 3, 0, tzinfo=BERLIN))
    )
    assert staff_client.get(url(CrampEpisode, "change", cramp.pk)).status_code == 200
    response = staff_client.post(
        url(CrampEpisode, "change", cramp.pk),
        {
            "patient": alice.pk,
            "started_at_0": "2026-11-20",
            "started_at_1": "02:00:00",
            "duration_seconds": 90,
            "severity": 7,
            "muscle": "calf",
            "side": "left",
            "activity": "sleeping",
            "woke_from_sleep": "on",
        },
    )
    assert response.status_code == 302
    assert admin_reads().count() == 1


def test_the_patient_sees_staff_reads_in_their_access_log(staff_client, as_alice, root, rows):
    staff_client.get(url(CheckIn, "changelist"))
    log = as_alice.get("/api/v1/access-log/").json()["results"]
    assert {"clinician_name": root.name, "action": "admin view checkins"}.items() <= log[0].items()


def registered_models() -> list:
    return list(admin.site._registry)


def test_the_exceptions_to_logging_name_registered_admins_only():
    assert set(READS_NOT_LOGGED) | set(LISTS_NOT_LOGGED) <= set(registered_models())


@pytest.mark.parametrize(
    "model", [m for m in registered_models() if m not in READS_NOT_LOGGED], ids=lambda model: model.__name__
)
def test_every_admin_of_a_patients_rows_logs_its_pages_for_her(staff_client, rows, alice, model):
    shown = model.objects.filter(pk=alice.pk) if model is User else model.objects.all()
    assert shown.count() == 1, f"give the `rows` fixture one row of {model.__name__}, alice's"
    assert staff_client.get(url(model, "change", shown.get().pk)).status_code == 200
    assert list(admin_reads().values_list("patient", flat=True)) == [alice.pk]
    assert staff_client.get(url(model, "changelist")).status_code == 200
    logged_lists = 0 if model in LISTS_NOT_LOGGED else 1
    assert list(admin_reads().values_list("patient", flat=True)) == [alice.pk] * (1 + logged_lists)


@pytest.mark.parametrize("count", [3, 30])
def test_the_delivery_list_takes_the_same_queries_however_many_rows(
    staff_client, alice, carol, django_assert_max_num_queries, count
):
    start = datetime(2026, 11, 1, 9, 0, tzinfo=BERLIN)
    reminders = [
        reminder_create(patient=patient, data={"kind": "hydration", "local_time": time(9, 0)})
        for patient in (alice, carol)
    ]
    for n in range(count):
        Delivery.objects.create(
            reminder=reminders[n % 2], scheduled_for=start + timedelta(days=n), channel="push", status="sent"
        )
    with django_assert_max_num_queries(DELIVERY_LIST_MAX_QUERIES):
        response = staff_client.get(url(Delivery, "changelist"))
    assert response.status_code == 200
    assert sorted(admin_reads().values_list("patient", flat=True), key=str) == sorted(
        [alice.pk, carol.pk], key=str
    )
