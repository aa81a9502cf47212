"""Runs every benchmark in bench/ and prints one table: figure, this project, baseline, ratio."""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import use_bench_redis  # noqa: E402

# Before any benchmark's django.setup(): the settings read REDIS_URL once, at import, and the reminder
# benchmark queues its tasks there.
use_bench_redis()

from bench import clinician_list, create_cramp, exports, instructions, load, reminders, trends  # noqa: E402

BENCHMARKS = {
    "create_cramp": create_cramp,
    # Six runs under valgrind, about 8 minutes: left out by --quick.
    "instructions": instructions,
    "trends": trends,
    "clinician_list": clinician_list,
    "exports": exports,
    "reminders": reminders,
    # Its own throwaway PostgreSQL and Redis (bench/faults/stack.py), gunicorn and Celery: about 5 minutes.
    "load": load,
}
# What --quick leaves out: the slow part of a benchmark, by its name.
QUICK = {"reminders": {"skip_delivery": True}, "load": {"seconds": 20, "rounds": 4}}
LEFT_OUT_BY_QUICK = {"instructions"}
HEADERS = ("figure", "this project", "baseline", "ratio")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=list(BENCHMARKS), action="append", help="run only this one")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="the slow parts shorter: no 10,000 pushes, 20 s of load, no callgrind",
    )
    args = parser.parse_args()

    rows = []
    for name in args.only or BENCHMARKS:
        if args.quick and not args.only and name in LEFT_OUT_BY_QUICK:
            continue
        options = QUICK.get(name, {}) if args.quick else {}
        rows += BENCHMARKS[name].run(**options)
    table = [HEADERS, *rows]
    widths = [max(len(row[column]) for row in table) for column in range(len(HEADERS))]
    for row in table:
        # The figure's name reads left-aligned, the numbers right-aligned.
        cells = [row[0].ljust(widths[0])] + [row[i].rjust(widths[i]) for i in range(1, len(HEADERS))]
        print("  ".join(cells))


if __name__ == "__main__":
    main()
