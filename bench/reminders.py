"""Benchmark: the reminder dispatch tick, 10,000 due of 100,000 stored, and delivering them by Web Push."""

import argparse
import base64
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from datetime import time as clock
from datetime import timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import use_bench_redis  # noqa: E402

# The settings read REDIS_URL when they are imported, and the in-process Celery app sends the tick's
# tasks wherever they say: so this comes before django.setup().
REDIS_URL = use_bench_redis()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

import redis  # noqa: E402
from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from pywebpush import webpush  # noqa: E402

from bench.common import database_label, throwaway_database  # noqa: E402
from diary import push  # noqa: E402
from diary.models import Delivery, PushSubscription, Reminder, Role, User  # noqa: E402
from diary.reminders import next_fire_at  # noqa: E402
from diary.tasks import dispatch_reminders  # noqa: E402
from tests.push_service import LoopbackServer  # noqa: E402

ZONE = ZoneInfo("Europe/Berlin")
EVERY_DAY = list(range(7))
# Marks the one reminder per patient that is due, so each round can make the same ones due again.
DUE_MESSAGE = "bench: due"
CELERY_QUEUE = "celery"
DELIVERY_TIMEOUT = 15 * 60
CRYPTO_SAMPLES = 200
# Procfile.dev's worker: prefork, two processes; the rest of its settings come from config.settings.
WORKER_COMMAND = [sys.executable, "-m", "celery", "-A", "config", "worker"]
WORKER_COMMAND += ["--pool=prefork", "--concurrency=2", "--loglevel=INFO"]


class PushSink(LoopbackServer):
    """A push service on loopback that accepts every message unread. It does not decrypt, so that it
    takes as little CPU as it can from the workers on the same machine."""

    def __init__(self):
        self.received = 0
        self.lock = threading.Lock()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            # Keep-alive, as the real push services: each worker's requests.Session keeps its connection.
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status = 201 if self.path.startswith("/push/") else 404
                if status == 201:
                    with sink.lock:
                        sink.received += 1
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        super().__init__(Handler)


def browser_keys() -> tuple[str, str]:
    """One browser's p256dh and auth, shared by every subscription: pywebpush needs a real P-256 key to
    encrypt to, and making 10,000 of them would only slow the set-up."""
    public = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return push.b64url(public), push.b64url(os.urandom(16))


