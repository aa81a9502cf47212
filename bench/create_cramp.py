"""Benchmark: POST one cramp through the API versus a bare Django view doing the same insert."""

import argparse
import json
import os
import statistics
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402
from knox.models import AuthToken  # noqa: E402

from bench.common import database_label, throwaway_database  # noqa: E402
from bench.load_urls import BARE_URL, PLAIN_DRF_URL  # noqa: E402  (the baselines and the project, one URLconf)
from diary.models import Role, User  # noqa: E402

API_URL = "/api/v1/cramps/"
WARM_UP_REQUESTS = 20


def cramp_body() -> str:
    return json.dumps(
        {
            "id": str(uuid.uuid4()),
            "started_at": (timezone.now() - timedelta(hours=1)).isoformat(),
            "duration_seconds": 90,
            "severity": 6,
            "muscle": "calf",
            "side": "left",
            "activity": "sleeping",
            "woke_from_sleep": True,
        }
    )


def post(client: Client, url: str, token: str) -> None:
    response = client.post(url, cramp_body(), content_type="application/json", HTTP_AUTHORIZATION=token)
    if response.status_code != 201:
        raise RuntimeError(f"POST {url} answered {response.status_code}: {response.content[:300]!r}")


def requests_per_second(client: Client, url: str, token: str, count: int) -> float:
    started = time.perf_counter()
    for _ in range(count):
        post(client, url, token)
    return count / (time.perf_counter() - started)


def queries_per_request(client: Client, url: str, token: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        post(client, url, token)
    return [query["sql"] for query in captured.captured_queries]


def measure(requests: int = 200, rounds: int = 5) -> dict:
    """Median requests/second, the median of the rounds' API/bare ratios, and the queries per request."""
    with throwaway_database(), override_settings(ROOT_URLCONF="bench.load_urls"):
        patient = User.objects.create_user(
            email="bench@example.com", password="bench-pass-2026", role=Role.PATIENT, timezone="Europe/Berlin"
        )
        _token, key = AuthToken.objects.create(user=patient)
        token = f"Token {key}"
        client = Client()
        endpoints = {"api": API_URL, "bare": BARE_URL, "drf": PLAIN_DRF_URL}
        for url in endpoints.values():
            for _ in range(WARM_UP_REQUESTS):
                post(client, url, token)
        speeds = {name: [] for name in endpoints}
        for round_number in range(rounds):
            # Alternate which goes first, so neither always runs on the warmer or the fuller table.
            order = list(endpoints) if round_number % 2 == 0 else list(reversed(endpoints))
            for name in order:
                speeds[name].append(requests_per_second(client, endpoints[name], token, requests))
        queries = {name: queries_per_request(client, url, token) for name, url in endpoints.items()}
        return {
            "database": database_label(),
            "speeds": speeds,
            "median": {name: statistics.median(values) for name, values in speeds.items()},
            # Each round's two batches ran back to back: their ratio is steadier than the medians'
            # ratio when other work on the machine comes and goes.
            "ratio": statistics.median(
                api / bare for api, bare in zip(speeds["api"], speeds["bare"], strict=True)
            ),
            "drf_ratio": statistics.median(
                drf / bare for drf, bare in zip(speeds["drf"], speeds["bare"], strict=True)
            ),
            "queries": queries,
        }


def run(requests: int = 200, rounds: int = 5) -> list[tuple[str, str, str, str]]:
    """Rows for bench/run.py: figure, this project, baseline, ratio."""
    result = measure(requests=requests, rounds=rounds)
    api, bare = result["median"]["api"], result["median"]["bare"]
    api_queries, bare_queries = len(result["queries"]["api"]), len(result["queries"]["bare"])
    return [
        (
            f"POST a cramp, requests/s ({result['database']})",
            f"{api:.0f}",
            f"{bare:.0f}",
            f"{result['ratio']:.2f}",
        ),
        (
            "  plain DRF CreateAPIView, the same insert, requests/s",
            f"{result['median']['drf']:.0f}",
            f"{bare:.0f}",
            f"{result['drf_ratio']:.2f}",
        ),
        (
            "POST a cramp, SQL queries/request",
            f"{api_queries}",
            f"{bare_queries}",
            f"{api_queries / bare_queries:.2f}",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200, help="requests per endpoint per round")
    parser.add_argument("--rounds", type=int, default=5, help="rounds, each endpoint once per round")
    parser.add_argument("--show-queries", action="store_true", help="print the SQL of one request each")
    args = parser.parse_args()

    result = measure(requests=args.requests, rounds=args.rounds)
    api, bare = result["median"]["api"], result["median"]["bare"]
    print(f"POST one cramp: {result['database']}, {args.rounds} rounds x {args.requests} requests each")
    drf = result["median"]["drf"]
    print(f"{'':26}{'API':>10}{'bare':>10}{'API/bare':>10}{'plain DRF':>10}{'DRF/bare':>10}")
    print(
        f"{'requests/s (median)':26}{api:>10.0f}{bare:>10.0f}{result['ratio']:>10.2f}"
        f"{drf:>10.0f}{result['drf_ratio']:>10.2f}"
    )
    print(f"{'ms/request (median)':26}{1000 / api:>10.2f}{1000 / bare:>10.2f}")
    api_queries, bare_queries = len(result["queries"]["api"]), len(result["queries"]["bare"])
    print(f"{'SQL queries/request':26}{api_queries:>10}{bare_queries:>10}")
    for name in ("api", "bare", "drf"):
        rounds = ", ".join(f"{speed:.0f}" for speed in result["speeds"][name])
        print(f"  {name} requests/s by round: {rounds}")
    speeds = result["speeds"]
    ratios = ", ".join(f"{api / bare:.2f}" for api, bare in zip(speeds["api"], speeds["bare"], strict=True))
    print(f"  API/bare by round: {ratios}")
    if args.show_queries:
        for name in ("api", "bare"):
            print(f"\n{name} queries:")
            for sql in result["queries"][name]:
                print(f"  {sql[:200]}")


if __name__ == "__main__":
    main()
