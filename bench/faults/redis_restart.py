"""Fault 2: Redis dies (SIGKILL, so its queue is lost) and restarts while reminders are due and being sent."""

import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.faults.clients import entry  # noqa: E402
from bench.faults.stack import PYTHON, Stack, exit_on_sigterm, http_get, http_request, run_and_report  # noqa: E402
from tests.push_service import FakePushService  # noqa: E402

PATIENTS = 60  # half due before the crash, half due while Redis is down
DOWN_FOR = 6.0
# The push service is slow enough that the crash finds most of the first half still queued in Redis.
PUSH_DELAY = 0.2
SENT_BEFORE_CRASH = 5
DELIVERY_TIMEOUT = 90
# A worker holds a delivery 3 s; a delivery left pending 5 s is queued again by the next tick (production:
# 120 s and 300 s, so there the same recovery takes about five minutes).
SERVICE_ENV = {"REMINDER_LEASE_SECONDS": "3", "REMINDER_STALE_SECONDS": "5"}


def make_due(stack: Stack, reminders: list[str]) -> None:
    stack.sql(
        "UPDATE diary_reminder SET next_fire_at = now() - interval '5 seconds' WHERE id::text = ANY(%s)",
        (reminders,),
    )


def run() -> dict:
    with Stack("fault-redis-restart", env=SERVICE_ENV) as stack, FakePushService(delay=PUSH_DELAY) as sink:
        stack.start_postgres()
        stack.start_redis()
        stack.migrate()
        spec = stack.phones_with_reminders(sink, PATIENTS)
        patients = stack.seed({"patients": spec})["patients"]
        reminders = [patient["reminder"] for patient in patients]
        first, second = reminders[: PATIENTS // 2], reminders[PATIENTS // 2 :]
        stack.start_web(workers=2)
        stack.start_worker()

        # 1. Half the reminders fall due; a tick queues their deliveries; the worker starts sending.
        make_due(stack, first)
        tick = stack.dispatch()
        if tick.returncode:
            raise RuntimeError(f"the first tick failed:\n{tick.stderr[-3000:]}")
        sink.wait_for(SENT_BEFORE_CRASH, timeout=60)

        # 2. Redis dies with the rest of them in its queue.
        stack.kill("redis")
        down_at = time.monotonic()
        arrived_before = len(sink.received)

        # 3. While it is down: the other half falls due, and a tick that was already running (it got its
        # message before the crash) claims them but cannot queue their deliveries.
        make_due(stack, second)
        readyz_down = http_get(f"{stack.base_url}/readyz", timeout=10)
        probe_id, probe_body = entry("cramps", random.Random(3))
        token = patients[0]["token"]
        cramps_url = f"{stack.base_url}/api/v1/cramps/"
        post_down = http_request("POST", cramps_url, body=probe_body, token=token, timeout=15)[0]
        read_down = http_request("GET", cramps_url, token=token, timeout=15)[0]
        # A wrong password: the sign-in failure counter lives in the cache too.
        wrong = json.dumps({"email": patients[0]["email"], "password": "not-the-password"})
        login_down = http_request("POST", f"{stack.base_url}/api/v1/auth/token/", body=wrong, timeout=15)[0]
        tick_down = stack.dispatch()
        deliveries_down = sum(stack.delivery_states().values())
        time.sleep(max(0.0, DOWN_FOR - (time.monotonic() - down_at)))

        # 4. Redis is back, empty. Beat's stand-in ticks every 2 s (beat itself ticks once a minute).
        stack.start_redis()
        up_at = time.monotonic()
        down_s = up_at - down_at
        dispatcher = stack.start(
            "dispatcher",
            [PYTHON, "manage.py", "dispatch_reminders", "--loop", "2", "--for", DELIVERY_TIMEOUT],
        )
        readyz_up = None
        deadline = time.monotonic() + DELIVERY_TIMEOUT
        while time.monotonic() < deadline:
            if readyz_up is None and http_get(f"{stack.base_url}/readyz", timeout=10)[0] == 200:
                readyz_up = time.monotonic() - up_at
            if stack.delivery_states().get("sent", 0) == PATIENTS:
                break
            time.sleep(0.5)
        all_sent_s = time.monotonic() - up_at
        time.sleep(3)  # time for a duplicate to show up
        stack.stop(dispatcher)
        post_after = http_request("POST", cramps_url, body=probe_body, token=token, timeout=15)[0]
        login_after = http_request("POST", f"{stack.base_url}/api/v1/auth/token/", body=wrong, timeout=15)[0]
        probe_rows = stack.sql("SELECT count(*) FROM diary_crampepisode WHERE id::text = %s", (probe_id,))[0][
            0
        ]
        states = stack.delivery_states()
        messages = list(sink.received)

    per_tag = Counter(message.payload["tag"] for message in messages)
    expected_tags = PATIENTS
    repeated = {tag: count for tag, count in per_tag.items() if count > 1}
    result = {
        "down_s": round(down_s, 1),
        "arrived_before_crash": arrived_before,
        "tick_while_down_exit": tick_down.returncode,
        "deliveries_written_while_down": deliveries_down,
        "readyz_while_down": readyz_down[0],
        "readyz_200_after_s": None if readyz_up is None else round(readyz_up, 1),
        "post_while_down": post_down,
        "get_while_down": read_down,
        "wrong_login_while_down": login_down,
        "wrong_login_after": login_after,
        "post_replayed_after": post_after,
        "probe_rows": probe_rows,
        "all_sent_after_s": round(all_sent_s, 1),
        "deliveries": states,
        "messages": len(messages),
        "tags": len(per_tag),
        "repeated": len(repeated),
    }
    result["passed"] = (
        states.get("sent", 0) == PATIENTS
        and len(per_tag) == expected_tags
        and not repeated
        and readyz_down[0] == 503
        and readyz_up is not None
        and probe_rows == 1
    )
    result["findings"] = []
    if post_down == 500 or login_down == 500:
        result["findings"].append(
            f"while Redis was down a signed-in POST answered {post_down} and a sign-in with a wrong password "
            f"{login_down}: the write throttle (api.throttles.WriteRateThrottle) and the sign-in failure "
            "counter read the Redis cache and its ConnectionError is not caught; reads answered "
            f"{read_down}. The PWA retries a 5xx with the same id: an entry waits on the phone, none is lost"
        )
    half = PATIENTS // 2
    result["summary"] = (
        f"Redis SIGKILLed with {half - arrived_before} of {half} due pushes still to send ({arrived_before} "
        f"had arrived), {half} more fell due while it was down ({down_s:.1f} s); a tick during the outage "
        f"exited {tick_down.returncode} with {deliveries_down} deliveries recorded; after the restart "
        f"{states.get('sent', 0)}/{PATIENTS} deliveries sent within {all_sent_s:.1f} s; the push service got "
        f"{len(messages)} messages for {len(per_tag)} occurrences, {len(repeated)} repeated; /readyz while "
        f"down {readyz_down[0]}, 200 again {result['readyz_200_after_s']} s after the restart; a POST cramp "
        f"while down answered {post_down}, its replay after {post_after}, rows with its id {probe_rows}; "
        f"GET cramps while down {read_down}; a wrong password while down {login_down}, after {login_after}"
    )
    return result


def main() -> None:
    exit_on_sigterm()
    sys.exit(0 if run_and_report("Redis restarted while reminders are due", run) else 1)


if __name__ == "__main__":
    main()
