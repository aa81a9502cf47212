"""Benchmark: a clinician's triage list with 1,000 linked patients, against hand-written SQL for the page."""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from bench.common import analyze, database_label, throwaway_database  # noqa: E402
from bench.floor import floor_seconds  # noqa: E402
from diary.api.sharing import LIST_READ  # noqa: E402
from diary.models import CareLink, CheckIn, CrampEpisode, PatientSummary, Role, User  # noqa: E402
from diary.selectors import patient_list  # noqa: E402
from diary.services.records import derive_fields, request_fingerprint  # noqa: E402
from diary.services.sharing import list_read_since  # noqa: E402
from diary.services.summaries import summary_refresh  # noqa: E402

PAGE_SIZE = 50

# The page the view shows, written by hand: patients of this clinician with their summaries, in triage order.
RAW_PAGE_SQL = """
    SELECT u.id, u.email, u.display_name, s.highest_level, s.insight_codes, s.last_entry_at,
           s.cramp_nights_28d, s.compression_days_28d
    FROM diary_user u
    JOIN diary_carelink l ON l.patient_id = u.id AND l.clinician_id = %s
    LEFT JOIN diary_patientsummary s ON s.patient_id = u.id
    ORDER BY s.level_rank DESC, s.last_evidence_at DESC, s.last_entry_at DESC, u.display_name, u.email
    LIMIT %s"""


def linked_patients(clinician: User, count: int) -> None:
    """`count` patients sharing with the clinician, each with a few weeks of cramps and check-ins;
    every fifth reports a one-sided painful swelling (urgent), so the order has work to do."""
    now = timezone.now()
    patients = User.objects.bulk_create(
        [
            User(email=f"p{index}@example.com", display_name=f"Patient {index:04}", timezone="Europe/Berlin")
            for index in range(count)
        ]
    )
    CareLink.objects.bulk_create([CareLink(patient=patient, clinician=clinician) for patient in patients])
    records = []
    for index, patient in enumerate(patients):
        for night in range(1, 1 + index % 12):
            data = {
                "started_at": now - timedelta(days=night, hours=3),
                "duration_seconds": 90,
                "severity": 5,
                "muscle": "calf",
                "side": "left",
                "activity": "sleeping",
                "woke_from_sleep": True,
            }
            records.append(
                CrampEpisode(patient=patient, create_fingerprint=request_fingerprint(data), **data)
            )
        urgent = index % 5 == 0
        data = {
            "recorded_at": now - timedelta(hours=5 + index % 48),
            "swelling_left": 3 if urgent else 1,
            "swelling_right": 0 if urgent else 1,
            "calf_pain_or_tenderness": urgent,
            "sudden_onset": urgent,
        }
        records.append(CheckIn(patient=patient, create_fingerprint=request_fingerprint(data), **data))
    for record in records:
        derive_fields(record, record.patient)
    for model in (CrampEpisode, CheckIn):
        model.objects.bulk_create(
            [record for record in records if isinstance(record, model)], batch_size=2000
        )
    for patient in patients:
        summary_refresh(patient=patient, now=now)


def median_seconds(call, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(patients: int = 1000, repeats: int = 20) -> dict:
    with throwaway_database():
        clinician = User.objects.create_user(
            email="bench-doc@example.com", password="bench-pass-2026", role=Role.CLINICIAN
        )
        started = time.perf_counter()
        linked_patients(clinician, patients)
        analyze()
        setup_seconds = time.perf_counter() - started
        client = APIClient()
        client.force_authenticate(clinician)

        def api():
            response = client.get("/api/v1/clinician/patients/", {"page_size": PAGE_SIZE})
            assert response.status_code == 200 and response.json()["count"] == patients

        def raw():
            with connection.cursor() as cursor:
                clinician_id = clinician.pk.hex if connection.vendor == "sqlite" else clinician.pk
                cursor.execute(RAW_PAGE_SQL, [clinician_id, PAGE_SIZE])
                cursor.fetchall()

        def own_statement():
            # The view's own statement (selectors.patient_list), run bare: what the page costs the database
            # with everything it shows (clinic links, open alerts, the total, this hour's access log).
            with connection.cursor() as cursor:
                cursor.execute(*patient_list.page_statement(clinician=clinician, limit=PAGE_SIZE, seen=seen))
                cursor.fetchall()

        seen = (LIST_READ, list_read_since())
        api()
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as queries:
            api()
        query_count = len(queries)
        first = client.get("/api/v1/clinician/patients/").json()["results"][0]
        return {
            "database": database_label(),
            "patients": patients,
            "summaries": PatientSummary.objects.count(),
            "setup_seconds": setup_seconds,
            "api": median_seconds(api, repeats),
            "raw": median_seconds(raw, repeats),
            "own_statement": median_seconds(own_statement, repeats),
            "floor": floor_seconds(client, median_seconds, repeats),
            "queries": query_count,
            "first_level": first["highest_level"],
        }


def run(patients: int = 1000, repeats: int = 20) -> list[tuple[str, str, str, str]]:
    result = measure(patients=patients, repeats=repeats)
    return [
        (
            f"clinician list, {result['patients']} patients, page of {PAGE_SIZE}, ms ({result['database']})",
            f"{result['api'] * 1000:.1f}",
            f"{result['raw'] * 1000:.1f}",
            f"{result['api'] / result['raw']:.2f}",
        ),
        ("clinician list, SQL queries", f"{result['queries']}", "1", ""),
        (
            "clinician list against its own statement run bare, ms",
            f"{result['api'] * 1000:.1f}",
            f"{result['own_statement'] * 1000:.1f}",
            f"{result['api'] / result['own_statement']:.2f}",
        ),
        (
            "clinician list less an empty GET's fixed cost, ms",
            f"{(result['api'] - result['floor']) * 1000:.1f}",
            f"{result['raw'] * 1000:.1f}",
            f"{(result['api'] - result['floor']) / result['raw']:.2f}",
        ),
        ("an empty signed-in GET (the request's fixed cost), ms", f"{result['floor'] * 1000:.1f}", "", ""),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    result = measure(patients=args.patients, repeats=args.repeats)
    print(
        f"{result['database']}: {result['patients']} patients ({result['summaries']} summaries, "
        f"built in {result['setup_seconds']:.0f} s); first row's level: {result['first_level']}"
    )
    print(
        f"API {result['api'] * 1000:.1f} ms, hand-written SQL {result['raw'] * 1000:.1f} ms, "
        f"ratio {result['api'] / result['raw']:.2f}, {result['queries']} SQL queries per request"
    )


if __name__ == "__main__":
    main()
