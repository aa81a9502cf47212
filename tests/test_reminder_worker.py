"""Reminders end to end: real Redis, real Celery worker processes, real encrypted Web Push to a
loopback push service. Each occurrence arrives; a worker killed mid-batch loses nothing, and a
repeat carries the same Topic and tag; two dispatchers at once send nothing twice."""

import os
import signal
import subprocess
import sys
import time
from datetime import time as clock
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.db import connection
from django.utils import timezone

from diary.models import Delivery, PushSubscription, Reminder
from diary.services.reminders import reminder_create
from tests.conftest import make_user, postgres_url, require, worker_redis_url
from tests.push_service import FakePushService

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def redis_broker(worker_id):
    """The broker's Redis database, this pytest-xdist worker's own: another worker's Celery processes
    never take its tasks."""
    url = worker_redis_url(worker_id, broker=True)
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError:
        require(False, f"Redis at {url}")
    client.flushdb()
    yield url
    client.flushdb()


@pytest.fixture
def service_env(redis_broker, tmp_path):
    """The environment a worker or dispatcher process needs to share this test's database."""
    require(connection.vendor == "postgresql", "PostgreSQL")
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": postgres_url(),
        "REDIS_URL": redis_broker,
        "REMINDER_LEASE_SECONDS": "3",
        "REMINDER_STALE_SECONDS": "4",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "CRAMPWISE_VAR_DIR": str(tmp_path / "var"),
    }


class Processes:
    """Worker and dispatcher processes, each in its own process group, all stopped at the end."""

    def __init__(self, env: dict, logs: Path):
        self.env, self.logs, self.running = env, logs, []

    def start(self, name: str, *args: str) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            [sys.executable, *args],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.running.append((process, log))
        return process

    def worker(self, name: str) -> subprocess.Popen:
        process = self.start(
            name,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=prefork",
            "--concurrency=2",
            "--loglevel=INFO",
            "-n",
            f"{name}@%h",
            "--without-mingle",
            "--without-gossip",
        )
        self.wait_for_log(name, "ready.")
        return process

    def dispatcher(self, name: str, *args: str) -> subprocess.Popen:
        return self.start(name, "manage.py", "dispatch_reminders", *args)

    def wait_for_log(self, name: str, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in (self.logs / f"{name}.log").read_text(errors="replace"):
                return
            time.sleep(0.1)
        raise AssertionError(f"{name} never said {text!r}:\n" + self.read(name))

    def read(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")[-4000:]

    @staticmethod
    def kill(process: subprocess.Popen) -> None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def stop_all(self) -> None:
        for process, log in self.running:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.kill(process)
            log.close()


@pytest.fixture
def processes(service_env, tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    running = Processes(service_env, logs)
    yield running
    running.stop_all()


def due_reminders(push_service: FakePushService, count: int, channels=("push",)) -> dict:
    """`count` patients, each with one browser subscribed and one reminder due now."""
    names = {}
    for index in range(count):
        patient = make_user(f"walker{index}@example.com", "patient", timezone="Europe/Berlin")
        info = push_service.subscribe(f"phone{index}")
        PushSubscription.objects.create(
            patient=patient,
            endpoint=info["endpoint"],
            p256dh=info["keys"]["p256dh"],
            auth=info["keys"]["auth"],
        )
        reminder = reminder_create(
            patient=patient,
            data={"kind": "stretch", "local_time": clock(21, 0), "channels": list(channels), "weekdays": [0]},
        )
        names[f"phone{index}"] = reminder
    Reminder.objects.update(next_fire_at=timezone.now() - timedelta(seconds=5))
    return names


def wait_until(condition, timeout: float, describe) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(describe())


def all_delivered(expected: int):
    return lambda: Delivery.objects.filter(status="sent").count() == expected


def delivery_states() -> str:
    return str(sorted(Delivery.objects.values_list("status", "reason", "attempts")))


def test_a_batch_arrives_once_each_with_two_workers_and_two_dispatchers_on_one_redis(processes):
    with FakePushService() as push_service:
        reminders = due_reminders(push_service, 30)
        processes.worker("worker1")
        processes.worker("worker2")
        first = processes.dispatcher("dispatcher1")
        second = processes.dispatcher("dispatcher2")
        assert first.wait(timeout=60) == 0, processes.read("dispatcher1")
        assert second.wait(timeout=60) == 0, processes.read("dispatcher2")

        wait_until(all_delivered(30), 60, delivery_states)
        time.sleep(1)  # time for any duplicate to show up
        messages = push_service.received

    assert Delivery.objects.count() == 30
    assert len(messages) == 30
    assert sorted(message.subscriber for message in messages) == sorted(reminders)
    for message in messages:
        reminder = reminders[message.subscriber]
        assert message.payload["reminder"] == str(reminder.pk)
        assert message.payload["title"] == "Time for your legs"


def test_a_worker_killed_mid_batch_loses_nothing_and_repeats_only_with_the_same_topic_and_tag(processes):
    count = 40
    with FakePushService(delay=0.15) as push_service:
        due_reminders(push_service, count)
        doomed = processes.worker("worker1")
        assert processes.dispatcher("dispatcher1").wait(timeout=60) == 0, processes.read("dispatcher1")

        push_service.wait_for(5, timeout=30)
        processes.kill(doomed)  # SIGKILL, mid-batch: its prefetched and running tasks die with it
        arrived_before_kill = len(push_service.received)
        assert arrived_before_kill < count, "the batch finished before the kill; slow the push service"

        processes.worker("worker2")
        # The dispatcher re-queues what the dead worker left pending, from the database.
        processes.dispatcher("recovery", "--loop", "1", "--for", "60")
        wait_until(all_delivered(count), 90, delivery_states)
        time.sleep(1)
        messages = list(push_service.received)

    by_tag: dict[str, set] = {}
    for message in messages:
        by_tag.setdefault(message.payload["tag"], set()).add((message.subscriber, message.topic))
    assert len(by_tag) == count, "every occurrence arrived"
    for tag, sends in by_tag.items():
        assert len(sends) == 1, f"{tag} was repeated with another topic or to another phone: {sends}"
    assert not Delivery.objects.exclude(status="sent").exists()


def test_email_reminders_arrive_once_through_the_worker(processes, service_env):
    with FakePushService() as push_service:
        due_reminders(push_service, 5, channels=("email",))
        processes.worker("worker1")
        assert processes.dispatcher("dispatcher1").wait(timeout=60) == 0
        wait_until(all_delivered(5), 60, delivery_states)

    mails = list(Path(service_env["EMAIL_FILE_PATH"]).glob("*.log"))
    messages = "".join(path.read_text() for path in mails)
    assert messages.count("Subject: Time for your legs") == 5
