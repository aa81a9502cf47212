"""Fault 3: PostgreSQL crashes (immediate stop) and restarts while patients write; /readyz follows it."""

import asyncio
import sys
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.faults.clients import reconcile, run_writers, stored_keys  # noqa: E402
from bench.faults.stack import Stack, exit_on_sigterm, http_get, run_and_report  # noqa: E402

PATIENTS = 40
WORKERS = 4
CLIENTS = 8
SECONDS = 20
DOWN_AFTER = 5.0
DOWN_FOR = 6.0
PROBE_EVERY = 0.2
KINDS = ("cramps", "checkins")


def probe_readyz(stack: Stack, probes: list, stop: threading.Event) -> None:
    """/readyz every PROBE_EVERY seconds: (when, status)."""
    while not stop.is_set():
        status, _body = http_get(f"{stack.base_url}/readyz", timeout=5)
        probes.append((time.monotonic(), status))
        stop.wait(PROBE_EVERY)


def outage(stack: Stack, times: dict) -> None:
    time.sleep(DOWN_AFTER)
    times["down"] = time.monotonic()
    # "immediate" is a crash: no checkpoint, the restart recovers from the WAL.
    stack.stop_postgres("immediate")
    time.sleep(DOWN_FOR)
    times["starting"] = time.monotonic()
    stack.start_postgres()
    times["up"] = time.monotonic()


def readyz_figures(probes: list, times: dict) -> dict:
    during = [status for moment, status in probes if times["down"] + 0.5 < moment < times["starting"]]
    after_up = [(moment, status) for moment, status in probes if moment >= times["up"]]
    first_503 = next((moment for moment, status in probes if moment >= times["down"] and status == 503), None)
    first_200 = next((moment for moment, status in after_up if status == 200), None)
    last_not_200 = max((moment for moment, status in after_up if status != 200), default=None)
    return {
        "during": dict(Counter(during)),
        "first_503_after_s": None if first_503 is None else round(first_503 - times["down"], 2),
        "first_200_after_up_s": None if first_200 is None else round(first_200 - times["up"], 2),
        "steady_200_after_up": last_not_200 is None or (first_200 is not None and last_not_200 < first_200),
        "final": probes[-1][1] if probes else None,
    }


def run() -> dict:
    with Stack("fault-pg-restart") as stack:
        stack.start_postgres()
        stack.start_redis()
        stack.migrate()
        patients = stack.seed(
            {"patients": [{"email": f"writer{n}@faults.example.com"} for n in range(PATIENTS)]}
        )
        stack.start_web(workers=WORKERS)

        probes: list = []
        times: dict = {}
        stop = threading.Event()
        prober = threading.Thread(target=probe_readyz, args=(stack, probes, stop), daemon=True)
        crasher = threading.Thread(target=outage, args=(stack, times), daemon=True)
        prober.start()
        crasher.start()
        ledger = asyncio.run(
            run_writers(
                stack.base_url,
                patients["patients"],
                clients=CLIENTS,
                seconds=SECONDS,
                pause=0.05,
                kinds=KINDS,
            )
        )
        crasher.join()
        time.sleep(2)  # a few more probes after the writers are done
        stop.set()
        prober.join()

        stored, rows = stored_keys(stack, KINDS)
        result = reconcile(ledger, stored, rows)
        result["readyz"] = readyz_figures(probes, times)
        result["down_s"] = round(times["up"] - times["down"], 1)
        # The API answers an outage with 503 and Retry-After; any other 5xx is a finding.
        result["server_errors"] = sum(
            count for reason, count in ledger.failures.items() if reason.startswith("5") and reason != "503"
        )
        if ledger.first_failure is not None:
            result["writes_failing_s"] = round(ledger.last_failure - ledger.first_failure, 1)
            result["writes_ok_after_up_s"] = round(max(0.0, ledger.last_failure - times["up"]), 2)
        readyz = result["readyz"]
        result["passed"] = (
            result["lost"] == result["invented"] == result["doubled"] == 0
            and result["acked"] == result["sent"]
            and not result["rejected"]
            and set(readyz["during"]) == {503}
            and readyz["first_200_after_up_s"] is not None
            and readyz["steady_200_after_up"]
            and readyz["final"] == 200
        )
        result["summary"] = (
            f"PostgreSQL down {result['down_s']} s (immediate stop, then start) during {SECONDS} s of writes "
            f"by {CLIENTS} clients; /readyz while down: {readyz['during']} (first 503 "
            f"{readyz['first_503_after_s']} s after the stop), 200 again {readyz['first_200_after_up_s']} s "
            f"after the restart and from then on: {readyz['steady_200_after_up']}; sent {result['sent']}, "
            f"acknowledged {result['acked']}, stored {result['stored']}; lost {result['lost']}, doubled "
            f"{result['doubled']}, not sent but stored {result['invented']}; failed attempts "
            f"{result['failed_attempts'] or 0}; retried entries answered 201: {result['retried_then_201']}, "
            f"200: {result['retried_then_200']}"
        )
        result["findings"] = []
        if result["server_errors"]:
            result["findings"].append(
                f"{result['server_errors']} write attempts answered a 5xx other than 503 while PostgreSQL "
                f"was down ({result['failed_attempts']}); the clients retried with the same ids"
            )
        return result


def main() -> None:
    exit_on_sigterm()
    sys.exit(0 if run_and_report("PostgreSQL restarted under writes", run) else 1)


if __name__ == "__main__":
    main()
