"""Urgent warnings reach someone who can act: one alert per linked clinician, told once by email and
Web Push with generic text, joined while open, raised again after a review; the patient's "I got help";
the clinician's review in the list, the access log and the patient's export."""

import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from celery import current_app
from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from diary.models import (
    CareLink,
    CheckIn,
    Delivery,
    InsightAcknowledgement,
    PushSubscription,
    Role,
    UrgentAlert,
)
from diary.services import reminders
from diary.services.records import record_create
from tests import test_reminder_worker as workers
from tests.conftest import client_for, make_user
from tests.push_service import FakePushService
from tests.test_insights_api import ONE_SWOLLEN_PAINFUL_CALF
from tests.test_reminder_worker import all_delivered, delivery_states, wait_until

pytestmark = pytest.mark.django_db

CHECKINS = "/api/v1/checkins/"
ALERTS = "/api/v1/clinician/alerts/"
ACKNOWLEDGE = "/api/v1/insights/acknowledge/"
EMERGENCY = {"sudden_chest_pain_or_breathlessness": True}
GENERIC = "A patient's diary needs your attention"
# What a lock screen or an inbox must never show of alice's warning.
PRIVATE_WORDS = ("alice", "chest", "breath", "swell", "calf", "leg", "dvt", "clot", "pain", "hurt")
# The list of one page, however many alerts and patients: session-free client, so the alerts, their
# patients (joined) and the acknowledgements behind them, and the count.
ALERT_LIST_MAX_QUERIES = 4


def ago(**delta) -> str:
    return (timezone.now() - timedelta(**delta)).isoformat()


def review_url(alert) -> str:
    return f"{ALERTS}{alert.pk}/review/"


@pytest.fixture
def hana(db, alice):
    """A second clinician alice shares her diary with."""
    hana = make_user("hana@example.com", Role.CLINICIAN, timezone="Asia/Tokyo")
    CareLink.objects.create(patient=alice, clinician=hana)
    return hana


@pytest.fixture
def push_service():
    with FakePushService() as service:
        yield service


@pytest.fixture
def worker_inline():
    """Queued tasks run at once, in this process, as a worker would run them (errors raised)."""
    conf = current_app.conf
    saved = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager = conf.task_eager_propagates = True
    yield
    conf.task_always_eager, conf.task_eager_propagates = saved


@pytest.fixture
def phones(bob, hana, dave, push_service):
    """Each clinician's browser subscribed through the API, as the PWA does."""
    for name, clinician in (("bob", bob), ("hana", hana), ("dave", dave)):
        info = push_service.subscribe(name)
        assert (
            client_for(clinician).post("/api/v1/push/subscriptions/", info, format="json").status_code == 201
        )
    return push_service


@pytest.fixture
def log_checkin(as_alice, django_capture_on_commit_callbacks, worker_inline):
    """Alice logs a check-in; what it queues after commit is sent before this returns."""

    def log(**fields):
        body = {"recorded_at": ago(hours=1), **fields}
        with django_capture_on_commit_callbacks(execute=True):
            response = as_alice.post(CHECKINS, body, format="json")
        assert response.status_code in (200, 201), response.content
        return response

    return log


def mails_to(user) -> list:
    return [message for message in mail.outbox if message.to == [user.email]]


def alerts_of(clinician) -> list[dict]:
    response = client_for(clinician).get(ALERTS)
    assert response.status_code == 200
    return response.json()["results"]


# --- Raised once, told once ---------------------------------------------------------------------


