"""Deliveries sent in batches: one lease and bulk writes per batch, a dead subscription or a busy push
service affecting only its own deliveries, a killed worker's batch recovered, and the VAPID token
signed once per push service."""

import base64
import json
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock

import pytest
import time_machine
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from diary import push, tasks
from diary.models import Delivery, DeliveryStatus, PushSubscription, Reminder, Role, User
from diary.services import deliveries, reminders
from tests.push_service import FakePushService
from tests.test_reminder_worker import (  # noqa: F401 - processes, redis_broker, service_env: fixtures
    all_delivered,
    delivery_states,
    due_reminders,
    processes,
    redis_broker,
    service_env,
    wait_until,
)

pytestmark = pytest.mark.django_db

# A Wednesday, 06:00 UTC: 08:00 in Berlin (alice's zone, summer time).
WEDNESDAY_8_BERLIN = datetime(2026, 6, 10, 6, 0, tzinfo=UTC)
FCM = "https://fcm.googleapis.com"
MOZILLA = "https://updates.push.services.mozilla.com"


@pytest.fixture
def push_service():
    with FakePushService() as service:
        yield service


@pytest.fixture(autouse=True)
def _fresh_vapid_tokens():
    # Tokens are kept per process; each test starts without any, whatever the clock did before it.
    push.vapid_headers.clear()
    yield
    push.vapid_headers.clear()


def subscribe(patient, push_service, name) -> PushSubscription:
    info = push_service.subscribe(name)
    return PushSubscription.objects.create(
        patient=patient, endpoint=info["endpoint"], p256dh=info["keys"]["p256dh"], auth=info["keys"]["auth"]
    )


def due_for(*patients) -> None:
    """One stretch reminder each, due at WEDNESDAY_8_BERLIN, by push."""
    Reminder.objects.bulk_create(
        Reminder(
            patient=patient,
            kind="stretch",
            local_time=clock(8, 0),
            weekdays=list(range(7)),
            channels=["push"],
            next_fire_at=WEDNESDAY_8_BERLIN,
        )
        for patient in patients
    )


def walkers(count: int) -> list[User]:
    """`count` more patients, made in one statement (hashing a password each would be the test's time)."""
    password = make_password(None)
    return User.objects.bulk_create(
        User(email=f"walker{n}@example.com", password=password, role=Role.PATIENT, timezone="Europe/Berlin")
        for n in range(count)
    )


def dispatch(at=WEDNESDAY_8_BERLIN) -> list:
    with time_machine.travel(at, tick=False):
        return reminders.dispatch_due().pending


def send_batch(ids, at=WEDNESDAY_8_BERLIN) -> list:
    with time_machine.travel(at, tick=False):
        return deliveries.deliveries_send(delivery_ids=ids)


def delivery_of(patient) -> Delivery:
    return Delivery.objects.get(reminder__patient=patient)


def token_claims(headers: dict) -> dict:
    token = headers["Authorization"].removeprefix("vapid t=").split(",", 1)[0]
    body = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


# --- A dead subscription, a busy push service -----------------------------------------------------


def test_a_dead_subscription_in_a_batch_is_removed_its_delivery_ends_with_the_reason_the_others_are_sent(
    alice, carol, push_service
):
    gone = subscribe(alice, push_service, "alices-old-phone")
    subscribe(carol, push_service, "carols-phone")
    others = walkers(3)
    for n, walker in enumerate(others):
        subscribe(walker, push_service, f"walker{n}")
    push_service.answer_next("alices-old-phone", 410)
    due_for(alice, carol, *others)

    assert send_batch(dispatch()) == []

    assert not PushSubscription.objects.filter(pk=gone.pk).exists()
    alices = delivery_of(alice)
    assert (alices.status, alices.reason) == (DeliveryStatus.FAILED, "subscription gone (410)")
    assert delivery_of(carol).status == DeliveryStatus.SENT
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 4
    assert sorted(message.subscriber for message in push_service.received) == [
        "carols-phone",
        "walker0",
        "walker1",
        "walker2",
    ]


