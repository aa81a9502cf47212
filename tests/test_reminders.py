"""Reminders: the API, the dispatcher's claims and skip rules, and delivery by Web Push and email."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from diary.kinds import INSTANT_MODELS
from diary.models import (
    CheckIn,
    CompressionWear,
    Delivery,
    Elevation,
    Hydration,
    PushSubscription,
    Reminder,
    User,
)
from diary.reminders import next_fire_at
from diary.services import deliveries, reminders
from diary.services.records import record_create
from tests.conftest import make_user
from tests.push_service import FakePushService

pytestmark = pytest.mark.django_db

# A Wednesday, 06:00 UTC: 08:00 in Berlin (alice's zone, summer time).
WEDNESDAY_8_BERLIN = datetime(2026, 6, 10, 6, 0, tzinfo=UTC)


@pytest.fixture
def push_service():
    with FakePushService() as service:
        yield service


def reminder_for(patient, kind="hydration", clock=time(8, 0), channels=("push",), **extra) -> Reminder:
    with time_machine.travel(WEDNESDAY_8_BERLIN - timedelta(hours=1), tick=False):
        return reminders.reminder_create(
            patient=patient,
            data={
                "kind": kind,
                "local_time": clock,
                "weekdays": list(range(7)),
                "channels": list(channels),
                **extra,
            },
        )


def subscribe(patient, push_service, name=None) -> str:
    info = push_service.subscribe(name)
    PushSubscription.objects.create(
        patient=patient, endpoint=info["endpoint"], p256dh=info["keys"]["p256dh"], auth=info["keys"]["auth"]
    )
    return info["endpoint"].rsplit("/", 1)[-1]


def dispatch(at=WEDNESDAY_8_BERLIN) -> list:
    with time_machine.travel(at, tick=False):
        return reminders.dispatch_due().pending


def send_all(ids, at=WEDNESDAY_8_BERLIN) -> None:
    with time_machine.travel(at, tick=False):
        for delivery_id in ids:
            deliveries.delivery_send(delivery_id=delivery_id)


# --- The API ----------------------------------------------------------------------------------


def test_a_new_reminder_gets_its_next_time_in_the_patients_zone(as_alice):
    with time_machine.travel(WEDNESDAY_8_BERLIN - timedelta(hours=1), tick=False):
        response = as_alice.post("/api/v1/reminders/", {"kind": "compression_on", "local_time": "08:00"})
    assert response.status_code == 201
    body = response.json()
    assert body["weekdays"] == [0, 1, 2, 3, 4, 5, 6]
    assert body["channels"] == ["push"]
    assert body["enabled"] is True
    assert datetime.fromisoformat(body["next_fire_at"]) == WEDNESDAY_8_BERLIN


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kind", "yoga"),
        ("local_time", "25:00"),
        ("local_time", "8 o'clock"),
        ("weekdays", [7]),
        ("weekdays", [-1]),
        ("weekdays", "monday"),
        ("weekdays", list(range(8))),
        ("channels", ["sms"]),
        ("channels", []),
        ("enabled", "sometimes"),
        ("message", "x" * 201),
    ],
)
def test_bad_reminder_input_is_a_400_naming_the_field(as_alice, field, value):
    body = {"kind": "hydration", "local_time": "10:00", field: value}
    response = as_alice.post("/api/v1/reminders/", body)
    assert response.status_code == 400
    assert field in response.json()


def test_turning_a_reminder_off_clears_its_next_time_and_on_brings_it_back(as_alice, alice):
    reminder = reminder_for(alice)
    off = as_alice.patch(f"/api/v1/reminders/{reminder.pk}/", {"enabled": False}).json()
    on = as_alice.patch(f"/api/v1/reminders/{reminder.pk}/", {"enabled": True, "local_time": "21:30"}).json()
    assert off["next_fire_at"] is None
    fire = datetime.fromisoformat(on["next_fire_at"]).astimezone(alice.zone)
    assert fire.time() == time(21, 30)


def test_snooze_fires_again_after_the_minutes_chosen(as_alice, alice):
    reminder = reminder_for(alice)
    with time_machine.travel(WEDNESDAY_8_BERLIN, tick=False):
        response = as_alice.post(f"/api/v1/reminders/{reminder.pk}/snooze/", {"minutes": 30})
    assert response.status_code == 200
    assert datetime.fromisoformat(response.json()["next_fire_at"]) == WEDNESDAY_8_BERLIN + timedelta(
        minutes=30
    )


@pytest.mark.parametrize("minutes", [0, 15, 90, "soon", None])
def test_snooze_takes_only_10_30_or_60_minutes(as_alice, alice, minutes):
    reminder = reminder_for(alice)
    response = as_alice.post(f"/api/v1/reminders/{reminder.pk}/snooze/", {"minutes": minutes})
    assert response.status_code == 400
    assert "minutes" in response.json()


def test_after_a_snooze_the_regular_schedule_resumes(alice):
    reminder = reminder_for(alice)
    dispatch()
    with time_machine.travel(WEDNESDAY_8_BERLIN + timedelta(minutes=1), tick=False):
        reminders.reminder_snooze(reminder=reminder, minutes=10)
    dispatch(WEDNESDAY_8_BERLIN + timedelta(minutes=11))
    reminder.refresh_from_db()
    assert reminder.next_fire_at == WEDNESDAY_8_BERLIN + timedelta(days=1)
    assert Delivery.objects.filter(reminder=reminder).count() == 2


@pytest.mark.parametrize(
    ("kind", "model", "check"),
    [
        ("hydration", Hydration, lambda record: record.volume_ml == 250),
        ("elevation", Elevation, lambda record: record.duration_minutes == 15),
    ],
)
def test_done_logs_the_natural_record_once_per_occurrence(as_alice, alice, kind, model, check):
    reminder = reminder_for(alice, kind=kind)
    dispatch()
    with time_machine.travel(WEDNESDAY_8_BERLIN + timedelta(minutes=2), tick=False):
        first = as_alice.post(f"/api/v1/reminders/{reminder.pk}/done/", {})
        again = as_alice.post(f"/api/v1/reminders/{reminder.pk}/done/", {})
    assert first.status_code == again.status_code == 200
    assert first.json()["logged"]["id"] == str(model.objects.get(patient=alice).pk)
    assert again.json()["logged"] is None
    assert check(model.objects.get(patient=alice))
    assert Delivery.objects.get(reminder=reminder).done_at is not None


def test_done_on_stockings_on_starts_the_stockings_worn_last(as_alice, alice):
    record_create(
        model=CompressionWear,
        patient=alice,
        data={
            "started_at": WEDNESDAY_8_BERLIN - timedelta(days=1, hours=1),
            "ended_at": WEDNESDAY_8_BERLIN - timedelta(hours=14),
            "pressure_class": "30-40",
            "garment": "thigh",
            "legs": "left",
        },
    )
    reminder = reminder_for(alice, kind="compression_on")
    with time_machine.travel(WEDNESDAY_8_BERLIN, tick=False):
        response = as_alice.post(f"/api/v1/reminders/{reminder.pk}/done/", {})
    assert response.json()["logged"]["collection"] == "compression"
    worn = CompressionWear.objects.get(pk=response.json()["logged"]["id"])
    assert (worn.pressure_class, worn.garment, worn.legs, worn.ended_at) == ("30-40", "thigh", "left", None)


def test_done_on_stockings_on_with_nothing_known_asks_for_details(as_alice, alice):
    reminder = reminder_for(alice, kind="compression_on")
    response = as_alice.post(f"/api/v1/reminders/{reminder.pk}/done/", {})
    assert response.status_code == 400
    assert not CompressionWear.objects.filter(patient=alice).exists()


def test_done_on_a_stretch_reminder_logs_nothing(as_alice, alice):
    reminder = reminder_for(alice, kind="stretch")
    response = as_alice.post(f"/api/v1/reminders/{reminder.pk}/done/", {})
    assert response.status_code == 200
    assert response.json()["logged"] is None


def test_the_delivery_list_shows_every_occurrence_with_its_reason(as_alice, as_carol, alice):
    reminder_for(alice, channels=("push", "email"))
    dispatch()
    body = as_alice.get("/api/v1/reminders/deliveries/").json()
    assert body["count"] == 2
    assert {row["channel"] for row in body["results"]} == {"push", "email"}
    assert as_carol.get("/api/v1/reminders/deliveries/").json()["count"] == 0


def test_the_vapid_public_key_is_served(as_alice, settings):
    assert as_alice.get("/api/v1/push/vapid-key/").json() == {"public_key": settings.VAPID_PUBLIC_KEY}


def test_without_vapid_keys_push_says_it_is_off(as_alice, settings):
    settings.VAPID_PRIVATE_KEY = settings.VAPID_PUBLIC_KEY = ""
    assert as_alice.get("/api/v1/push/vapid-key/").status_code == 503


def test_a_browser_subscribes_and_unsubscribes(as_alice, alice):
    body = {
        "endpoint": "https://fcm.googleapis.com/fcm/send/abc",
        "keys": {"p256dh": "key", "auth": "secret"},
    }
    assert as_alice.post("/api/v1/push/subscriptions/", body).status_code == 201
    assert as_alice.post("/api/v1/push/subscriptions/", body).status_code == 201  # again: still one
    assert PushSubscription.objects.filter(patient=alice).count() == 1
    assert as_alice.delete("/api/v1/push/subscriptions/", {"endpoint": body["endpoint"]}).status_code == 204
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://evil.example.com/push/1",
        "http://fcm.googleapis.com/fcm/send/x",
        "https://10.0.0.1/x",
        "ftp://x",
    ],
)
def test_a_subscription_must_point_at_a_known_push_service(as_alice, endpoint, settings):
    settings.PUSH_ALLOW_HTTP = False
    body = {"endpoint": endpoint, "keys": {"p256dh": "key", "auth": "secret"}}
    response = as_alice.post("/api/v1/push/subscriptions/", body)
    assert response.status_code == 400
    assert "endpoint" in response.json()


def test_a_subscription_needs_its_keys(as_alice):
    response = as_alice.post("/api/v1/push/subscriptions/", {"endpoint": "https://fcm.googleapis.com/x"})
    assert response.status_code == 400
    assert "keys" in response.json()


def test_a_patient_cannot_remove_another_patients_subscription(as_carol, alice):
    PushSubscription.objects.create(
        patient=alice, endpoint="https://fcm.googleapis.com/fcm/send/a", p256dh="k", auth="a"
    )
    as_carol.delete("/api/v1/push/subscriptions/", {"endpoint": "https://fcm.googleapis.com/fcm/send/a"})
    assert PushSubscription.objects.filter(patient=alice).exists()


def test_moving_to_another_zone_moves_the_reminders(as_alice, alice):
    reminder = reminder_for(alice)
    as_alice.patch("/api/v1/profile/", {"timezone": "America/New_York"})
    reminder.refresh_from_db()
    assert reminder.next_fire_at.astimezone(alice.zone.__class__("America/New_York")).time() == time(8, 0)


# --- The dispatcher ---------------------------------------------------------------------------


def test_a_due_reminder_gets_one_pending_delivery_per_channel_and_moves_on(alice):
    reminder = reminder_for(alice, channels=("push", "email"))
    pending = dispatch()
    reminder.refresh_from_db()
    assert len(pending) == 2
    assert set(Delivery.objects.values_list("channel", "status", "scheduled_for")) == {
        ("push", "pending", WEDNESDAY_8_BERLIN),
        ("email", "pending", WEDNESDAY_8_BERLIN),
    }
    assert reminder.next_fire_at == WEDNESDAY_8_BERLIN + timedelta(days=1)


def test_a_second_tick_claims_nothing_more(alice):
    reminder_for(alice)
    dispatch()
    assert dispatch(WEDNESDAY_8_BERLIN + timedelta(seconds=30)) == []
    assert Delivery.objects.count() == 1


def test_a_reminder_not_yet_due_is_left_alone(alice):
    reminder_for(alice, clock=time(9, 0))
    assert dispatch() == []
    assert not Delivery.objects.exists()


def test_a_disabled_reminder_never_fires(alice):
    reminder = reminder_for(alice)
    reminders.reminder_update(reminder=reminder, data={"enabled": False})
    assert dispatch(WEDNESDAY_8_BERLIN + timedelta(days=2)) == []


def log_at(model, patient, moment, **data):
    field = model.TIME_FIELD
    return record_create(model=model, patient=patient, data={field: moment, **data})[0]


SKIPS = [
    (
        "morning_checkin",
        lambda alice: log_at(CheckIn, alice, WEDNESDAY_8_BERLIN - timedelta(minutes=20)),
        "check-in already logged today",
    ),
    (
        "compression_on",
        lambda alice: log_at(
            CompressionWear,
            alice,
            WEDNESDAY_8_BERLIN - timedelta(minutes=30),
            pressure_class="20-30",
            garment="knee",
            legs="both",
        ),
        "stockings already on",
    ),
    ("compression_off", lambda alice: None, "stockings already off"),
    (
        "elevation",
        lambda alice: log_at(Elevation, alice, WEDNESDAY_8_BERLIN - timedelta(hours=1), duration_minutes=45),
        "elevation target already met today",
    ),
    (
        "hydration",
        lambda alice: log_at(Hydration, alice, WEDNESDAY_8_BERLIN - timedelta(hours=1), volume_ml=2000),
        "fluid target already met today",
    ),
]


@pytest.mark.parametrize(("kind", "already_done", "reason"), SKIPS)
def test_a_reminder_whose_purpose_is_met_is_skipped_not_sent(alice, kind, already_done, reason):
    already_done(alice)
    reminder_for(alice, kind=kind)
    assert dispatch() == []
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.reason) == ("skipped", reason)


def test_yesterdays_checkin_does_not_skip_this_mornings(alice):
    log_at(CheckIn, alice, WEDNESDAY_8_BERLIN - timedelta(hours=10))  # 22:00 the evening before
    reminder_for(alice, kind="morning_checkin")
    assert len(dispatch()) == 1


def test_a_reminder_in_quiet_hours_is_skipped(alice):
    alice.quiet_start, alice.quiet_end = time(7, 0), time(9, 0)
    alice.save()
    reminder_for(alice)
    dispatch()
    assert Delivery.objects.get().reason == "quiet hours"


def test_an_occurrence_found_late_is_recorded_as_skipped_not_sent_at_a_strange_hour(alice):
    reminder_for(alice)
    dispatch(WEDNESDAY_8_BERLIN + timedelta(hours=5))
    delivery = Delivery.objects.get()
    assert delivery.status == "skipped"
    assert delivery.reason.startswith("late")


def test_every_missed_occurrence_is_accounted_for(alice):
    reminder = reminder_for(alice)
    three_days_later = WEDNESDAY_8_BERLIN + timedelta(days=3, minutes=5)
    for _ in range(5):
        dispatch(three_days_later)
    assert Delivery.objects.filter(reminder=reminder).count() == 4  # Wed, Thu, Fri skipped late; Sat due
    assert Delivery.objects.filter(status="pending").count() == 1


def test_the_dispatcher_runs_a_fixed_number_of_queries_however_many_are_due(alice):
    def tick_queries(count: int) -> int:
        Reminder.objects.all().delete()
        for index in range(count):
            patient = make_user(f"q{count}-{index}@example.com", "patient", timezone="Europe/Berlin")
            reminder_for(patient, kind="morning_checkin")
        with CaptureQueriesContext(connection) as queries:
            assert len(dispatch()) == count
        return len(queries)

    assert tick_queries(3) == tick_queries(30)


# --- Sending ----------------------------------------------------------------------------------


def test_a_push_arrives_encrypted_signed_and_generic_on_the_lock_screen(alice, push_service):
    name = subscribe(alice, push_service)
    reminder = reminder_for(alice, kind="morning_checkin", message="my left calf was swollen")
    send_all(dispatch())

    [message] = push_service.messages_for(name)
    delivery = Delivery.objects.get()
    assert delivery.status == "sent"
    assert message.encoding == "aes128gcm"
    assert int(message.ttl) > 0
    assert message.topic == deliveries.push_topic(delivery)
    assert len(message.topic) <= 32
    assert message.payload["title"] == "Time for your legs"
    assert "swollen" not in str(message.payload)
    assert message.payload["tag"] == f"reminder-{reminder.pk}-{int(WEDNESDAY_8_BERLIN.timestamp())}"
    assert message.vapid_claims["sub"] == "mailto:tests@crampwise.example.org"


@pytest.mark.parametrize("status", [404, 410])
def test_a_dead_subscription_is_removed(alice, push_service, status):
    name = subscribe(alice, push_service)
    push_service.answer_next(name, status)
    reminder_for(alice)
    send_all(dispatch())
    assert not PushSubscription.objects.exists()
    delivery = Delivery.objects.get()
    assert delivery.status == "failed"
    assert str(status) in delivery.reason


def test_one_dead_subscription_among_live_ones_still_delivers(alice, push_service):
    dead, alive = subscribe(alice, push_service), subscribe(alice, push_service)
    push_service.answer_next(dead, 410)
    reminder_for(alice)
    send_all(dispatch())
    assert Delivery.objects.get().status == "sent"
    assert len(push_service.messages_for(alive)) == 1
    assert PushSubscription.objects.count() == 1


def test_a_429_is_retried_later_with_the_same_topic_and_tag(alice, push_service):
    name = subscribe(alice, push_service)
    push_service.answer_next(name, 429)
    reminder_for(alice)
    send_all(dispatch())

    delivery = Delivery.objects.get()
    assert delivery.status == "pending"
    assert delivery.reason.startswith("retrying")
    assert delivery.retry_at == WEDNESDAY_8_BERLIN + timedelta(minutes=1)

    with time_machine.travel(WEDNESDAY_8_BERLIN + timedelta(seconds=30), tick=False):
        assert reminders.requeue_due_retries() == []  # not yet
    later = WEDNESDAY_8_BERLIN + timedelta(minutes=1, seconds=5)
    with time_machine.travel(later, tick=False):
        requeued = reminders.requeue_due_retries()
    assert requeued == [delivery.pk]
    send_all(requeued, at=later)

    delivery.refresh_from_db()
    assert delivery.status == "sent"
    [message] = push_service.messages_for(name)
    assert message.topic == deliveries.push_topic(delivery)
    assert message.payload["tag"] == deliveries.occurrence_tag(delivery)


def test_a_push_service_that_keeps_failing_ends_in_failed_with_the_reason(alice, push_service):
    name = subscribe(alice, push_service)
    push_service.answer_next(name, *([503] * deliveries.MAX_ATTEMPTS))
    reminder_for(alice)
    ids = dispatch()
    moment = WEDNESDAY_8_BERLIN
    for _ in range(deliveries.MAX_ATTEMPTS):
        send_all(ids, at=moment)
        moment += timedelta(minutes=20)
    delivery = Delivery.objects.get()
    assert delivery.status == "failed"
    assert delivery.reason.startswith("gave up")
    assert delivery.attempts == deliveries.MAX_ATTEMPTS


def test_without_a_subscription_a_push_fails_with_the_reason(alice):
    reminder_for(alice)
    send_all(dispatch())
    assert Delivery.objects.get().reason == "no push subscription"


def test_a_delivery_already_sent_is_never_sent_again(alice, push_service):
    name = subscribe(alice, push_service)
    reminder_for(alice)
    ids = dispatch()
    send_all(ids)
    send_all(ids)
    assert len(push_service.messages_for(name)) == 1


def test_a_delivery_another_worker_holds_is_left_to_it(alice, push_service):
    name = subscribe(alice, push_service)
    reminder_for(alice)
    [delivery_id] = dispatch()
    with time_machine.travel(WEDNESDAY_8_BERLIN, tick=False):
        assert deliveries.delivery_take(delivery_id=delivery_id, now=timezone.now()) is not None
        deliveries.delivery_send(delivery_id=delivery_id)
    assert push_service.messages_for(name) == []


def test_an_email_reminder_is_sent_with_generic_text(alice):
    reminder_for(alice, kind="evening_checkin", channels=("email",), message="swelling diary")
    send_all(dispatch())
    [email] = mail.outbox
    assert email.to == [alice.email]
    assert email.subject == "Time for your legs"
    assert "swelling" not in email.body
    assert Delivery.objects.get().status == "sent"


def test_an_email_interrupted_mid_send_is_failed_not_sent_twice(alice):
    reminder_for(alice, channels=("email",))
    [delivery_id] = dispatch()
    # A worker marked the send as started, then died before recording the result.
    Delivery.objects.filter(pk=delivery_id).update(send_started_at=WEDNESDAY_8_BERLIN)
    send_all([delivery_id], at=WEDNESDAY_8_BERLIN + timedelta(minutes=6))
    delivery = Delivery.objects.get()
    assert delivery.status == "failed"
    assert "interrupted" in delivery.reason
    assert mail.outbox == []


def test_a_delivery_left_pending_by_a_dead_worker_is_requeued_from_the_database(alice, push_service):
    name = subscribe(alice, push_service)
    reminder_for(alice)
    [delivery_id] = dispatch()
    # A worker took it and died: its lease runs out, and so does the time the delivery may stay pending.
    with time_machine.travel(WEDNESDAY_8_BERLIN, tick=False):
        deliveries.delivery_take(delivery_id=delivery_id, now=timezone.now())
    later = WEDNESDAY_8_BERLIN + timedelta(minutes=6)
    with time_machine.travel(later, tick=False):
        assert reminders.requeue_due_retries() == [delivery_id]
    send_all([delivery_id], at=later)
    assert Delivery.objects.get().status == "sent"
    assert len(push_service.messages_for(name)) == 1


# --- The notification's own buttons ----------------------------------------------------------


def test_the_notifications_done_button_logs_the_record_with_its_token(anonymous, alice, push_service):
    name = subscribe(alice, push_service)
    reminder_for(alice, kind="hydration")
    send_all(dispatch())
    token = push_service.messages_for(name)[0].payload["action_token"]

    with time_machine.travel(WEDNESDAY_8_BERLIN + timedelta(minutes=3), tick=False):
        response = anonymous.post("/api/v1/reminders/actions/", {"token": token, "action": "done"})
        again = anonymous.post("/api/v1/reminders/actions/", {"token": token, "action": "done"})

    assert response.status_code == 200
    assert again.json()["logged"] is None
    assert Hydration.objects.filter(patient=alice).count() == 1


def test_the_notifications_snooze_button_snoozes_30_minutes(anonymous, alice, push_service):
    name = subscribe(alice, push_service)
    reminder = reminder_for(alice)
    send_all(dispatch())
    token = push_service.messages_for(name)[0].payload["action_token"]
    with time_machine.travel(WEDNESDAY_8_BERLIN + timedelta(minutes=1), tick=False):
        anonymous.post("/api/v1/reminders/actions/", {"token": token, "action": "snooze"})
    reminder.refresh_from_db()
    assert reminder.next_fire_at == WEDNESDAY_8_BERLIN + timedelta(minutes=31)


def test_a_forged_or_expired_action_token_is_refused(anonymous, alice, push_service):
    name = subscribe(alice, push_service)
    reminder_for(alice, kind="hydration")
    send_all(dispatch())
    token = push_service.messages_for(name)[0].payload["action_token"]
    forged = anonymous.post("/api/v1/reminders/actions/", {"token": token[:-2] + "xx", "action": "done"})
    with time_machine.travel(WEDNESDAY_8_BERLIN + timedelta(days=2), tick=False):
        expired = anonymous.post("/api/v1/reminders/actions/", {"token": token, "action": "done"})
    assert forged.status_code == expired.status_code == 400
    assert not Hydration.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kind", "nap"),
        ("local_time", "noon"),
        ("weekdays", [1, 9]),
        ("channels", ["pigeon"]),
        ("enabled", []),
    ],
)
def test_a_bad_edit_is_a_400_naming_the_field_and_changes_nothing(as_alice, alice, field, value):
    reminder = reminder_for(alice)
    response = as_alice.patch(f"/api/v1/reminders/{reminder.pk}/", {field: value})
    assert response.status_code == 400
    assert field in response.json()
    assert Reminder.objects.get(pk=reminder.pk).kind == "hydration"


def test_done_with_a_malformed_occurrence_is_a_400(as_alice, alice):
    reminder = reminder_for(alice)
    response = as_alice.post(f"/api/v1/reminders/{reminder.pk}/done/", {"occurrence": "this morning"})
    assert response.status_code == 400
    assert "occurrence" in response.json()


@pytest.mark.parametrize(
    "body",
    [{}, {"token": "x"}, {"token": "x", "action": "dance"}, {"token": "x", "action": "snooze", "minutes": 5}],
)
def test_a_malformed_notification_action_is_a_400(anonymous, body):
    assert anonymous.post("/api/v1/reminders/actions/", body).status_code == 400


def test_a_tick_over_300_due_in_three_zones_gives_each_one_delivery_and_its_own_next_time(
    django_assert_max_num_queries,
):
    # Around the US spring-forward (Sunday 8 March 2026): New York's 02:30 does not exist that night.
    now = datetime(2026, 3, 7, 12, 0, tzinfo=UTC)
    zones = ["Europe/Berlin", "America/New_York", "Australia/Sydney"]
    clocks = [time(2, 30), time(8, 0), time(21, 45)]
    weekday_sets = [list(range(7)), [5, 6], [0, 2, 4]]
    kinds = ["stretch", "hydration", "morning_checkin", "compression_off", "weekly_summary"]
    patients = User.objects.bulk_create(
        User(email=f"p{n}@example.com", role="patient", timezone=zones[n % 3], quiet_start=None)
        for n in range(300)
    )
    due = []
    for n, patient in enumerate(patients):
        clock, weekdays = clocks[n // 3 % 3], weekday_sets[n // 9 % 3]
        zone = ZoneInfo(patient.timezone)
        # Its last occurrence before now: some are minutes old, some hours (recorded as late).
        occurrence = next_fire_at(clock=clock, weekdays=weekdays, zone=zone, after=now - timedelta(days=8))
        while (following := next_fire_at(clock=clock, weekdays=weekdays, zone=zone, after=occurrence)) <= now:
            occurrence = following
        due.append(
            Reminder(
                patient=patient,
                kind=kinds[n % 5],
                local_time=clock,
                weekdays=weekdays,
                channels=["push"],
                next_fire_at=occurrence,
            )
        )
    Reminder.objects.bulk_create(due)

    # The claim, four reads of today's records, one per kind for the weekly summaries, one insert, one
    # update, and the savepoint's two: however many are due.
    with django_assert_max_num_queries(9 + len(INSTANT_MODELS)):
        dispatched = reminders.dispatch_due(now=now)

    assert dispatched.claimed == 300
    assert Delivery.objects.count() == 300
    for reminder in due:
        [delivery] = Delivery.objects.filter(reminder=reminder)
        assert delivery.scheduled_for == reminder.next_fire_at
        expected = next_fire_at(
            clock=reminder.local_time,
            weekdays=reminder.weekdays,
            zone=ZoneInfo(reminder.patient.timezone),
            after=reminder.next_fire_at,
        )
        reminder.refresh_from_db(fields=["next_fire_at"])
        assert reminder.next_fire_at == expected
    assert set(dispatched.pending) == set(
        Delivery.objects.filter(status="pending").values_list("id", flat=True)
    )
    assert reminders.dispatch_due(now=now).claimed == 0  # each occurrence once: nothing is due again
    assert Delivery.objects.count() == 300


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the tick's arrays are PostgreSQL's")
def test_the_ticks_array_text_reads_back_as_the_values_it_was_made_of():
    values = ['late, by "an hour"', "back\\slash", "NULL", None, "", "{braces}", "Grüße 08:00–09:00"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::varchar[]", [reminders._array_text(values)])
        assert cursor.fetchone()[0] == values
        moment = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
        cursor.execute("SELECT %s::timestamptz[]", [reminders._array_text([moment, None])])
        assert cursor.fetchone()[0] == [moment, None]
