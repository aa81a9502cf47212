"""Benchmark: the trend view over three dense years, against hand-written SQL aggregates of the same rows."""

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from datetime import datetime, timedelta
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
from diary.models import CheckIn, CompressionWear, CrampEpisode, Elevation, Hydration, Role, User  # noqa: E402
from diary.services.records import derive_fields, request_fingerprint  # noqa: E402

YEARS_DAYS = 3 * 365

# The same daily figures the trend view computes, written by hand: the floor for this work.
RAW_DAILY_SQL = {
    "cramps": """
        SELECT local_date, COUNT(*), SUM(CASE WHEN is_nocturnal THEN 1 ELSE 0 END), MAX(severity),
               SUM(duration_seconds)
        FROM diary_crampepisode WHERE patient_id = %s AND local_date BETWEEN %s AND %s GROUP BY local_date""",
    "nights": """
        SELECT DISTINCT night FROM diary_crampepisode
        WHERE patient_id = %s AND is_nocturnal AND night BETWEEN %s AND %s""",
    "answers": """
        SELECT DISTINCT local_date FROM diary_checkin
        WHERE patient_id = %s AND cramps_last_night = 'some' AND local_date BETWEEN %s AND %s""",
    "elevation": """
        SELECT local_date, SUM(duration_minutes) FROM diary_elevation
        WHERE patient_id = %s AND local_date BETWEEN %s AND %s GROUP BY local_date""",
    "hydration": """
        SELECT local_date, SUM(volume_ml) FROM diary_hydration
        WHERE patient_id = %s AND local_date BETWEEN %s AND %s GROUP BY local_date""",
    "checkins": """
        SELECT local_date, MAX(swelling_left), MAX(swelling_right), MAX(heaviness),
               MAX(circumference_left_cm), MAX(circumference_right_cm)
        FROM diary_checkin WHERE patient_id = %s AND local_date BETWEEN %s AND %s GROUP BY local_date""",
    "compression": """
        SELECT local_date, COUNT(*), MIN(started_at), MAX(ended_at) FROM diary_compressionwear
        WHERE patient_id = %s AND local_date BETWEEN %s AND %s GROUP BY local_date""",
}


def dense_diary(patient: User, *, days: int, seed: int = 7) -> int:
    """About 3 cramps a night on half the nights, daily check-ins, stockings, drinks and elevation."""
    rng = random.Random(seed)
    zone = patient.zone
    today = timezone.localtime(timezone.now(), zone).date()
    rows: dict[type, list] = {
        model: [] for model in (CrampEpisode, CheckIn, CompressionWear, Hydration, Elevation)
    }

    def add(model, **data):
        record = model(id=uuid.UUID(int=rng.getrandbits(128), version=4), patient=patient, **data)
        record.create_fingerprint = request_fingerprint(data)
        derive_fields(record, patient)
        rows[model].append(record)

    def moment(day, hour, minute=0):
        return datetime.combine(day, datetime.min.time(), tzinfo=zone).replace(hour=hour, minute=minute)

    for offset in range(1, days + 1):
        day = today - timedelta(days=offset)
        if rng.random() < 0.5:
            for _ in range(rng.choice((2, 3, 4))):
                add(
                    CrampEpisode,
                    started_at=moment(day, rng.randint(0, 5), rng.randint(0, 59)),
                    duration_seconds=rng.randint(30, 600),
                    severity=rng.randint(2, 9),
                    muscle="calf",
                    side=rng.choice(("left", "right")),
                    activity="sleeping",
                    woke_from_sleep=True,
                )
        add(CheckIn, recorded_at=moment(day, 8), cramps_last_night=rng.choice(("none", "some")))
        add(
            CheckIn,
            recorded_at=moment(day, 20),
            swelling_left=rng.randint(0, 2),
            swelling_right=rng.randint(0, 2),
            heaviness=rng.randint(0, 8),
            circumference_left_cm=round(rng.uniform(36, 40), 1),
            circumference_right_cm=round(rng.uniform(36, 40), 1),
        )
        add(
            CompressionWear,
            started_at=moment(day, 7),
            ended_at=moment(day, 7 + rng.randint(6, 14)),
            pressure_class="20-30",
            garment="knee",
            legs="both",
        )
        for hour in (8, 11, 14, 17, 20):
            add(Hydration, taken_at=moment(day, hour), volume_ml=rng.choice((200, 250, 330, 400)))
        for hour in (12, 18):
            add(Elevation, started_at=moment(day, hour), duration_minutes=15)
    for model, records in rows.items():
        model.objects.bulk_create(records, batch_size=2000)
    return sum(len(records) for records in rows.values())


def timed(call, repeats: int) -> float:
    """Median seconds of `repeats` calls."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def raw_aggregates(patient_id, first, last) -> None:
    if connection.vendor == "sqlite":
        patient_id = patient_id.hex  # how Django stores a UUID there
    with connection.cursor() as cursor:
        for sql in RAW_DAILY_SQL.values():
            cursor.execute(sql, [patient_id, first, last])
            cursor.fetchall()


def measure(repeats: int = 15) -> dict:
    with throwaway_database():
        patient = User.objects.create_user(
            email="dense@example.com", password="bench-pass-2026", role=Role.PATIENT, timezone="Europe/Berlin"
        )
        rows = dense_diary(patient, days=YEARS_DAYS)
        analyze()
        client = APIClient()
        client.force_authenticate(patient)
        today = timezone.localtime(timezone.now(), patient.zone).date()
        results = {"database": database_label(), "rows": rows, "spans": {}}
        results["floor"] = floor_seconds(client, timed, repeats)
        for days in (90, YEARS_DAYS):

            def api(days=days):
                response = client.get("/api/v1/trends/", {"days": days})
                assert response.status_code == 200, response.content[:200]

            first = today - timedelta(days=days - 1)
            api()  # warm up
            connection.queries_log.clear()  # a full log (it keeps 9,000) would hide the new ones
            with CaptureQueriesContext(connection) as queries:
                api()
            query_count = len(queries)  # now: the next request's reconnect empties the log
            results["spans"][days] = {
                "api": timed(api, repeats),
                "raw": timed(lambda first=first: raw_aggregates(patient.pk, first, today), repeats),
                "queries": query_count,
            }
        return results


def run(repeats: int = 15) -> list[tuple[str, str, str, str]]:
    """Rows for bench/run.py: figure, this project, baseline (hand-written SQL), ratio."""
    result = measure(repeats=repeats)
    rows = []
    for days, span in result["spans"].items():
        label = "90 days" if days == 90 else "3 years"
        rows.append(
            (
                f"GET trends, {label}, ms ({result['database']}, {result['rows']} rows)",
                f"{span['api'] * 1000:.1f}",
                f"{span['raw'] * 1000:.1f}",
                f"{span['api'] / span['raw']:.2f}",
            )
        )
        rows.append((f"GET trends, {label}, SQL queries", f"{span['queries']}", f"{len(RAW_DAILY_SQL)}", ""))
        less = span["api"] - result["floor"]
        rows.append(
            (
                f"GET trends, {label}, less an empty GET's fixed cost, ms",
                f"{less * 1000:.1f}",
                f"{span['raw'] * 1000:.1f}",
                f"{less / span['raw']:.2f}",
            )
        )
    rows.append(
        ("an empty signed-in GET (the request's fixed cost), ms", f"{result['floor'] * 1000:.1f}", "", "")
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    for row in run(repeats=args.repeats):
        print("  ".join(row))


if __name__ == "__main__":
    main()