def test_a_push_service_answering_429_for_part_of_a_batch_has_those_retried_after_its_wait_and_none_twice(
    alice, carol, push_service
):
    subscribe(alice, push_service, "alices-phone")
    subscribe(carol, push_service, "carols-phone")
    others = walkers(4)
    for n, walker in enumerate(others):
        subscribe(walker, push_service, f"walker{n}")
    # Longer than the first back-off (1 minute): the push service's own wait is the one kept.
    push_service.answer_next("alices-phone", 429, retry_after="120")
    push_service.answer_next("walker0", 429, retry_after="120")
    due_for(alice, carol, *others)

    send_batch(dispatch())

    busy = Delivery.objects.filter(status=DeliveryStatus.PENDING)
    assert {delivery.reminder.patient for delivery in busy} == {alice, others[0]}
    for delivery in busy:
        assert delivery.reason == "retrying: push service busy (429)"
        assert delivery.retry_at == WEDNESDAY_8_BERLIN + timedelta(seconds=120)
        assert delivery.lease_until is None
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 4

    # Not yet at the first back-off's end: the push service asked for two minutes.
    with time_machine.travel(WEDNESDAY_8_BERLIN + timedelta(seconds=90), tick=False):
        assert reminders.requeue_due_retries() == []
    later = WEDNESDAY_8_BERLIN + timedelta(seconds=121)
    with time_machine.travel(later, tick=False):
        requeued = reminders.requeue_due_retries()
    assert set(requeued) == {delivery.pk for delivery in busy}
    send_batch(requeued, at=later)

    assert not Delivery.objects.exclude(status=DeliveryStatus.SENT).exists()
    received = sorted(message.subscriber for message in push_service.received)
    assert received == sorted(["alices-phone", "carols-phone", *(f"walker{n}" for n in range(4))])


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("120", 120),
        ("0", 0),
        ("Wed, 10 Jun 2026 06:05:00 GMT", 300),
        ("Wed, 10 Jun 2026 05:00:00 GMT", 0),  # already past
        ("86400", push.MAX_RETRY_AFTER_SECONDS),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_a_retry_after_header_is_read_as_seconds_or_a_date_and_capped(header, seconds):
    assert push.retry_after_seconds(header, now=WEDNESDAY_8_BERLIN) == seconds


# --- The lease on a batch ---------------------------------------------------------------------------


def test_a_batch_takes_only_the_deliveries_still_pending_and_free(alice, carol, push_service):
    subscribe(alice, push_service, "alices-phone")
    subscribe(carol, push_service, "carols-phone")
    others = walkers(2)
    for n, walker in enumerate(others):
        subscribe(walker, push_service, f"walker{n}")
    due_for(alice, carol, *others)
    ids = dispatch()
    held = delivery_of(carol)
    ended = delivery_of(others[0])
    with time_machine.travel(WEDNESDAY_8_BERLIN, tick=False):
        # Another worker holds carol's, and one walker's has ended meanwhile.
        Delivery.objects.filter(pk=held.pk).update(lease_until=timezone.now() + timedelta(minutes=1))
        Delivery.objects.filter(pk=ended.pk).update(status=DeliveryStatus.SKIPPED)
        taken = deliveries.deliveries_take(delivery_ids=ids, now=timezone.now())
    assert {delivery.pk for delivery in taken} == set(ids) - {held.pk, ended.pk}
    assert [delivery.pk for delivery in taken] == [pk for pk in ids if pk in {d.pk for d in taken}]
    for delivery in Delivery.objects.filter(pk__in=[delivery.pk for delivery in taken]):
        assert delivery.attempts == 1
        assert delivery.lease_until == WEDNESDAY_8_BERLIN + deliveries.lease_length()
    assert Delivery.objects.get(pk=held.pk).attempts == 0


def test_a_batch_gives_back_untried_what_it_had_no_time_left_for(alice, carol, settings):
    settings.REMINDER_LEASE_SECONDS = 1  # half of it, 0.5 s, is the batch's time to start sends
    others = walkers(3)
    with FakePushService(delay=0.3) as slow:
        for patient, name in zip([alice, carol, *others], ["a", "c", "w0", "w1", "w2"], strict=True):
            subscribe(patient, slow, name)
        due_for(alice, carol, *others)
        ids = dispatch()
        left = send_batch(ids)
        sent_first = len(slow.received)

        assert 1 <= sent_first < 5
        assert left == ids[sent_first:]
        for delivery in Delivery.objects.filter(pk__in=left):
            assert (delivery.status, delivery.attempts, delivery.lease_until) == ("pending", 0, None)
        # The task queues them again at once, each batch starting at least one send.
        for _ in range(5):
            left = send_batch(left)
        assert left == []
        received = sorted(message.subscriber for message in slow.received)
    assert received == ["a", "c", "w0", "w1", "w2"]
    assert not Delivery.objects.exclude(status=DeliveryStatus.SENT).exists()


def test_a_batch_of_200_costs_a_bounded_number_of_queries_not_some_per_push(
    alice, push_service, django_assert_max_num_queries
):
    patients = [alice, *walkers(199)]
    for n, patient in enumerate(patients):
        subscribe(patient, push_service, f"phone{n}")
    due_for(*patients)
    ids = dispatch()
    assert len(ids) == deliveries.DELIVERY_BATCH

    # Take (lock, give up, lease), load, subscriptions, then one bulk write per 50 outcomes or half
    # second: about 12 on a quick machine, and never near the 1,000 that 5 a push would be.
    with django_assert_max_num_queries(30):
        send_batch(ids)
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 200
    assert len(push_service.received) == 200