def test_one_urgent_checkin_tells_each_linked_clinician_once_by_email_and_push(
    log_checkin, alice, bob, hana, dave, phones
):
    log_checkin(**EMERGENCY)

    for clinician in (bob, hana):
        alert = UrgentAlert.objects.get(patient=alice, clinician=clinician)
        assert (alert.code, alert.level, alert.reviewed_at) == ("emergency_warning", "urgent", None)
        assert len(mails_to(clinician)) == 1
        [message] = phones.messages_for(clinician.display_name.lower())
        assert message.payload["tag"] == f"alert-{alert.pk}"
    assert UrgentAlert.objects.count() == 2
    assert mails_to(dave) == [] and phones.messages_for("dave") == []
    assert alerts_of(dave) == []
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_the_lock_screen_and_the_email_carry_no_name_and_no_symptom(log_checkin, alice, bob, phones):
    alice.display_name = "Alice Mustermann"
    alice.save(update_fields=["display_name"])
    log_checkin(**EMERGENCY, **ONE_SWOLLEN_PAINFUL_CALF, notes="Chest hurts, left leg swollen")

    assert UrgentAlert.objects.filter(clinician=bob).count() == 2  # both warnings, one alert each
    pushes = phones.messages_for("bob")
    alerts = {str(alert.pk): alert for alert in UrgentAlert.objects.filter(clinician=bob)}
    assert sorted(message.payload["tag"] for message in pushes) == sorted(f"alert-{pk}" for pk in alerts)
    for message in pushes:
        alert_id = message.payload["tag"].removeprefix("alert-")
        assert message.payload == {
            "title": "Crampwise",
            "body": GENERIC,
            "tag": f"alert-{alert_id}",
            "url": "/clinician",
        }
        assert message.topic == uuid.uuid5(uuid.UUID(alert_id), "alert").hex
    emails = mails_to(bob)
    assert len(emails) == 2
    for email in emails:
        assert email.subject == GENERIC
        assert f"{settings.PUBLIC_BASE_URL}/clinician" in email.body
        assert "shares their Crampwise diary with you" in email.body
    shown = " ".join(
        [str(message.payload) for message in pushes] + [email.subject + email.body for email in emails]
    ).lower()
    assert not [word for word in PRIVATE_WORDS if word in shown]
    assert "mustermann" not in shown


def test_a_second_identical_checkin_and_a_replayed_create_tell_nobody_again(
    log_checkin, alice, bob, hana, phones
):
    first_id = str(uuid.uuid4())
    first = {"id": first_id, "recorded_at": ago(hours=3), **EMERGENCY}
    assert log_checkin(**first).status_code == 201
    assert log_checkin(**first).status_code == 200  # the offline client's replay
    log_checkin(recorded_at=ago(hours=1), **EMERGENCY)

    assert UrgentAlert.objects.count() == 2
    assert Delivery.objects.count() == 4
    assert len(mail.outbox) == 2
    assert len(phones.received) == 2
    alert = UrgentAlert.objects.get(clinician=bob)
    checkins = CheckIn.objects.filter(patient=alice).order_by("recorded_at")
    assert (alert.evidence_at, alert.last_evidence_at) == (checkins[0].recorded_at, checkins[1].recorded_at)


def test_an_offline_checkin_synced_late_or_typed_in_from_paper_raises_too(log_checkin, alice, bob, phones):
    log_checkin(recorded_at=ago(days=10), **ONE_SWOLLEN_PAINFUL_CALF)

    alert = UrgentAlert.objects.get(clinician=bob)
    assert alert.code == "urgent_dvt_warning"
    assert alert.evidence_at == CheckIn.objects.get().recorded_at
    assert timezone.now() - alert.raised_at < timedelta(minutes=1)
    assert len(mails_to(bob)) == 1


def test_an_older_checkin_joining_an_open_alert_widens_its_evidence_both_ways(log_checkin, bob, phones):
    log_checkin(recorded_at=ago(hours=2), **EMERGENCY)
    log_checkin(recorded_at=ago(hours=20), **EMERGENCY)
    log_checkin(recorded_at=ago(minutes=10), **EMERGENCY)

    alert = UrgentAlert.objects.get(clinician=bob)
    times = sorted(CheckIn.objects.values_list("recorded_at", flat=True))
    assert (alert.evidence_at, alert.last_evidence_at) == (times[0], times[-1])
    assert len(mails_to(bob)) == 1


