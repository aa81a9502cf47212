"""Helpers the benchmarks share: a throwaway database, its label, and the benchmarks' own Redis."""

import contextlib
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

from django.db import connection
from django.test.utils import setup_test_environment, teardown_test_environment

# Apart from the tests' Redis database (14) and the app's (0): the reminder benchmark flushes it.
BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")


def use_bench_redis() -> str:
    """Point the settings' REDIS_URL at the benchmarks' Redis database; call before django.setup().

    Never a REDIS_URL the environment already has (a developer's broker): the benchmark empties it.
    """
    os.environ["REDIS_URL"] = BENCH_REDIS_URL
    return BENCH_REDIS_URL


@contextlib.contextmanager
def throwaway_database(name: str = ""):
    """A fresh, migrated test database, as Django's test runner makes one, dropped at the end.

    Named apart from the tests' own (test_<name>) so a test run at the same time is never clobbered.
    `name` sets a benchmark's own apart too (bench_<name>_<database>): the test runner drops a database
    of the same name before it creates its own, so two benchmarks sharing one would break each other.
    SQLite gets a file in a temporary folder rather than the tests' in-memory database, so that it
    pays for a real file, as the app does.
    """
    setup_test_environment()
    folder = None
    if connection.vendor == "sqlite":
        folder = tempfile.mkdtemp(prefix="crampwise-bench-")
        connection.settings_dict["TEST"]["NAME"] = str(Path(folder) / "bench.sqlite3")
    else:
        prefix = f"bench_{name}_" if name else "bench_"
        connection.settings_dict["TEST"]["NAME"] = f"{prefix}{connection.settings_dict['NAME']}"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


def analyze() -> None:
    """Give PostgreSQL's planner the statistics autovacuum gathers in production: a set-up that bulk-loads
    rows and measures at once would otherwise be planned on guesses, for the app and its baseline alike."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def database_label() -> str:
    if connection.vendor == "sqlite":
        return f"SQLite {sqlite3.sqlite_version} (file)"
    connection.ensure_connection()
    return f"{connection.display_name} {connection.pg_version // 10000}"
