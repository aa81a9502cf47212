"""Benchmark: a clinician's FHIR and PDF exports of three dense years, against the CSV of the same rows."""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from bench.common import database_label, throwaway_database  # noqa: E402
from bench.trends import YEARS_DAYS, dense_diary  # noqa: E402
from diary import selectors  # noqa: E402
from diary.exports.fhir import bundle_json, fhir_bundle  # noqa: E402
from diary.kinds import KINDS  # noqa: E402
from diary.models import CareLink, Role, User  # noqa: E402

# What is timed: the CSV (the baseline: the same rows, the project's plainest export), then the others.
EXPORTS = {
    "csv": {"format": "csv"},
    "fhir": {"format": "fhir"},
    "pdf 84 days": {"format": "pdf"},
    "pdf 365 days": {"format": "pdf", "days": 365},
}


def timed(call, repeats: int) -> float:
    """Median seconds of `repeats` calls."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def fhir_parts(patient) -> tuple[float, float]:
    """Seconds to build the Bundle's dicts (reads included) and to validate and write it, done once."""
    started = time.perf_counter()
    records = {
        kind.segment: list(rows.values(*kind.fhir_fields))
        for kind in KINDS
        for rows in [selectors.records_of(kind.model, patient=patient).reverse()]
    }
    bundle = fhir_bundle(patient, records=records, base_url=settings.PUBLIC_BASE_URL, now=timezone.now())
    built = time.perf_counter()
    bundle_json(bundle)
    return built - started, time.perf_counter() - built


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
                assert response.status_code == 200, response.content[:200]
                return response

            size = len(get().content)  # also the warm-up
            connection.queries_log.clear()  # a full log (it keeps 9,000) would hide the new ones
            with CaptureQueriesContext(connection) as queries:
                get()
            query_count = len(queries)
            results["exports"][name] = {"seconds": timed(get, repeats), "queries": query_count, "bytes": size}
        results["fhir_build"], results["fhir_validate"] = fhir_parts(patient)
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
    fhir_total = result["fhir_build"] + result["fhir_validate"]
    rows.append(
        (
            "  fhir: validating with fhir.resources, ms (of build + validate)",
            f"{result['fhir_validate'] * 1000:.0f}",
            f"{fhir_total * 1000:.0f}",
            f"{result['fhir_validate'] / fhir_total:.2f}",
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
