"""Deliveries whose send crashes: one subscription's failure does not stop the others, and no delivery
is tried more than MAX_ATTEMPTS times, whatever ended its tries."""

import logging
from datetime import UTC, datetime, time, timedelta

import pytest
import pywebpush
import time_machine
from django.utils import timezone
from py_vapid import VapidException

from diary import tasks
from diary.models import Delivery, DeliveryStatus, PushSubscription
from diary.services import deliveries, reminders
from tests.push_service import FakePushService

pytestmark = pytest.mark.django_db

# A Wednesday, 06:00 UTC: 08:00 in Berlin (alice's zone, summer time).
WEDNESDAY_8_BERLIN = datetime(2026, 6, 10, 6, 0, tzinfo=UTC)


@pytest.fixture
def push_service():
    with FakePushService() as service:
        yield service


def reminder_for(patient):
    with time_machine.travel(WEDNESDAY_8_BERLIN - timedelta(hours=1), tick=False):
        return reminders.reminder_create(
            patient=patient,
            data={
                "kind": "hydration",
                "local_time": time(8, 0),
                "weekdays": list(range(7)),
                "channels": ["push"],
            },
        )


def subscribe(patient, push_service, name, **keys) -> PushSubscription:
    info = push_service.subscribe(name)
    keys = {**info["keys"], **keys}
    return PushSubscription.objects.create(patient=patient, endpoint=info["endpoint"], **keys)


def unusable_p256dh(push_service) -> str:
    """A well-formed key that is not a point on the curve: pywebpush raises ValueError on it."""
    key = push_service.subscribe()["keys"]["p256dh"]
    return key[:-4] + "AAAA"


def dispatch() -> list:
    with time_machine.travel(WEDNESDAY_8_BERLIN, tick=False):
        return reminders.dispatch_due().pending


def send_all(ids, at=WEDNESDAY_8_BERLIN) -> None:
    with time_machine.travel(at, tick=False):
        for delivery_id in ids:
            deliveries.delivery_send(delivery_id=delivery_id)


@pytest.fixture
def vapid_fails_for(monkeypatch):
    """pywebpush raising VapidException for the endpoints named, and sending normally to the rest."""
    failing: set[str] = set()
    real_encode = pywebpush.WebPusher.encode

    def encode(pusher, *args, **kwargs):
        endpoint = pusher.subscription_info["endpoint"]
        if endpoint in failing:
            raise VapidException(f"could not sign for {endpoint}")
        return real_encode(pusher, *args, **kwargs)

    monkeypatch.setattr(pywebpush.WebPusher, "encode", encode)
    return failing


# --- One subscription's crash --------------------------------------------------------------------


def test_a_subscription_whose_send_raises_does_not_stop_the_working_one(
    alice, push_service, vapid_fails_for, caplog
):
    broken = subscribe(alice, push_service, "broken")
    subscribe(alice, push_service, "working")
    vapid_fails_for.add(broken.endpoint)
    reminder_for(alice)
    with caplog.at_level(logging.WARNING, logger="diary.services.deliveries"):
        send_all(dispatch())

    assert len(push_service.messages_for("working")) == 1
    assert push_service.messages_for("broken") == []
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.SENT
    assert "VapidException" in caplog.text
    assert broken.endpoint not in caplog.text
    assert "Time for your legs" not in caplog.text


def test_a_subscription_with_a_key_pywebpush_cannot_use_does_not_stop_the_working_one(alice, push_service):
    subscribe(alice, push_service, "broken", p256dh=unusable_p256dh(push_service))
    subscribe(alice, push_service, "working")
    reminder_for(alice)
    send_all(dispatch())
    assert len(push_service.messages_for("working")) == 1
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_alone_a_subscription_whose_send_raises_fails_the_delivery_with_the_reason(
    alice, push_service, vapid_fails_for
):
    vapid_fails_for.add(subscribe(alice, push_service, "broken").endpoint)
    reminder_for(alice)
    send_all(dispatch())
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.reason == "the push could not be sent (VapidException)"
    assert (delivery.lease_until, delivery.retry_at) == (None, None)


def test_alone_a_subscription_with_an_unusable_key_fails_the_delivery_at_once(alice, push_service):
    subscribe(alice, push_service, "broken", p256dh=unusable_p256dh(push_service))
    reminder_for(alice)
    send_all(dispatch())
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert "ValueError" in delivery.reason
    assert delivery.attempts == 1


