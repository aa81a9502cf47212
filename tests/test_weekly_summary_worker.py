"""The weekly word through real Celery workers on Redis: a batch of patients' summaries is due, the worker
sending them is killed (SIGKILL) mid-batch, a second worker finishes, and each patient gets exactly one
summary; by email, the words arrive once each."""

import time
from datetime import time as clock
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from diary.models import Delivery, Hydration, PushSubscription, Reminder
from diary.services.records import record_create
from diary.services.reminders import reminder_create
from tests.conftest import make_user
from tests.push_service import FakePushService
from tests.test_reminder_worker import (  # noqa: F401 - fixtures, used by name
    delivery_states,
    processes,
    redis_broker,
    service_env,
    wait_until,
)

pytestmark = pytest.mark.django_db(transaction=True)


def due_summaries(push_service: FakePushService, count: int, channels=("push",)) -> dict:
    """`count` patients, each with a drink logged today, a phone subscribed and a weekly summary due now."""
    names = {}
    for index in range(count):
        patient = make_user(f"weekly{index}@example.com", "patient", timezone="Europe/Berlin")
        record_create(
            model=Hydration,
            patient=patient,
            data={"taken_at": timezone.now() - timedelta(minutes=30), "volume_ml": 250},
        )
        info = push_service.subscribe(f"phone{index}")
        PushSubscription.objects.create(
            patient=patient,
            endpoint=info["endpoint"],
            p256dh=info["keys"]["p256dh"],
            auth=info["keys"]["auth"],
        )
        weekday = timezone.localtime(timezone.now(), patient.zone).weekday()
        reminder = reminder_create(
            patient=patient,
            data={
                "kind": "weekly_summary",
                "local_time": clock(19, 0),
                "weekdays": [weekday],
                "channels": list(channels),
            },
        )
        names[f"phone{index}"] = reminder
    Reminder.objects.update(next_fire_at=timezone.now() - timedelta(seconds=5))
    return names


def test_a_worker_killed_mid_batch_of_weekly_summaries_leaves_each_patient_exactly_one(processes):  # noqa: F811
    count = 30
    with FakePushService(delay=0.15) as push_service:
        summaries = due_summaries(push_service, count)
        doomed = processes.worker("worker1")
        assert processes.dispatcher("dispatcher1").wait(timeout=60) == 0, processes.read("dispatcher1")

        push_service.wait_for(4, timeout=30)
        processes.kill(doomed)  # SIGKILL, mid-batch
        arrived_before_kill = len(push_service.received)
        assert arrived_before_kill < count, "the batch finished before the kill; slow the push service"

        processes.worker("worker2")
        processes.dispatcher("recovery", "--loop", "1", "--for", "40")
        wait_until(lambda: Delivery.objects.filter(status="sent").count() == count, 60, delivery_states)
        time.sleep(1)  # time for a duplicate to show up
        messages = list(push_service.received)

    # A repeat of one occurrence carries its tag and topic: the phone shows it once.
    shown = {(message.subscriber, message.payload["tag"], message.topic) for message in messages}
    per_phone = {}
    for subscriber, _, _ in shown:
        per_phone[subscriber] = per_phone.get(subscriber, 0) + 1
    assert per_phone == {name: 1 for name in summaries}, "each patient got exactly one summary"
    assert Delivery.objects.filter(status="sent").count() == count
    assert not Delivery.objects.exclude(status="sent").exists()
    for message in messages:
        assert message.payload["title"] == "Crampwise"
        assert message.payload["body"] == "Your weekly Crampwise summary is ready"
        assert message.payload["url"].startswith("/summary/weekly?week=")


def test_weekly_summaries_by_email_carry_their_words_once_each(processes, service_env):  # noqa: F811
    with FakePushService() as push_service:
        due_summaries(push_service, 4, channels=("email",))
        processes.worker("worker1")
        assert processes.dispatcher("dispatcher1").wait(timeout=60) == 0
        wait_until(lambda: Delivery.objects.filter(status="sent").count() == 4, 60, delivery_states)

    mails = "".join(path.read_text() for path in Path(service_env["EMAIL_FILE_PATH"]).glob("*.log"))
    assert mails.count("Subject: Your weekly Crampwise summary") == 4
    assert mails.count("You logged on 1 of 7 days this week (0 of 7 the week before).") == 4
