"""Fault 1: gunicorn workers SIGKILLed while patients write; the clients retry with the same ids."""

import asyncio
import os
import random
import signal
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.faults.clients import reconcile, run_writers, stored_keys  # noqa: E402
from bench.faults.stack import Stack, exit_on_sigterm, run_and_report  # noqa: E402

PATIENTS = 40
WORKERS = 4
# Four times the workers: every worker always has a request in hand, so a kill lands mid-request.
CLIENTS = 16
SECONDS = 16
FIRST_KILL_AFTER = 2.0
KILLS = 6
KILL_EVERY = 2.0
KINDS = ("cramps", "checkins")


def kill_workers(stack: Stack, killed: list) -> None:
    """SIGKILL one gunicorn worker (chosen at random) every KILL_EVERY seconds, KILLS times."""
    rng = random.Random(5)
    time.sleep(FIRST_KILL_AFTER)
    for _ in range(KILLS):
        workers = stack.web_workers()
        if workers:
            victim = rng.choice(workers)
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)
        time.sleep(KILL_EVERY)


def run() -> dict:
    with Stack("fault-web-kill") as stack:
        stack.start_postgres()
        stack.start_redis()
        stack.migrate()
        patients = stack.seed(
            {"patients": [{"email": f"writer{n}@faults.example.com"} for n in range(PATIENTS)]}
        )
        stack.start_web(workers=WORKERS)

        killed: list[int] = []
        killer = threading.Thread(target=kill_workers, args=(stack, killed), daemon=True)
        killer.start()
        ledger = asyncio.run(
            run_writers(
                stack.base_url, patients["patients"], clients=CLIENTS, seconds=SECONDS, pause=0, kinds=KINDS
            )
        )
        killer.join()
        time.sleep(1)  # let the master replace the last worker killed
        stored, rows = stored_keys(stack, KINDS)
        result = reconcile(ledger, stored, rows)
        result["workers_killed"] = len(killed)
        result["workers_after"] = len(stack.web_workers())
        result["server_errors"] = sum(
            count for reason, count in ledger.failures.items() if reason.startswith("5")
        )
        result["passed"] = (
            len(killed) == KILLS
            and result["workers_after"] == WORKERS
            and result["lost"] == result["invented"] == result["doubled"] == 0
            and result["acked"] == result["sent"]
            and not result["rejected"]
            and result["server_errors"] == 0
        )
        result["summary"] = (
            f"{len(killed)} workers SIGKILLed in {SECONDS} s of writes by {CLIENTS} clients; "
            f"sent {result['sent']}, acknowledged {result['acked']}, stored {result['stored']}; "
            f"lost {result['lost']}, doubled {result['doubled']}, not sent but stored {result['invented']}; "
            f"failed attempts {result['failed_attempts'] or 0}; retried entries answered 201: "
            f"{result['retried_then_201']}, 200 (stored before the kill, replayed): "
            f"{result['retried_then_200']}; workers after: {result['workers_after']} of {WORKERS}"
        )
        result["findings"] = (
            [f"{result['server_errors']} attempts answered 5xx: {result['failed_attempts']}"]
            if result["server_errors"]
            else []
        )
        return result


def main() -> None:
    exit_on_sigterm()
    sys.exit(0 if run_and_report("gunicorn worker SIGKILLed under writes", run) else 1)


if __name__ == "__main__":
    main()
