"""Benchmark: a clinician's FHIR and PDF exports of three dense years, against the CSV of the same rows,
with the peak memory each one takes."""

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

import orjson  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from fhir.resources.R4B.bundle import Bundle  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from bench.common import database_label, throwaway_database  # noqa: E402
from bench.trends import YEARS_DAYS, dense_diary  # noqa: E402
from diary import selectors  # noqa: E402
from diary.exports.fhir import fhir_bundle  # noqa: E402
from diary.kinds import KINDS  # noqa: E402
from diary.models import CareLink, Role, User  # noqa: E402

# What is timed: the CSV (the baseline: the same rows, the project's plainest export), then the others.
EXPORTS = {
    "csv": {"format": "csv"},
    "fhir": {"format": "fhir"},
    "pdf 84 days": {"format": "pdf"},
    "pdf 365 days": {"format": "pdf", "days": 365},
}


def body_size(response) -> int:
    """Bytes of the response, read as a server sends it: a streamed one chunk by chunk, never held whole."""
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def peak_memory(call) -> int:
    """Peak bytes Python allocated during one call, its body read through (tracemalloc: slower, so
    measured apart from the times)."""
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def timed(call, repeats: int) -> float:
    """Median seconds of `repeats` calls."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def fhir_parts(patient) -> tuple[float, float, float]:
    """Seconds to build the Bundle's dicts (reads included), to write them with orjson, and what
    validating them with fhir.resources would add (the tests do it now, not the export), done once."""
    started = time.perf_counter()
    records = {
        kind.segment: list(rows.values(*kind.fhir_fields))
        for kind in KINDS
        for rows in [selectors.records_of(kind.model, patient=patient).reverse()]
    }
    bundle = fhir_bundle(patient, records=records, base_url=settings.PUBLIC_BASE_URL, now=timezone.now())
    built = time.perf_counter()
    orjson.dumps(bundle)
    written = time.perf_counter()
    Bundle.model_validate(bundle)
    return built - started, written - built, time.perf_counter() - written


def measure(repeats: int = 3) -> dict:
    with throwaway_database():
        patient = User.objects.create_user(
            email="dense@example.com",
            password="bench-pass-2026",
            role=Role.PATIENT,
            timezone="Europe/Berlin",
            display_name="Dense Diary",
        )
        clinician = User.objects.create_user(
            email="clinic@example.com",
            password="bench-pass-2026",
            role=Role.CLINICIAN,
            display_name="Dr Bench",
        )
        CareLink.objects.create(patient=patient, clinician=clinician)
        rows = dense_diary(patient, days=YEARS_DAYS)
        client = APIClient()
        client.force_authenticate(clinician)
        url = f"/api/v1/clinician/patients/{patient.pk}/export/"
        results = {"database": database_label(), "rows": rows, "exports": {}}
        for name, params in EXPORTS.items():

            def get(params=params):
                response = client.get(url, params)
                assert response.status_code == 200, response.status_code
                return body_size(response)  # a streamed body is built while it is read: read it all

            size = get()  # also the warm-up
            connection.queries_log.clear()  # a full log (it keeps 9,000) would hide the new ones
            with CaptureQueriesContext(connection) as queries:
                get()
            query_count = len(queries)
            results["exports"][name] = {
                "seconds": timed(get, repeats),
                "queries": query_count,
                "bytes": size,
                "peak_bytes": peak_memory(get),
            }
        results["fhir_build"], results["fhir_write"], results["fhir_validate"] = fhir_parts(patient)
        return results


def run(repeats: int = 3) -> list[tuple[str, str, str, str]]:
    """Rows for bench/run.py: figure, this project, baseline (the CSV export of the same rows), ratio."""
    result = measure(repeats=repeats)
    exports = result["exports"]
    csv = exports["csv"]
    label = f"{result['database']}, {result['rows']} rows"
    rows = [(f"GET export csv, ms ({label})", f"{csv['seconds'] * 1000:.0f}", "", "")]
    for name in ("fhir", "pdf 84 days", "pdf 365 days"):
        figures = exports[name]
        rows.append(
            (
                f"GET export {name}, ms ({label})",
                f"{figures['seconds'] * 1000:.0f}",
                f"{csv['seconds'] * 1000:.0f}",
                f"{figures['seconds'] / csv['seconds']:.2f}",
            )
        )
    for name, figures in exports.items():
        rows.append((f"GET export {name}, SQL queries", f"{figures['queries']}", f"{csv['queries']}", ""))
    for name, figures in exports.items():
        # Against the body's own size: a flat figure stays well below it however long the diary grows.
        rows.append(
            (
                f"GET export {name}, peak Python memory, MB (of body MB)",
                f"{figures['peak_bytes'] / 1e6:.1f}",
                f"{figures['bytes'] / 1e6:.1f}",
                f"{figures['peak_bytes'] / figures['bytes']:.2f}",
            )
        )
    fhir_export = result["fhir_build"] + result["fhir_write"]
    rows.append(
        (
            "  fhir: building + writing the Bundle, ms (of the GET)",
            f"{fhir_export * 1000:.0f}",
            f"{exports['fhir']['seconds'] * 1000:.0f}",
            f"{fhir_export / exports['fhir']['seconds']:.2f}",
        )
    )
    rows.append(
        (
            "  fhir: validating it with fhir.resources, tests only now, ms (of build + write)",
            f"{result['fhir_validate'] * 1000:.0f}",
            f"{fhir_export * 1000:.0f}",
            f"{result['fhir_validate'] / fhir_export:.2f}",
        )
    )
    rows.append(
        (
            "  fhir: Bundle size, MB (CSV size)",
            f"{exports['fhir']['bytes'] / 1e6:.1f}",
            f"{csv['bytes'] / 1e6:.1f}",
            f"{exports['fhir']['bytes'] / csv['bytes']:.1f}",
        )
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    for row in run(repeats=args.repeats):
        print("  ".join(row))


if __name__ == "__main__":
    main()
