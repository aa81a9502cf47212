"""Benchmark: CPU instructions Django spends on one POST of a cramp (API, bare view, plain DRF).

Counted by valgrind's callgrind, which counts instructions rather than time: the same code and input
give the same count whatever else the machine is doing, where requests/s on a shared two-core machine
moved by a third from one run to the next. Each endpoint runs in a child process under callgrind
twice, with few and with many requests, and the difference over the extra requests is its cost per
request: Django's start-up, the same in both, drops out. The children use the production settings
(Redis cache, so the write throttle counts in Redis) and the bench's URLconf (bench/load_urls.py).
The requests come from Django's test client in the same process, so its own work is in every count
(the same for each endpoint, which narrows the ratio's gap a little). What it does not see: time
spent waiting for PostgreSQL and Redis, their own work, and the kernel's.
"""

import argparse
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import BENCH_REDIS_URL  # noqa: E402

CHILD_ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.load_settings",
    "SECRET_KEY": secrets.token_urlsafe(40),
    "ALLOWED_HOSTS": "testserver",
    "TRUSTED_PROXIES": "0",
    "SECURE_SSL_REDIRECT": "false",
    "REDIS_URL": BENCH_REDIS_URL,
    # Every request here is one patient's: the throttle must count, not refuse.
    "WRITE_RATE": "100000000/hour",
}
ENDPOINTS = ("api", "bare", "drf")


def child(endpoint: str, count: int) -> None:
    """Under callgrind: POST `count` cramps to one endpoint of the database the parent made."""
    import django
    from django.conf import settings

    django.setup()
    settings.DATABASES["default"]["NAME"] = os.environ["BENCH_DATABASE_NAME"]

    from django.test import Client
    from django.test.utils import setup_test_environment

    from bench.create_cramp import API_URL, post
    from bench.load_urls import BARE_URL, PLAIN_DRF_URL

    setup_test_environment()
    url = {"api": API_URL, "bare": BARE_URL, "drf": PLAIN_DRF_URL}[endpoint]
    client = Client()
    for _ in range(count):
        post(client, url, os.environ["BENCH_TOKEN"])


def instructions(endpoint: str, count: int, env: dict, folder: str) -> subprocess.Popen:
    out = Path(folder) / f"callgrind.{endpoint}.{count}"
    command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"]
    command += [sys.executable, __file__, "--child", endpoint, "--count", str(count)]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def collected(process: subprocess.Popen) -> int:
    _out, err = process.communicate()
    found = re.search(r"Collected : (\d+)", err)
    if process.returncode or not found:
        raise RuntimeError(f"callgrind run failed ({process.returncode}):\n{err[-2000:]}")
    return int(found.group(1))


def measure(few: int = 10, many: int = 60) -> dict:
    """Instructions per request of each endpoint."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.db import connection
    from knox.models import AuthToken

    from bench.common import database_label, throwaway_database
    from diary.models import Role, User

    with throwaway_database("instructions"), tempfile.TemporaryDirectory() as folder:
        patient = User.objects.create_user(
            email="bench@example.com", password="bench-pass-2026", role=Role.PATIENT, timezone="Europe/Berlin"
        )
        _token, key = AuthToken.objects.create(user=patient)
        label = database_label()
        env = {
            **os.environ,
            **CHILD_ENV,
            "BENCH_DATABASE_NAME": str(connection.settings_dict["NAME"]),
            "BENCH_TOKEN": f"Token {key}",
            # Equal dict and set orders in every run: the counts then repeat to within a few thousand.
            "PYTHONHASHSEED": "0",
        }
        connection.close()
        # All six at once: the machine shares them out, and counts do not depend on it.
        runs = {name: [instructions(name, count, env, folder) for count in (few, many)] for name in ENDPOINTS}
        per_request = {}
        for endpoint, (low, high) in runs.items():
            per_request[endpoint] = (collected(high) - collected(low)) / (many - few)
    return {"database": label, "per_request": per_request}


def run(few: int = 10, many: int = 60) -> list[tuple[str, str, str, str]]:
    """Rows for bench/run.py: figure, this project, baseline, ratio (baseline over project: as requests/s)."""
    if not shutil.which("valgrind"):
        return [("POST a cramp, instructions/request (callgrind)", "skipped: no valgrind", "", "")]
    result = measure(few=few, many=many)
    cost = {name: value / 1e6 for name, value in result["per_request"].items()}
    return [
        (
            f"POST a cramp, million instructions/request ({result['database']})",
            f"{cost['api']:.2f}",
            f"{cost['bare']:.2f}",
            f"{cost['bare'] / cost['api']:.2f}",
        ),
        (
            "  plain DRF CreateAPIView, million instructions/request",
            f"{cost['drf']:.2f}",
            f"{cost['bare']:.2f}",
            f"{cost['bare'] / cost['drf']:.2f}",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--few", type=int, default=10, help="requests in the shorter run")
    parser.add_argument("--many", type=int, default=60, help="requests in the longer run")
    parser.add_argument("--child", choices=ENDPOINTS, help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.count)
        return
    for row in run(few=args.few, many=args.many):
        print(f"{row[0]:62}{row[1]:>10}{row[2]:>10}{row[3]:>8}")
    print("(the ratio is bare over API: the share of the bare view's rate the API would reach on CPU alone)")


if __name__ == "__main__":
    main()
