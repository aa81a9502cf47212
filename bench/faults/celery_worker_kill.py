"""Fault 4: the Celery worker SIGKILLed mid-batch; every occurrence arrives, repeats keep Topic and tag."""

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.faults.stack import PYTHON, Stack, exit_on_sigterm, run_and_report  # noqa: E402
from tests.push_service import FakePushService  # noqa: E402

REMINDERS = 40
# Slow enough that the kill finds the batch half done: 2 processes, 0.15 s a push.
PUSH_DELAY = 0.15
SENT_BEFORE_KILL = 5
DELIVERY_TIMEOUT = 90
# The same short lease and stale time as the integration test (production: 120 s and 300 s).
SERVICE_ENV = {"REMINDER_LEASE_SECONDS": "3", "REMINDER_STALE_SECONDS": "4"}


def run() -> dict:
    with Stack("fault-celery-kill", env=SERVICE_ENV) as stack, FakePushService(delay=PUSH_DELAY) as sink:
        stack.start_postgres()
        stack.start_redis()
        stack.migrate()
        spec = stack.phones_with_reminders(sink, REMINDERS)
        stack.seed({"patients": spec})
        stack.sql("UPDATE diary_reminder SET next_fire_at = now() - interval '5 seconds'")
        stack.start_worker("worker1")
        tick = stack.dispatch()
        if tick.returncode:
            raise RuntimeError(f"the tick failed:\n{tick.stderr[-3000:]}")

        sink.wait_for(SENT_BEFORE_KILL, timeout=60)
        # SIGKILL to the whole worker (parent and pool processes): its running and prefetched tasks die too.
        stack.kill("worker1")
        killed_at = time.monotonic()
        arrived_before = len(sink.received)
        states_at_kill = stack.delivery_states()

        stack.start_worker("worker2")
        # Beat's stand-in: the dispatcher queues again, from the database, what the dead worker left pending.
        dispatcher = stack.start(
            "dispatcher",
            [PYTHON, "manage.py", "dispatch_reminders", "--loop", "1", "--for", DELIVERY_TIMEOUT],
        )
        deadline = time.monotonic() + DELIVERY_TIMEOUT
        while stack.delivery_states().get("sent", 0) < REMINDERS and time.monotonic() < deadline:
            time.sleep(0.5)
        recovered_s = time.monotonic() - killed_at
        time.sleep(3)  # time for a duplicate to show up
        stack.stop(dispatcher)
        states = stack.delivery_states()
        attempts = dict(stack.sql("SELECT attempts, count(*) FROM diary_delivery GROUP BY attempts"))
        messages = list(sink.received)

    by_tag: dict[str, list] = {}
    for message in messages:
        by_tag.setdefault(message.payload["tag"], []).append((message.subscriber, message.topic))
    repeats = {tag: sends for tag, sends in by_tag.items() if len(sends) > 1}
    # A repeat is harmless only with the same Topic (the push service replaces the queued one) and the
    # same tag (the phone shows it once), to the same phone.
    mismatched = {tag: sends for tag, sends in repeats.items() if len(set(sends)) > 1}
    result = {
        "arrived_before_kill": arrived_before,
        "states_at_kill": states_at_kill,
        "recovered_s": round(recovered_s, 1),
        "deliveries": states,
        "attempts": attempts,
        "messages": len(messages),
        "occurrences": len(by_tag),
        "repeated": len(repeats),
        "repeated_with_other_topic": len(mismatched),
    }
    result["passed"] = (
        arrived_before < REMINDERS
        and states.get("sent", 0) == REMINDERS
        and len(by_tag) == REMINDERS
        and not mismatched
    )
    result["summary"] = (
        f"worker SIGKILLed after {arrived_before} of {REMINDERS} pushes had arrived (deliveries then: "
        f"{states_at_kill}); a new worker and the dispatcher's re-queue sent the rest: "
        f"{states.get('sent', 0)}/{REMINDERS} sent {result['recovered_s']} s after the kill; the push "
        f"service got {len(messages)} messages for {len(by_tag)} occurrences; {len(repeats)} occurrences "
        f"arrived twice, {len(mismatched)} of them with another Topic or to another phone; attempts per "
        f"delivery: {attempts}"
    )
    result["findings"] = []
    return result


def main() -> None:
    exit_on_sigterm()
    sys.exit(0 if run_and_report("Celery worker SIGKILLed mid-batch", run) else 1)


if __name__ == "__main__":
    main()
