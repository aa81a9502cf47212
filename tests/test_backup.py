"""Backups: scripts/backup.sh dumps the database and scripts/restore.sh brings every record back."""

import os
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from diary.models import DIARY_MODELS, AccessLogEntry, CareLink, Reminder, User
from tests.conftest import postgres_url, require
from tests.test_exports_and_erasure import fill_diary

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fresh_database():
    require(connection.vendor == "postgresql", "PostgreSQL (backups are pg_dump and pg_restore)")
    name = f"restore_{uuid.uuid4().hex[:10]}"
    admin = psycopg.connect(postgres_url("postgres"), autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def run(script: str, *args: str, url: str) -> str:
    result = subprocess.run(
        [str(ROOT / "scripts" / script), *args],
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def counts(cursor) -> dict[str, int]:
    tables = [model._meta.db_table for model in (*DIARY_MODELS, User, CareLink, AccessLogEntry, Reminder)]
    return {table: cursor.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}


def test_a_backup_restores_into_a_fresh_database_with_every_record(
    alice, bob, carol, fresh_database, tmp_path
):
    fill_diary(alice, copies=3)
    fill_diary(carol, copies=2)
    with connection.cursor() as cursor:
        before = {table: count for table, count in counts(cursor.cursor).items()}
    assert before["diary_crampepisode"] == 5

    dump = run("backup.sh", str(tmp_path / "backups"), url=postgres_url())
    assert Path(dump).stat().st_mode & 0o777 == 0o600
    run("restore.sh", dump, url=postgres_url(fresh_database))

    with psycopg.connect(postgres_url(fresh_database)) as restored:
        assert counts(restored.cursor()) == before
        emails = {row[0] for row in restored.execute("SELECT email FROM diary_user")}
    assert emails == {alice.email, bob.email, carol.email}


def test_old_backups_are_pruned_to_the_retention_count(tmp_path, fresh_database):
    folder = tmp_path / "backups"
    folder.mkdir()
    for day in range(1, 6):
        (folder / f"crampwise-2026010{day}T000000Z.dump").write_bytes(b"old")
        os.utime(folder / f"crampwise-2026010{day}T000000Z.dump", (day * 1000, day * 1000))
    result = subprocess.run(
        [str(ROOT / "scripts" / "backup.sh"), str(folder)],
        env={**os.environ, "DATABASE_URL": postgres_url(fresh_database), "KEEP": "3"},
        capture_output=True,
        text=True,
        check=True,
    )
    kept = sorted(path.name for path in folder.glob("crampwise-*.dump"))
    assert len(kept) == 3
    assert Path(result.stdout.strip()).name in kept
