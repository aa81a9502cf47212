"""The database marks a patient's clinician summary stale whenever one of their diary records is
inserted, changed or deleted (docs/decisions/0017).

In the database rather than in each service: no write path can forget it (the API, the admin, the
demo's bulk inserts, re-deriving nights after a zone change, a restore), and a new record costs one
statement, its INSERT, instead of an INSERT and an UPDATE sent after it.
"""

from django.db import migrations

RECORD_TABLES = (
    "diary_crampepisode",
    "diary_compressionwear",
    "diary_elevation",
    "diary_hydration",
    "diary_checkin",
)
# `AND NOT stale`: a burst of writes (an offline sync) writes the summary row once, not once a record.
MARK_STALE = "UPDATE diary_patientsummary SET stale = {true} WHERE patient_id = {row}.patient_id AND NOT stale"

POSTGRESQL_FUNCTION = f"""
CREATE OR REPLACE FUNCTION diary_summary_mark_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        {MARK_STALE.format(true="true", row="OLD")};
    ELSE
        {MARK_STALE.format(true="true", row="NEW")};
    END IF;
    RETURN NULL;
END
$$;
"""

# SQLite has no trigger functions and one event per trigger: three small triggers per table.
SQLITE_EVENTS = (("insert", "NEW"), ("update", "NEW"), ("delete", "OLD"))


def trigger_name(table: str, event: str = "") -> str:
    return f"{table}_summary_stale{'_' + event if event else ''}"


def create_triggers(apps, schema_editor):
    execute = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        execute(POSTGRESQL_FUNCTION)
        for table in RECORD_TABLES:
            execute(
                f"CREATE TRIGGER {trigger_name(table)} AFTER INSERT OR UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION diary_summary_mark_stale()"
            )
    elif schema_editor.connection.vendor == "sqlite":
        for table in RECORD_TABLES:
            for event, row in SQLITE_EVENTS:
                execute(
                    f"CREATE TRIGGER {trigger_name(table, event)} AFTER {event.upper()} ON {table} "
                    f"BEGIN {MARK_STALE.format(true='1', row=row)}; END"
                )
    else:
        raise NotImplementedError(f"no summary triggers for {schema_editor.connection.vendor}")


def drop_triggers(apps, schema_editor):
    execute = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        for table in RECORD_TABLES:
            execute(f"DROP TRIGGER IF EXISTS {trigger_name(table)} ON {table}")
        execute("DROP FUNCTION IF EXISTS diary_summary_mark_stale()")
    elif schema_editor.connection.vendor == "sqlite":
        for table in RECORD_TABLES:
            for event, _row in SQLITE_EVENTS:
                execute(f"DROP TRIGGER IF EXISTS {trigger_name(table, event)}")


class Migration(migrations.Migration):
    dependencies = [
        ("diary", "0004_two_factor"),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers, elidable=False)]
