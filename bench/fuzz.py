"""The longer schemathesis run: every operation of our OpenAPI schema, as a patient and as a clinician."""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from bench.common import database_label, throwaway_database  # noqa: E402
from diary.models import CareLink, Role, User  # noqa: E402
from tests.test_schema_fuzz import fuzz_every_operation  # noqa: E402  (the suite's bounded run, longer)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", type=int, default=100, help="examples per operation and role")
    args = parser.parse_args()
    with throwaway_database():
        alice = User.objects.create_user(
            email="alice@example.com",
            password="calf-stretch-2026",
            role=Role.PATIENT,
            timezone="Europe/Berlin",
        )
        bob = User.objects.create_user(
            email="bob@example.com", password="calf-stretch-2026", role=Role.CLINICIAN
        )
        CareLink.objects.create(patient=alice, clinician=bob)
        for user in (alice, bob):
            started = time.perf_counter()
            # Raises (with schemathesis' report and a curl line to reproduce) on the first failure.
            fuzz_every_operation(user, examples=args.examples)
            print(
                f"{database_label()}: as {user.role}, {args.examples} examples per operation: no 5xx, every "
                f"answer as documented ({time.perf_counter() - started:.0f} s)"
            )


if __name__ == "__main__":
    main()
