"""Runs every benchmark in bench/ and prints one table: figure, this project, baseline, ratio."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import create_cramp  # noqa: E402

BENCHMARKS = [create_cramp]
HEADERS = ("figure", "this project", "baseline", "ratio")


def main() -> None:
    rows = [row for benchmark in BENCHMARKS for row in benchmark.run()]
    table = [HEADERS, *rows]
    widths = [max(len(row[column]) for row in table) for column in range(len(HEADERS))]
    for row in table:
        # The figure's name reads left-aligned, the numbers right-aligned.
        cells = [row[0].ljust(widths[0])] + [row[i].rjust(widths[i]) for i in range(1, len(HEADERS))]
        print("  ".join(cells))


if __name__ == "__main__":
    main()