def test_a_key_pywebpush_refuses_before_sending_is_not_retried(alice, push_service):
    subscribe(alice, push_service, "broken", p256dh="AAAA")
    reminder_for(alice)
    send_all(dispatch())
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.reason == "the subscription's keys cannot be used"
    assert delivery.attempts == 1


def test_a_push_service_that_does_not_answer_leaves_the_delivery_to_a_later_try(alice, push_service):
    subscription = subscribe(alice, push_service, "phone")
    # A port nothing listens on: the connection is refused, as when the push service is down.
    with FakePushService() as gone:
        closed = gone.origin
    PushSubscription.objects.filter(pk=subscription.pk).update(
        endpoint=subscription.endpoint.replace(push_service.origin, closed)
    )
    reminder_for(alice)
    send_all(dispatch())
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.reason.startswith("retrying: push service unreachable")
    assert delivery.retry_at == WEDNESDAY_8_BERLIN + timedelta(minutes=1)
    assert PushSubscription.objects.filter(pk=subscription.pk).exists()


# --- The cap on tries ----------------------------------------------------------------------------


def pending_at_the_cap(alice, push_service, *, retry_at) -> Delivery:
    subscribe(alice, push_service, "phone")
    reminder_for(alice)
    [delivery_id] = dispatch()
    # Every try so far ended with no outcome: the worker crashed or was killed mid-send.
    Delivery.objects.filter(pk=delivery_id).update(
        attempts=deliveries.MAX_ATTEMPTS, lease_until=WEDNESDAY_8_BERLIN, retry_at=retry_at
    )
    return Delivery.objects.get(pk=delivery_id)


def test_a_delivery_that_has_had_all_its_tries_is_not_sent_again_by_the_worker(alice, push_service):
    delivery = pending_at_the_cap(alice, push_service, retry_at=WEDNESDAY_8_BERLIN + timedelta(hours=1))
    send_all([delivery.pk], at=WEDNESDAY_8_BERLIN + timedelta(minutes=10))
    assert push_service.messages_for("phone") == []
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.reason == reminders.TRIES_UNFINISHED
    assert delivery.attempts == deliveries.MAX_ATTEMPTS


def test_a_delivery_that_has_had_all_its_tries_ends_failed_at_the_dispatchers_requeue(alice, push_service):
    delivery = pending_at_the_cap(alice, push_service, retry_at=WEDNESDAY_8_BERLIN + timedelta(minutes=5))
    with time_machine.travel(WEDNESDAY_8_BERLIN + timedelta(minutes=10), tick=False):
        assert reminders.requeue_due_retries() == []
        tasks.dispatch_reminders()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.reason == reminders.TRIES_UNFINISHED
    assert (delivery.lease_until, delivery.retry_at) == (None, None)
    assert push_service.messages_for("phone") == []


def test_a_delivery_whose_worker_dies_every_time_is_tried_max_attempts_times_then_fails(alice, push_service):
    subscribe(alice, push_service, "phone")
    reminder_for(alice)
    [delivery_id] = dispatch()
    moment, queued = WEDNESDAY_8_BERLIN, [delivery_id]
    tries = 0
    while queued and tries <= deliveries.MAX_ATTEMPTS:
        with time_machine.travel(moment, tick=False):
            # A worker takes the lease and dies before any outcome is recorded.
            if deliveries.delivery_take(delivery_id=delivery_id, now=timezone.now()) is not None:
                tries += 1
        moment += reminders.stale_after() + timedelta(seconds=1)
        with time_machine.travel(moment, tick=False):
            queued = reminders.requeue_due_retries()
    delivery = Delivery.objects.get()
    assert tries == deliveries.MAX_ATTEMPTS
    assert queued == []
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.reason == reminders.TRIES_UNFINISHED
    assert push_service.messages_for("phone") == []


def test_a_delivery_below_the_cap_is_still_requeued_and_sent(alice, push_service):
    delivery = pending_at_the_cap(alice, push_service, retry_at=WEDNESDAY_8_BERLIN + timedelta(minutes=5))
    Delivery.objects.filter(pk=delivery.pk).update(attempts=deliveries.MAX_ATTEMPTS - 1)
    later = WEDNESDAY_8_BERLIN + timedelta(minutes=10)
    with time_machine.travel(later, tick=False):
        assert reminders.requeue_due_retries() == [delivery.pk]
    send_all([delivery.pk], at=later)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert len(push_service.messages_for("phone")) == 1
