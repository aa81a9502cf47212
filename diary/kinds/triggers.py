"""The database triggers that mark a patient's clinician summary stale when a record of theirs changes
(docs/decisions/0017): their names, the SQL a new kind's migration runs, and what the system check reads.

Migration 0005 made them for the first five kinds and stays as it was written; a new kind's migration
adds its table's with `summary_triggers_operation(table)`. On SQLite, a migration that alters a kind's
table rebuilds it and drops its triggers (0006 made them again): `manage.py check --database default`
names any table left without them.
"""

from django.db import migrations

# `AND NOT stale`: a burst of writes (an offline sync) writes the summary row once, not once a record.
MARK_STALE = (
    "UPDATE diary_patientsummary SET stale = {true} WHERE patient_id = {row}.patient_id AND NOT stale"
)
# The PostgreSQL trigger function, made by migration 0005; every kind's trigger calls it.
POSTGRESQL_FUNCTION = "diary_summary_mark_stale"
# SQLite has no trigger functions and one event per trigger: three small triggers per table.
SQLITE_EVENTS = (("insert", "NEW"), ("update", "NEW"), ("delete", "OLD"))


def trigger_names(table: str, vendor: str) -> tuple[str, ...]:
    """The summary triggers a table has when it is as migrated, on this database."""
    if vendor == "postgresql":
        return (f"{table}_summary_stale",)
    if vendor == "sqlite":
        return tuple(f"{table}_summary_stale_{event}" for event, _row in SQLITE_EVENTS)
    raise NotImplementedError(f"no summary triggers for {vendor}")


def create_statements(table: str, vendor: str) -> list[str]:
    if vendor == "postgresql":
        (name,) = trigger_names(table, vendor)
        return [
            f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {POSTGRESQL_FUNCTION}()",
        ]
    statements = []
    for (event, row), name in zip(SQLITE_EVENTS, trigger_names(table, vendor), strict=True):
        statements.append(f"DROP TRIGGER IF EXISTS {name}")
        statements.append(
            f"CREATE TRIGGER {name} AFTER {event.upper()} ON {table} "
            f"BEGIN {MARK_STALE.format(true='1', row=row)}; END"
        )
    return statements


def drop_statements(table: str, vendor: str) -> list[str]:
    on = f" ON {table}" if vendor == "postgresql" else ""
    return [f"DROP TRIGGER IF EXISTS {name}{on}" for name in trigger_names(table, vendor)]


def summary_triggers_operation(table: str) -> migrations.RunPython:
    """A migration operation that gives `table` its summary triggers (and takes them away reversed)."""

    def create(apps, schema_editor):
        for statement in create_statements(table, schema_editor.connection.vendor):
            schema_editor.execute(statement)

    def drop(apps, schema_editor):
        for statement in drop_statements(table, schema_editor.connection.vendor):
            schema_editor.execute(statement)

    return migrations.RunPython(create, drop, elidable=False)


def present_triggers(connection, tables: list[str]) -> dict[str, set[str]]:
    """The summary triggers each table has now, by table; a table not in the database is left out."""
    existing = set(connection.introspection.table_names())
    found: dict[str, set[str]] = {table: set() for table in tables if table in existing}
    if not found:
        return found
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Only triggers that call the summary's function count: a trigger of that name doing
            # something else would leave the summary stale-blind just the same.
            cursor.execute(
                "SELECT c.relname, t.tgname FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid "
                "WHERE NOT t.tgisinternal AND pg_table_is_visible(c.oid) AND p.proname = %s "
                "AND c.relname = ANY(%s)",
                [POSTGRESQL_FUNCTION, list(found)],
            )
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        else:
            raise NotImplementedError(f"no summary triggers for {connection.vendor}")
        for table, name in cursor.fetchall():
            if table in found:
                found[table].add(name)
    return found