def test_after_a_review_a_new_urgent_checkin_raises_a_new_alert(log_checkin, as_bob, bob, hana, phones):
    log_checkin(**EMERGENCY)
    first = UrgentAlert.objects.get(clinician=bob)
    assert as_bob.post(review_url(first), {"note": "Called her"}, format="json").status_code == 200

    log_checkin(recorded_at=ago(minutes=5), **EMERGENCY)

    assert UrgentAlert.objects.filter(clinician=bob).count() == 2
    assert UrgentAlert.objects.filter(clinician=hana).count() == 1  # still open: joined
    assert len(mails_to(bob)) == 2 and len(mails_to(hana)) == 1
    assert len(phones.messages_for("bob")) == 2 and len(phones.messages_for("hana")) == 1
    newest = alerts_of(bob)[0]
    assert newest["reviewed_at"] is None and newest["id"] != str(first.pk)


def test_an_alert_whose_task_was_lost_is_queued_again_by_the_dispatcher(alice, bob):
    # No commit callbacks run here: the queued task is lost, as a broker restart would lose it.
    record_create(model=CheckIn, patient=alice, data={"recorded_at": timezone.now(), **EMERGENCY})
    pending = {delivery.pk for delivery in Delivery.objects.filter(alert__clinician=bob, status="pending")}
    assert len(pending) == 2
    assert reminders.requeue_due_retries() == []  # not yet: the task may still be on its way
    with time_machine.travel(timezone.now() + reminders.stale_after() + timedelta(seconds=1)):
        assert set(reminders.requeue_due_retries()) == pending