def test_the_tick_queues_its_deliveries_in_batches(alice, carol, monkeypatch):
    queued = []
    monkeypatch.setattr(tasks.deliver_batch, "apply_async", lambda args, **options: queued.append(args[0]))
    due_for(alice, carol, *walkers(3))
    with time_machine.travel(WEDNESDAY_8_BERLIN, tick=False):
        tasks.dispatch_reminders()
    assert len(queued) == 1
    assert sorted(queued[0]) == sorted(str(pk) for pk in Delivery.objects.values_list("pk", flat=True))
    assert tasks.queue_batches(tasks.deliver_batch, list(range(450))) == 3
    assert [len(batch) for batch in queued[1:]] == [200, 200, 50]


# --- VAPID: one token per push service ------------------------------------------------------------


def test_the_vapid_token_is_signed_once_per_push_service_and_renewed_an_hour_before_it_expires():
    with time_machine.travel(WEDNESDAY_8_BERLIN, tick=False):
        first = push.vapid_headers.for_origin(FCM)
        assert push.vapid_headers.for_origin(FCM) == first
        mozilla = push.vapid_headers.for_origin(MOZILLA)
    assert mozilla != first
    assert token_claims(mozilla)["aud"] == MOZILLA
    claims = token_claims(first)
    assert claims["aud"] == FCM
    assert claims["exp"] == int(WEDNESDAY_8_BERLIN.timestamp()) + 12 * 60 * 60

    with time_machine.travel(WEDNESDAY_8_BERLIN + timedelta(hours=10, minutes=59), tick=False):
        assert push.vapid_headers.for_origin(FCM) == first
    renewed_at = WEDNESDAY_8_BERLIN + timedelta(hours=11, minutes=1)
    with time_machine.travel(renewed_at, tick=False):
        renewed = push.vapid_headers.for_origin(FCM)
    assert renewed != first
    assert token_claims(renewed)["exp"] == int(renewed_at.timestamp()) + 12 * 60 * 60


def test_a_vapid_token_is_signed_anew_when_the_clock_went_back():
    with time_machine.travel(WEDNESDAY_8_BERLIN, tick=False):
        ahead = push.vapid_headers.for_origin(FCM)
    with time_machine.travel(WEDNESDAY_8_BERLIN - timedelta(days=2), tick=False):
        now = push.vapid_headers.for_origin(FCM)
    assert token_claims(now)["exp"] < token_claims(ahead)["exp"] - 24 * 60 * 60


def test_the_pushes_of_a_batch_to_one_push_service_carry_one_token_that_it_accepts(
    alice, carol, push_service
):
    subscribe(alice, push_service, "alices-phone")
    subscribe(carol, push_service, "carols-phone")
    due_for(alice, carol)
    send_batch(dispatch())
    first, second = push_service.received  # each checked by the push service: signature, aud, exp
    assert first.vapid_claims == second.vapid_claims
    assert first.vapid_claims["aud"] == push_service.origin


# --- A worker killed mid-batch (real Redis, real worker processes) ------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_leaves_its_batch_to_the_database_and_every_phone_shows_one(
    processes,  # noqa: F811 - the fixture imported above
):
    count = 60
    with FakePushService(delay=0.05) as push_service:
        due_reminders(push_service, count)
        doomed = processes.worker("worker1")
        assert processes.dispatcher("dispatcher1").wait(timeout=60) == 0, processes.read("dispatcher1")

        push_service.wait_for(5, timeout=30)
        processes.kill(doomed)  # SIGKILL: the batch it was sending dies with it, unrecorded
        # A push already on the wire at the kill still lands: count what the dead worker sent once its
        # last requests have arrived (it sends nothing more).
        time.sleep(0.5)
        arrived_before_kill = len(push_service.received)
        assert arrived_before_kill < count, "the batch finished before the kill; slow the push service"
        # What the dead worker had not sent is still pending: under its lease, or given back at half
        # the lease and queued again (to a worker that may be the dead one). The database knows of it.
        unsent = Delivery.objects.filter(status="pending").count()
        assert unsent > 0, delivery_states()

        processes.worker("worker2")
        processes.dispatcher("recovery", "--loop", "1", "--for", "60")
        wait_until(all_delivered(count), 90, delivery_states)
        time.sleep(1)  # time for any duplicate to show up
        messages = list(push_service.received)

    by_phone: dict[str, set] = {}
    for message in messages:
        by_phone.setdefault(message.subscriber, set()).add((message.payload["tag"], message.topic))
    assert len(by_phone) == count, "every phone was told"
    for phone, sends in by_phone.items():
        # A push sent before the kill but not yet recorded is sent again, as the same notification.
        assert len(sends) == 1, f"{phone} was told with more than one tag or topic: {sends}"
    repeats = len(messages) - count
    assert repeats <= arrived_before_kill, "only what the dead worker had sent is sent again"
    assert not Delivery.objects.exclude(status="sent").exists()
    assert max(Delivery.objects.values_list("attempts", flat=True)) <= 2