def build(*, patients: int, per_patient: int, sink: PushSink, now) -> list[dict]:
    """Patients with one push subscription and one due reminder each, all in the database; returns the
    fields of the reminders that are not due, for `store_future` to insert and `drop_future` to remove."""
    password = make_password(None)  # one unusable password for all: hashing 10,000 would be the set-up
    users = [
        User(
            email=f"patient{n}@bench.example.com",
            password=password,
            role=Role.PATIENT,
            timezone="Europe/Berlin",
        )
        for n in range(patients)
    ]
    User.objects.bulk_create(users, batch_size=2000)
    p256dh, auth = browser_keys()
    PushSubscription.objects.bulk_create(
        [
            PushSubscription(patient=user, endpoint=f"{sink.origin}/push/{n}", p256dh=p256dh, auth=auth)
            for n, user in enumerate(users)
        ],
        batch_size=2000,
    )
    # Due this minute, as 10,000 reminders set for the same local time are: their next occurrence is
    # then tomorrow, so a tick never finds them due twice.
    due_at = now - timedelta(seconds=1)
    local = due_at.astimezone(ZONE)
    Reminder.objects.bulk_create(
        [
            Reminder(
                patient=user,
                kind="stretch",
                local_time=clock(local.hour, local.minute),
                weekdays=EVERY_DAY,
                channels=["push"],
                message=DUE_MESSAGE,
                next_fire_at=due_at,
            )
            for user in users
        ],
        batch_size=2000,
    )
    # The others are spread over the day and scheduled from an hour ahead, so none falls due while the
    # benchmark runs.
    after = now + timedelta(hours=1)
    next_times = {}
    future = []
    for n, user in enumerate(users):
        for slot in range(1, per_patient):
            minute = (n * 37 + slot * 1440 // per_patient) % 1440
            if minute not in next_times:
                next_times[minute] = next_fire_at(
                    clock=clock(minute // 60, minute % 60), weekdays=EVERY_DAY, zone=ZONE, after=after
                )
            future.append(
                {
                    "id": uuid.uuid4(),
                    "patient_id": user.id,
                    "kind": "stretch",
                    "local_time": clock(minute // 60, minute % 60),
                    "weekdays": EVERY_DAY,
                    "channels": ["push"],
                    "next_fire_at": next_times[minute],
                }
            )
    return future


def store_future(future: list[dict]) -> None:
    Reminder.objects.bulk_create([Reminder(**fields) for fields in future], batch_size=5000)


def drop_future() -> None:
    # Plain SQL: the ORM's delete would first load all 90,000 rows to look for deliveries (none exist).
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Reminder._meta.db_table} WHERE message <> %s", [DUE_MESSAGE])


def reset(broker: redis.Redis) -> None:
    """The same 10,000 due again, no deliveries, an empty queue, and fresh table statistics."""
    Delivery.objects.all().delete()
    Reminder.objects.filter(message=DUE_MESSAGE).update(next_fire_at=timezone.now() - timedelta(seconds=1))
    broker.flushdb()
    # Without this the previous round's dead rows, and autovacuum coming for them, would land in
    # whichever measurement came next, and the planner would work from the other case's statistics.
    with connection.cursor() as cursor:
        for model in (Reminder, Delivery):
            table = model._meta.db_table
            cursor.execute(
                f"VACUUM ANALYZE {table}" if connection.vendor == "postgresql" else f"ANALYZE {table}"
            )


def tick() -> dict:
    """One dispatch tick as beat runs it, called in this process: its time, SQL statements, claims, and
    the time spent waiting on the database (the rest is Python and queueing the tasks)."""
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        claimed = dispatch_reminders()
        seconds = time.perf_counter() - started
    sql_seconds = sum(float(query["time"]) for query in captured.captured_queries)
    return {"seconds": seconds, "queries": len(captured), "sql_seconds": sql_seconds, "claimed": claimed}


def due_query_plan() -> str:
    """The plan of dispatch_due's query (the same filter, lock and order), to check it uses reminder_due."""
    with transaction.atomic():
        return (
            Reminder.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(enabled=True, next_fire_at__lte=timezone.now())
            .select_related("patient")
            .order_by("next_fire_at")[:1000]
            .explain()
        )


def measure_ticks(*, future: list[dict], due: int, broker: redis.Redis, rounds: int, explain: bool) -> dict:
    """Interleaved ticks with only the due reminders stored ("due") and with all of them ("all")."""
    runs = {"due": [], "all": []}
    plans = {}
    reset(broker)
    tick()  # warm-up: Celery's producer pool, the Redis connection, the first queries' plans
    stored = "due"
    for _ in range(rounds):
        for case in ("due", "all"):
            if case == "all" and stored == "due":
                store_future(future)
            elif case == "due" and stored == "all":
                drop_future()
            stored = case
            reset(broker)
            if explain:
                plans[case] = due_query_plan()
            result = tick()
            result["tasks"] = broker.llen(CELERY_QUEUE)
            result["queued"] = queued_deliveries(broker)
            if result["claimed"] != due or result["queued"] != due:
                raise RuntimeError(
                    f"the tick claimed {result['claimed']} and queued {result['queued']}, not {due}"
                )
            expected = due if case == "due" else due + len(future)
            if Reminder.objects.count() != expected:
                raise RuntimeError(f"{Reminder.objects.count()} reminders stored, not {expected}")
            runs[case].append(result)
    return {"runs": runs, "plans": plans}


def queued_deliveries(broker: redis.Redis) -> int:
    """How many deliveries the queued tasks name: a batch task names many, a single one one."""
    count = 0
    for raw in broker.lrange(CELERY_QUEUE, 0, -1):
        message = json.loads(raw)
        args = json.loads(base64.b64decode(message["body"]))[0]
        count += len(args[0]) if isinstance(args[0], list) else 1
    return count


def worker_database_url() -> str:
    """DATABASE_URL for a worker process, naming this benchmark's throwaway database."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(folder: Path) -> subprocess.Popen:
    """A Celery worker as Procfile.dev starts one (prefork, 2 processes), on this database and broker."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": worker_database_url(),
        "REDIS_URL": REDIS_URL,
        "CRAMPWISE_VAR_DIR": str(folder / "var"),
    }
    log = folder / "worker.log"
    with open(log, "ab") as output:
        worker = subprocess.Popen(
            [*WORKER_COMMAND, "-n", "bench-reminders@%h"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 60
    while "ready." not in log.read_text(errors="replace"):
        if worker.poll() is not None or time.monotonic() > deadline:
            stop_worker(worker)
            raise RuntimeError("the worker did not start:\n" + log.read_text(errors="replace")[-3000:])
        time.sleep(0.1)
    return worker


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


def task_seconds(log: Path) -> list[float]:
    """Each deliver task's run time as the worker logged it ("... succeeded in 0.0123s: None"): of a
    batch (deliver_batch) or of one delivery (deliver_reminder)."""
    times = []
    for line in log.read_text(errors="replace").splitlines():
        if ("deliver_batch[" in line or "deliver_reminder[" in line) and " succeeded in " in line:
            times.append(float(line.split(" succeeded in ", 1)[1].split("s:", 1)[0]))
    return times


def measure_delivery(*, due: int, sink: PushSink, broker: redis.Redis) -> dict:
    """From the tick's start until every delivery is sent, with real workers and the loopback sink."""
    reset(broker)
    with tempfile.TemporaryDirectory(prefix="crampwise-bench-worker-") as folder:
        worker = start_worker(Path(folder))
        try:
            received_before = sink.received
            started = time.perf_counter()
            result = tick()
            deadline = started + DELIVERY_TIMEOUT
            while True:
                sent = Delivery.objects.filter(status="sent").count()
                if sent >= due or time.perf_counter() > deadline:
                    break
                if not Delivery.objects.filter(status="pending").exists() or worker.poll() is not None:
                    break  # the rest ended failed or skipped, or the worker died: waiting changes nothing
                time.sleep(0.5)
            seconds = time.perf_counter() - started
        finally:
            stop_worker(worker)
        tasks = task_seconds(Path(folder) / "worker.log")
    return {
        "seconds": seconds,
        "tick_seconds": result["seconds"],
        "sent": sent,
        "received": sink.received - received_before,
        "statuses": dict(Counter(Delivery.objects.values_list("status", flat=True))),
        "timed_out": sent < due,
        "task_median_ms": statistics.median(tasks) * 1000 if tasks else None,
        "tasks_logged": len(tasks),
    }


def push_crypto_ms() -> float:
    """What pywebpush alone costs per message (encryption and the VAPID signature, no sending), with the
    app's own arguments: curl=True makes it stop short of the request."""
    subscription = PushSubscription.objects.first()
    info = {
        "endpoint": subscription.endpoint,
        "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
    }
    # curl=True writes the encrypted body to ./encrypted.data: do that in a scratch folder, not the repo.
    scratch = tempfile.mkdtemp(prefix="crampwise-push-")
    here = os.getcwd()
    os.chdir(scratch)
    started = time.perf_counter()
    for _ in range(CRYPTO_SAMPLES):
        webpush(
            subscription_info=info,
            data='{"title": "Time for your legs", "body": "A gentle stretch before bed"}' + " " * 300,
            vapid_private_key=push._vapid(settings.VAPID_PRIVATE_KEY),
            vapid_claims={"sub": settings.VAPID_SUBJECT},
            content_encoding="aes128gcm",
            ttl=push.TTL_SECONDS,
            headers={"Topic": uuid.uuid4().hex, "Urgency": "normal"},
            curl=True,
        )
    elapsed = time.perf_counter() - started
    os.chdir(here)
    shutil.rmtree(scratch, ignore_errors=True)
    return elapsed / CRYPTO_SAMPLES * 1000


def measure(
    *,
    patients: int = 10_000,
    per_patient: int = 10,
    rounds: int = 3,
    delivery: bool = True,
    explain: bool = False,
) -> dict:
    broker = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    broker.ping()  # fails here, before any set-up, when there is no Redis
    if settings.CELERY_BROKER_URL != REDIS_URL:
        raise RuntimeError("bench.reminders must be imported before anything calls django.setup()")
    broker.flushdb()
    try:
        with throwaway_database(name="reminders"), PushSink() as sink:
            started = time.perf_counter()
            future = build(patients=patients, per_patient=per_patient, sink=sink, now=timezone.now())
            setup_seconds = time.perf_counter() - started
            ticks = measure_ticks(future=future, due=patients, broker=broker, rounds=rounds, explain=explain)
            result = {
                "database": database_label(),
                "patients": patients,
                "stored": {"due": patients, "all": patients * per_patient},
                "setup_seconds": setup_seconds,
                **ticks,
                "crypto_ms": push_crypto_ms(),
            }
            # The last round left all the reminders stored: deliver from the full table.
            if delivery:
                result["delivery"] = measure_delivery(due=patients, sink=sink, broker=broker)
            return result
    finally:
        broker.flushdb()


def medians(result: dict) -> dict:
    runs = result["runs"]
    return {
        case: {
            key: statistics.median(run[key] for run in runs[case])
            for key in ("seconds", "queries", "sql_seconds")
        }
        for case in runs
    }


def run(
    patients: int = 10_000, per_patient: int = 10, skip_delivery: bool = False
) -> list[tuple[str, str, str, str]]:
    """Rows for bench/run.py: figure, this project, baseline, ratio. The baseline is the same tick with
    only the due reminders stored."""
    try:
        result = measure(patients=patients, per_patient=per_patient, delivery=not skip_delivery)
    except redis.RedisError as exc:
        return [(f"reminders: skipped, no Redis at {REDIS_URL} ({type(exc).__name__})", "", "", "")]
    median = medians(result)
    stored_all, stored_due = result["stored"]["all"], result["stored"]["due"]
    rows = [
        (
            f"dispatch tick, {patients:,} due of {stored_all:,} stored vs of {stored_due:,}, s "
            f"({result['database']})",
            f"{median['all']['seconds']:.2f}",
            f"{median['due']['seconds']:.2f}",
            f"{median['all']['seconds'] / median['due']['seconds']:.2f}",
        ),
        (
            "dispatch tick, of which waiting on SQL, s",
            f"{median['all']['sql_seconds']:.2f}",
            f"{median['due']['sql_seconds']:.2f}",
            f"{median['all']['sql_seconds'] / median['due']['sql_seconds']:.2f}",
        ),
        (
            "dispatch tick, SQL queries",
            f"{median['all']['queries']:.0f}",
            f"{median['due']['queries']:.0f}",
            f"{median['all']['queries'] / median['due']['queries']:.2f}",
        ),
    ]
    if "delivery" in result:
        delivery = result["delivery"]
        note = " (timed out)" if delivery["timed_out"] else ""
        rows += [
            (
                f"deliver {patients:,} pushes to a loopback sink, s{note}",
                f"{delivery['seconds']:.1f}",
                "",
                "",
            ),
            ("deliver pushes, deliveries/s", f"{delivery['sent'] / delivery['seconds']:.0f}", "", ""),
        ]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=10_000, help="patients, each with one reminder due")
    parser.add_argument("--per-patient", type=int, default=10, help="reminders stored per patient")
    parser.add_argument("--rounds", type=int, default=3, help="ticks of each case, interleaved")
    parser.add_argument("--skip-delivery", action="store_true", help="measure the tick only")
    parser.add_argument("--explain", action="store_true", help="print the due query's plan in each case")
    args = parser.parse_args()

    try:
        result = measure(
            patients=args.patients,
            per_patient=args.per_patient,
            rounds=args.rounds,
            delivery=not args.skip_delivery,
            explain=args.explain,
        )
    except redis.RedisError as exc:
        raise SystemExit(f"This benchmark needs Redis at {REDIS_URL} (BENCH_REDIS_URL): {exc}") from exc
    median = medians(result)
    stored = result["stored"]
    print(
        f"Reminder dispatch: {result['database']}, {result['patients']:,} due, {args.rounds} rounds "
        f"(set-up {result['setup_seconds']:.0f} s)"
    )
    headers = [f"{stored[case]:,} stored" for case in ("all", "due")]
    print(f"{'':26}{headers[0]:>16}{headers[1]:>16}{'ratio':>8}")
    all_, due = median["all"], median["due"]
    ratio = all_["seconds"] / due["seconds"]
    print(f"{'tick, s (median)':26}{all_['seconds']:>16.2f}{due['seconds']:>16.2f}{ratio:>8.2f}")
    sql_ratio = all_["sql_seconds"] / due["sql_seconds"]
    print(f"{'  of which SQL, s':26}{all_['sql_seconds']:>16.2f}{due['sql_seconds']:>16.2f}{sql_ratio:>8.2f}")
    print(f"{'tick, SQL queries':26}{all_['queries']:>16.0f}{due['queries']:>16.0f}")
    for case in ("all", "due"):
        seconds = ", ".join(f"{run['seconds']:.2f}" for run in result["runs"][case])
        print(f"  {stored[case]:,} stored, tick s by round: {seconds}")
    print(f"pywebpush alone (encrypt + VAPID signature), ms/message: {result['crypto_ms']:.2f}")
    if "delivery" in result:
        delivery = result["delivery"]
        print(
            f"deliver: {delivery['sent']:,} sent in {delivery['seconds']:.1f} s "
            f"({delivery['sent'] / delivery['seconds']:.0f}/s), sink received {delivery['received']:,}, "
            f"statuses {delivery['statuses']}{', TIMED OUT' if delivery['timed_out'] else ''}"
        )
        print(f"  that run's tick, s: {delivery['tick_seconds']:.2f}")
        if delivery["task_median_ms"] is not None:
            print(
                f"  deliver task, median run time in the worker: {delivery['task_median_ms']:.1f} ms "
                f"({delivery['tasks_logged']:,} logged)"
            )
    for case, plan in result["plans"].items():
        print(f"\ndue query plan, {stored[case]:,} stored:\n{plan}")


if __name__ == "__main__":
    main()