def test_with_the_broker_down_the_urgent_checkin_is_saved_and_its_alert_waits_for_the_dispatcher(
    as_alice, bob, monkeypatch, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    from diary import tasks

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis")

    monkeypatch.setattr(tasks.deliver_batch, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_alice.post(CHECKINS, {"recorded_at": ago(hours=1), **EMERGENCY}, format="json")
    assert response.status_code == 201
    assert [i["code"] for i in response.json()["insights"]] == ["emergency_warning"]
    pending = {d.pk for d in Delivery.objects.filter(alert__clinician=bob, status="pending")}
    assert len(pending) == 2
    with time_machine.travel(timezone.now() + reminders.stale_after() + timedelta(seconds=1)):
        assert set(reminders.requeue_due_retries()) == pending


def test_a_non_urgent_checkin_raises_nothing(log_checkin, phones):
    log_checkin(heaviness=6, skin_changes=True, calf_pain_or_tenderness=True)
    assert not UrgentAlert.objects.exists() and not Delivery.objects.exists() and mail.outbox == []


def test_an_edit_that_makes_a_checkin_urgent_raises_and_an_edit_of_its_notes_does_not_again(
    as_alice, log_checkin, django_capture_on_commit_callbacks, bob, phones
):
    checkin_id = log_checkin(heaviness=2).json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        assert as_alice.patch(f"{CHECKINS}{checkin_id}/", EMERGENCY, format="json").status_code == 200
    alert = UrgentAlert.objects.get(clinician=bob)
    client_for(bob).post(review_url(alert), {}, format="json")

    with django_capture_on_commit_callbacks(execute=True):
        assert as_alice.patch(f"{CHECKINS}{checkin_id}/", {"notes": "typo"}, format="json").status_code == 200

    assert UrgentAlert.objects.filter(clinician=bob).count() == 1
    assert len(mails_to(bob)) == 1


def test_a_clinician_who_chose_email_only_gets_no_push(log_checkin, bob, hana, phones):
    assert (
        client_for(bob).patch("/api/v1/profile/", {"alert_channels": ["email"]}, format="json").status_code
        == 200
    )
    log_checkin(**EMERGENCY)

    assert list(Delivery.objects.filter(alert__clinician=bob).values_list("channel", flat=True)) == ["email"]
    assert phones.messages_for("bob") == [] and len(mails_to(bob)) == 1
    assert len(phones.messages_for("hana")) == 1


def test_a_push_only_clinician_without_a_browser_subscribed_has_the_failure_recorded(log_checkin, bob):
    bob.alert_channels = ["push"]
    bob.save(update_fields=["alert_channels"])
    log_checkin(**EMERGENCY)
    delivery = Delivery.objects.get(alert__clinician=bob)
    assert (delivery.status, delivery.reason) == ("failed", "no push subscription")
    assert mail.outbox == []


def test_a_revoked_link_is_told_nothing_and_hides_the_old_alerts(log_checkin, alice, bob, phones):
    log_checkin(**EMERGENCY)
    assert len(alerts_of(bob)) == 1
    CareLink.objects.filter(patient=alice, clinician=bob).delete()

    log_checkin(recorded_at=ago(minutes=3), **EMERGENCY)

    assert alerts_of(bob) == []
    assert len(mails_to(bob)) == 1
    alert = UrgentAlert.objects.get(clinician=bob)
    assert client_for(bob).post(review_url(alert), {}, format="json").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_two_checkins_saved_at_the_same_moment_open_one_alert(alice, bob):
    """The first save holds its alert uncommitted while the second looks: the second finds none open,
    its insert waits on the unique index, fails when the first commits, and joins it instead."""
    data = {"recorded_at": timezone.now() - timedelta(hours=1), **EMERGENCY}
    first_saved, errors = threading.Event(), []

    def first():
        try:
            with transaction.atomic():
                record_create(model=CheckIn, patient=alice, data=data)
                first_saved.set()
                time.sleep(1.0)  # the second save is waiting on the index by now
        except Exception as exc:  # reported below, in the test's own thread
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    assert first_saved.wait(10)
    record_create(
        model=CheckIn, patient=alice, data={**data, "recorded_at": data["recorded_at"] + timedelta(minutes=1)}
    )
    thread.join()

    assert errors == []
    assert CheckIn.objects.count() == 2
    alert = UrgentAlert.objects.get()
    assert alert.last_evidence_at == data["recorded_at"] + timedelta(minutes=1)
    assert Delivery.objects.filter(alert=alert).count() == 2  # push and email, from the first only


# --- The clinician's channels ---------------------------------------------------------------------


@pytest.mark.parametrize("channels", [["push"], ["email"], ["email", "push"]])
def test_a_clinician_chooses_push_email_or_both(as_bob, bob, channels):
    response = as_bob.patch("/api/v1/profile/", {"alert_channels": channels}, format="json")
    assert response.status_code == 200
    assert response.json()["alert_channels"] == [c for c in ("push", "email") if c in channels]
    bob.refresh_from_db()
    assert sorted(bob.alert_channels) == sorted(channels)


@pytest.mark.parametrize("channels", [[], ["sms"], ["push", "pager"], "push", None])
def test_a_clinician_keeps_at_least_one_known_channel(as_bob, bob, channels):
    response = as_bob.patch("/api/v1/profile/", {"alert_channels": channels}, format="json")
    assert response.status_code == 400
    assert "alert_channels" in response.json()
    bob.refresh_from_db()
    assert bob.alert_channels == ["push", "email"]


def test_an_empty_choice_says_to_keep_one_way(as_bob):
    response = as_bob.patch("/api/v1/profile/", {"alert_channels": []}, format="json")
    assert response.json()["alert_channels"] == ["Keep at least one way to be told of urgent warnings."]


def test_a_patient_reads_the_channels_but_cannot_set_them(as_alice, alice):
    assert as_alice.get("/api/v1/profile/").json()["alert_channels"] == ["push", "email"]
    response = as_alice.patch("/api/v1/profile/", {"alert_channels": ["email"]}, format="json")
    assert response.status_code == 400
    assert "alert_channels" in response.json()


def test_a_clinician_subscribes_a_browser_and_unsubscribes_it(as_bob, bob, push_service):
    info = push_service.subscribe("bob")
    assert as_bob.get("/api/v1/push/vapid-key/").status_code == 200
    assert as_bob.post("/api/v1/push/subscriptions/", info, format="json").status_code == 201
    assert PushSubscription.objects.get().patient == bob
    assert (
        as_bob.delete(
            "/api/v1/push/subscriptions/", {"endpoint": info["endpoint"]}, format="json"
        ).status_code
        == 204
    )
    assert not PushSubscription.objects.exists()


# --- The clinician's list and review --------------------------------------------------------------


def test_the_list_shows_each_clinician_their_own_alerts_with_the_contract_fields(
    log_checkin, alice, bob, hana
):
    log_checkin(**EMERGENCY)

    [item] = alerts_of(bob)
    alert = UrgentAlert.objects.get(clinician=bob)
    assert set(item) == {
        "id",
        "patient",
        "patient_name",
        "clinic",
        "clinic_name",
        "code",
        "level",
        "title",
        "raised_at",
        "evidence_at",
        "last_evidence_at",
        "patient_timezone",
        "acknowledged_by_patient_at",
        "acknowledgement",
        "reviewed_at",
        "reviewed_by",
        "reviewed_by_name",
        "note",
    }
    assert (item["id"], item["patient"], item["patient_name"], item["patient_timezone"]) == (
        str(alert.pk),
        str(alice.pk),
        "Alice",
        "Europe/Berlin",
    )
    assert (item["code"], item["level"]) == ("emergency_warning", "urgent")
    assert item["title"] == "Sudden chest pain or breathlessness reported"
    assert (item["clinic"], item["clinic_name"]) == (None, None)  # bob's own: a link with him alone
    assert (item["acknowledgement"], item["reviewed_at"], item["reviewed_by"], item["note"]) == (
        None,
        None,
        None,
        "",
    )
    [hanas] = alerts_of(hana)
    assert hanas["id"] != item["id"]


def test_the_list_puts_open_alerts_first_then_the_newest_and_filters_by_status(
    log_checkin, as_bob, alice, bob, carol
):
    CareLink.objects.create(patient=carol, clinician=bob)
    log_checkin(recorded_at=ago(hours=5), **EMERGENCY)
    reviewed = UrgentAlert.objects.get()
    as_bob.post(review_url(reviewed), {}, format="json")
    record_create(
        model=CheckIn, patient=carol, data={"recorded_at": timezone.now(), **ONE_SWOLLEN_PAINFUL_CALF}
    )
    log_checkin(recorded_at=ago(hours=2), **ONE_SWOLLEN_PAINFUL_CALF)
    carols = UrgentAlert.objects.get(patient=carol)
    alices_open = UrgentAlert.objects.get(patient=alice, reviewed_at__isnull=True)

    assert [item["id"] for item in alerts_of(bob)] == [str(alices_open.pk), str(carols.pk), str(reviewed.pk)]
    assert [item["id"] for item in as_bob.get(ALERTS, {"status": "open"}).json()["results"]] == [
        str(alices_open.pk),
        str(carols.pk),
    ]
    assert [item["id"] for item in as_bob.get(ALERTS, {"status": "reviewed"}).json()["results"]] == [
        str(reviewed.pk)
    ]


@pytest.mark.parametrize("status", ["closed", "OPEN", "open,reviewed"])
def test_a_bad_status_is_a_400_naming_it(as_bob, status):
    response = as_bob.get(ALERTS, {"status": status})
    assert response.status_code == 400
    assert "status" in response.json()


def test_patients_cannot_read_the_alert_list(as_alice, as_carol):
    assert as_alice.get(ALERTS).status_code == 403
    assert as_carol.get(ALERTS).status_code == 403


@pytest.mark.parametrize("count", [2, 12])
def test_the_list_takes_the_same_few_queries_however_many_alerts(bob, django_assert_max_num_queries, count):
    patients = [make_user(f"walker{count}-{index}@example.com", Role.PATIENT) for index in range(count)]
    for index, patient in enumerate(patients):
        CareLink.objects.create(patient=patient, clinician=bob)
        record_create(
            model=CheckIn,
            patient=patient,
            data={
                "recorded_at": timezone.now() - timedelta(hours=index + 1),
                **EMERGENCY,
                **ONE_SWOLLEN_PAINFUL_CALF,
            },
        )
        InsightAcknowledgement.objects.create(patient=patient, code="emergency_warning", action="seen_doctor")
        client_for(patient).post(
            ACKNOWLEDGE, {"code": "emergency_warning", "action": "got_help"}, format="json"
        )
    with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(ALERT_LIST_MAX_QUERIES):
        items = alerts_of(bob)
    assert len(items) == 2 * count
    assert {item["acknowledgement"] for item in items if item["code"] == "emergency_warning"} == {"got_help"}
    assert len(queries) <= ALERT_LIST_MAX_QUERIES


def test_a_review_closes_the_alert_with_the_note_and_is_in_the_patients_access_log(
    log_checkin, as_alice, as_bob, alice, bob
):
    log_checkin(**EMERGENCY)
    alert = UrgentAlert.objects.get(clinician=bob)

    response = as_bob.post(review_url(alert), {"note": "Phoned her; she is at the ER."}, format="json")

    assert response.status_code == 200
    item = response.json()
    assert item["reviewed_by"] == str(bob.pk) and item["reviewed_by_name"] == "Bob"
    assert item["note"] == "Phoned her; she is at the ER." and item["reviewed_at"] is not None
    assert alerts_of(bob)[0] == item
    log = as_alice.get("/api/v1/access-log/").json()["results"]
    assert {
        "clinician": str(bob.pk),
        "clinician_name": "Bob",
        "action": "reviewed an urgent alert",
    }.items() <= log[0].items()


def test_a_second_review_changes_nothing_and_answers_with_the_first(log_checkin, as_bob, bob):
    log_checkin(**EMERGENCY)
    alert = UrgentAlert.objects.get(clinician=bob)
    first = as_bob.post(review_url(alert), {"note": "First look"}, format="json").json()

    again = as_bob.post(review_url(alert), {"note": "Changed my mind"}, format="json")

    assert again.status_code == 200
    assert again.json() == first


def test_a_review_without_a_note_is_fine_and_a_long_note_is_a_400(log_checkin, as_bob, bob):
    log_checkin(**EMERGENCY)
    alert = UrgentAlert.objects.get(clinician=bob)
    too_long = as_bob.post(review_url(alert), {"note": "x" * 2001}, format="json")
    assert too_long.status_code == 400 and "note" in too_long.json()
    assert UrgentAlert.objects.get(pk=alert.pk).reviewed_at is None
    assert as_bob.post(review_url(alert), {}, format="json").json()["note"] == ""


def test_another_clinicians_alert_is_not_found_and_a_patient_may_not_review(
    log_checkin, as_alice, as_bob, as_carol, as_dave, bob, hana
):
    log_checkin(**EMERGENCY)
    alert = UrgentAlert.objects.get(clinician=bob)
    assert as_dave.post(review_url(alert), {}, format="json").status_code == 404
    assert client_for(hana).post(review_url(alert), {}, format="json").status_code == 404
    assert as_alice.post(review_url(alert), {}, format="json").status_code == 403
    assert as_carol.post(review_url(alert), {}, format="json").status_code == 403
    assert as_bob.post(f"{ALERTS}{uuid.uuid4()}/review/", {}, format="json").status_code == 404
    assert UrgentAlert.objects.get(pk=alert.pk).reviewed_at is None


def test_the_review_and_who_was_told_are_in_the_patients_export_not_the_deliveries(
    log_checkin, as_alice, as_bob, bob, hana
):
    log_checkin(**EMERGENCY)
    as_bob.post(review_url(UrgentAlert.objects.get(clinician=bob)), {"note": "Seen"}, format="json")

    body = as_alice.get("/api/v1/export/", {"format": "json"}).json()

    by_clinician = {row["clinician_name"]: row for row in body["urgent_alerts"]}
    assert set(by_clinician) == {"Bob", "Hana"}
    assert (by_clinician["Bob"]["reviewed_by_name"], by_clinician["Bob"]["note"]) == ("Bob", "Seen")
    assert by_clinician["Hana"]["reviewed_at"] is None
    assert body["reminder_deliveries"] == []
    csv_text = as_alice.get("/api/v1/export/", {"format": "csv"}).content.decode()
    assert "urgent_alerts" in csv_text and "Seen" in csv_text


# --- The patient's "I got help" -------------------------------------------------------------------


def acknowledge(client, code="emergency_warning", action="got_help"):
    return client.post(ACKNOWLEDGE, {"code": code, "action": action}, format="json")


def insight(client, code, path="/api/v1/insights/") -> dict:
    return next(item for item in client.get(path).json() if item["code"] == code)


def test_i_got_help_is_recorded_and_shown_to_the_patient_and_the_clinician(
    log_checkin, as_alice, as_bob, alice, bob
):
    log_checkin(**EMERGENCY)
    assert insight(as_alice, "emergency_warning")["acknowledged_at"] is None

    response = acknowledge(as_alice, action="seen_doctor")

    assert response.status_code == 200
    item = response.json()
    assert (item["code"], item["level"], item["acknowledgement"]) == (
        "emergency_warning",
        "urgent",
        "seen_doctor",
    )
    answer = InsightAcknowledgement.objects.get(patient=alice)
    assert item["acknowledged_at"] == as_alice.get("/api/v1/insights/").json()[0]["acknowledged_at"]
    assert insight(as_alice, "emergency_warning")["acknowledgement"] == "seen_doctor"
    clinicians_view = insight(as_bob, "emergency_warning", f"/api/v1/clinician/patients/{alice.pk}/insights/")
    assert clinicians_view["acknowledgement"] == "seen_doctor"
    [alert] = alerts_of(bob)
    assert alert["acknowledgement"] == "seen_doctor"
    assert alert["acknowledged_by_patient_at"] is not None
    assert UrgentAlert.objects.get(clinician=bob).acknowledged_by_patient_at == answer.acknowledged_at


def test_a_new_urgent_checkin_brings_the_warning_back_in_full(log_checkin, as_alice):
    log_checkin(recorded_at=ago(hours=3), **EMERGENCY)
    assert acknowledge(as_alice).status_code == 200

    log_checkin(recorded_at=ago(minutes=5), **EMERGENCY)

    item = insight(as_alice, "emergency_warning")
    assert (item["acknowledged_at"], item["acknowledgement"]) == (None, None)
    assert InsightAcknowledgement.objects.get().superseded_at is not None


def test_a_new_urgent_checkin_of_another_warning_leaves_the_answer_to_the_first(log_checkin, as_alice):
    log_checkin(recorded_at=ago(hours=3), **EMERGENCY)
    acknowledge(as_alice)
    log_checkin(recorded_at=ago(minutes=5), **ONE_SWOLLEN_PAINFUL_CALF)
    assert insight(as_alice, "emergency_warning")["acknowledgement"] == "got_help"
    assert insight(as_alice, "urgent_dvt_warning")["acknowledgement"] is None


def test_only_an_urgent_warning_she_has_now_can_be_acknowledged(log_checkin, as_alice, as_carol):
    log_checkin(skin_changes=True)
    assert insight(as_alice, "skin_changes")["acknowledged_at"] is None  # not urgent: always null
    for code in ("emergency_warning", "skin_changes", "x" * 41):
        response = acknowledge(as_alice, code=code)
        assert response.status_code == 400 and "code" in response.json(), code
    log_checkin(**EMERGENCY)
    assert acknowledge(as_carol).status_code == 400  # alice's warning is not carol's
    assert not InsightAcknowledgement.objects.exists()


@pytest.mark.parametrize("action", ["called_112", "", None])
def test_a_bad_action_is_a_400_naming_it(log_checkin, as_alice, action):
    log_checkin(**EMERGENCY)
    response = as_alice.post(ACKNOWLEDGE, {"code": "emergency_warning", "action": action}, format="json")
    assert response.status_code == 400 and "action" in response.json()


def test_a_clinician_cannot_acknowledge_for_the_patient(log_checkin, as_bob, as_dave):
    log_checkin(**EMERGENCY)
    assert acknowledge(as_bob).status_code == 403
    assert acknowledge(as_dave).status_code == 403


def test_the_checkin_response_carries_the_warning_unacknowledged(log_checkin):
    [raised] = log_checkin(**EMERGENCY).json()["insights"]
    assert (raised["code"], raised["acknowledged_at"], raised["acknowledgement"]) == (
        "emergency_warning",
        None,
        None,
    )


# --- Through real workers: a killed one loses no alert and sends none twice ----------------------

# The reminder worker tests' fixtures: real Redis, real Celery worker and dispatcher processes.
redis_broker, service_env, processes = workers.redis_broker, workers.service_env, workers.processes


def alerts_due(push_service: FakePushService, count: int, channels: list[str]) -> dict:
    """`count` patients, each linked to a clinician of their own with one browser subscribed, each just
    logged an urgent check-in. This process's queue is not the workers' (memory://): the dispatcher
    queues the deliveries from the database, as it does for any whose task was lost."""
    alerts = {}
    for index in range(count):
        patient = make_user(f"walker{index}@example.com", Role.PATIENT, timezone="Europe/Berlin")
        clinician = make_user(f"doctor{index}@example.com", Role.CLINICIAN, alert_channels=channels)
        CareLink.objects.create(patient=patient, clinician=clinician)
        info = push_service.subscribe(f"phone{index}")
        PushSubscription.objects.create(
            patient=clinician,
            endpoint=info["endpoint"],
            p256dh=info["keys"]["p256dh"],
            auth=info["keys"]["auth"],
        )
        data = {"recorded_at": timezone.now() - timedelta(hours=1), **EMERGENCY}
        record_create(model=CheckIn, patient=patient, data=data)
        alerts[f"phone{index}"] = UrgentAlert.objects.get(clinician=clinician)
    Delivery.objects.update(retry_at=timezone.now() - timedelta(seconds=1))
    return alerts


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_loses_no_alert_and_repeats_only_with_the_same_topic_and_tag(processes):
    count = 30
    with FakePushService(delay=0.15) as push_service:
        alerts = alerts_due(push_service, count, ["push"])
        doomed = processes.worker("worker1")
        assert processes.dispatcher("dispatcher1").wait(timeout=60) == 0, processes.read("dispatcher1")

        push_service.wait_for(5, timeout=30)
        processes.kill(doomed)  # SIGKILL, mid-batch
        assert len(push_service.received) < count, "the batch finished before the kill; slow the push service"

        processes.worker("worker2")
        processes.dispatcher("recovery", "--loop", "1", "--for", "60")
        wait_until(all_delivered(count), 90, delivery_states)
        time.sleep(1)  # time for any duplicate to show up
        messages = list(push_service.received)

    sends: dict[str, set] = {}
    for message in messages:
        sends.setdefault(message.subscriber, set()).add((message.payload["tag"], message.topic))
    assert set(sends) == set(alerts), "every clinician was told"
    for phone, alert in alerts.items():
        assert sends[phone] == {(f"alert-{alert.pk}", uuid.uuid5(alert.pk, "alert").hex)}, phone
    assert Delivery.objects.count() == count
    assert not Delivery.objects.exclude(status="sent").exists()


@pytest.mark.django_db(transaction=True)
def test_alert_emails_arrive_once_through_the_worker(processes, service_env):
    with FakePushService() as push_service:
        alerts_due(push_service, 5, ["email"])
        processes.worker("worker1")
        assert processes.dispatcher("dispatcher1").wait(timeout=60) == 0
        wait_until(all_delivered(5), 60, delivery_states)

    messages = "".join(path.read_text() for path in Path(service_env["EMAIL_FILE_PATH"]).glob("*.log"))
    assert messages.count(f"Subject: {GENERIC}") == 5
    for index in range(5):
        assert messages.count(f"To: doctor{index}@example.com") == 1
    assert "walker" not in messages and "chest" not in messages.lower()
