"""Runs the fault scripts and prints PASS or FAIL with the figures: python bench/faults all (or one name)."""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.faults import celery_worker_kill, postgres_restart, redis_restart, web_worker_kill  # noqa: E402
from bench.faults.stack import exit_on_sigterm, run_and_report  # noqa: E402

FAULTS = {
    "web_worker_kill": ("gunicorn worker SIGKILLed under writes", web_worker_kill),
    "redis_restart": ("Redis restarted while reminders are due", redis_restart),
    "postgres_restart": ("PostgreSQL restarted under writes", postgres_restart),
    "celery_worker_kill": ("Celery worker SIGKILLed mid-batch", celery_worker_kill),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("faults", nargs="+", choices=["all", *FAULTS], help="which faults to run")
    args = parser.parse_args()
    exit_on_sigterm()
    names = list(FAULTS) if "all" in args.faults else args.faults
    failed = 0
    for name in names:
        title, module = FAULTS[name]
        failed += not run_and_report(title, module.run)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
