"""Runs every benchmark in bench/ and prints one table: figure, this project, baseline, ratio, and the
goal where issue 19 set one, met or by how much not."""

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
HEADERS = ("figure", "this project", "baseline", "ratio", "goal")
# Issue 19's goals: a figure's name starts with the first, and its value (column 1) or its ratio to the
# baseline (column 3) should be at most the limit.
GOALS = (
    ("dispatch tick, 10,000 due of 100,000 stored", 1, 2.0, "s"),
    ("dispatch tick, 10,000 due of 100,000 stored", 3, 1.1, "x"),
    ("deliver 10,000 pushes to a loopback sink", 1, 20.0, "s"),
    ("GET export csv, ms", 1, 250.0, "ms"),
    ("GET export fhir, ms", 1, 1000.0, "ms"),
    ("GET trends, 90 days, ms", 3, 1.5, "x"),
    ("clinician list, 1000 patients", 3, 2.0, "x"),
)


def goal_words(row: tuple[str, ...]) -> str:
    """The goals a row has, each "<= limit" and "met" or how many times over it."""
    words = []
    for prefix, column, limit, unit in GOALS:
        if not row[0].startswith(prefix) or not row[column]:
            continue
        value = float(row[column])
        verdict = "met" if value <= limit else f"not met, {value / limit:.2f}x over"
        words.append(f"<= {limit:g} {unit}: {verdict}")
    return "; ".join(words)


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
    table = [HEADERS, *((*row, goal_words(row)) for row in rows)]
    widths = [max(len(row[column]) for row in table) for column in range(len(HEADERS))]
    for row in table:
        # The figure's name reads left-aligned, the numbers right-aligned.
        cells = [row[0].ljust(widths[0])] + [row[i].rjust(widths[i]) for i in range(1, len(HEADERS) - 1)]
        print("  ".join([*cells, row[-1]]).rstrip())


if __name__ == "__main__":
    main()
