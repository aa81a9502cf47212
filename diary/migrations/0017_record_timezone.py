"""Every diary record keeps the zone it was lived in: existing rows take their patient's profile zone, the
zone their dates were derived in (docs/decisions/0037).

On SQLite, making the column NOT NULL rebuilds each table, which drops its summary triggers (0006 and
diary.kinds.triggers): they are made again after the rebuild, either way.
"""

import diary.models
from django.db import migrations, models

from diary.kinds.triggers import create_statements

RECORD_MODELS = ("checkin", "compressionwear", "crampepisode", "elevation", "factorentry", "hydration", "medication")


def fill_record_timezones(apps, schema_editor) -> None:
    """One UPDATE per table, in SQL that SQLite and PostgreSQL both run: each record without a zone takes
    its patient's profile zone (the one its local date, night and nocturnal flag were derived in)."""
    user_table = schema_editor.quote_name(apps.get_model("diary", "User")._meta.db_table)
    for name in RECORD_MODELS:
        table = schema_editor.quote_name(apps.get_model("diary", name)._meta.db_table)
        schema_editor.execute(
            f"UPDATE {table} SET timezone = (SELECT {user_table}.timezone FROM {user_table} "
            f"WHERE {user_table}.id = {table}.patient_id) WHERE {table}.timezone IS NULL"
        )


def sqlite_triggers_again(apps, schema_editor) -> None:
    """The summary triggers of the rebuilt tables; PostgreSQL alters in place and keeps its own."""
    if schema_editor.connection.vendor != "sqlite":
        return
    for name in RECORD_MODELS:
        for statement in create_statements(apps.get_model("diary", name)._meta.db_table, "sqlite"):
            schema_editor.execute(statement)


def added(name: str) -> migrations.AddField:
    # Null for now, so that existing rows can be filled before the column is made NOT NULL.
    return migrations.AddField(
        model_name=name,
        name="timezone",
        field=models.CharField(max_length=64, null=True),
    )


def required(name: str) -> migrations.AlterField:
    return migrations.AlterField(
        model_name=name,
        name="timezone",
        field=models.CharField(
            help_text="The IANA zone the record was logged in.",
            max_length=64,
            validators=[diary.models.validate_timezone],
        ),
    )


def local_date_help(name: str) -> migrations.AlterField:
    return migrations.AlterField(
        model_name=name,
        name="local_date",
        field=models.DateField(editable=False, help_text="The local date of the entry, in its zone."),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("diary", "0016_profile_language"),
    ]

    operations = [
        # Undone last when the migration is reversed: the triggers again after the tables' rebuild.
        migrations.RunPython(migrations.RunPython.noop, sqlite_triggers_again, elidable=False),
        *(added(name) for name in RECORD_MODELS),
        migrations.RunPython(fill_record_timezones, migrations.RunPython.noop, elidable=False),
        *(required(name) for name in RECORD_MODELS),
        *(local_date_help(name) for name in RECORD_MODELS),
        migrations.RunPython(sqlite_triggers_again, migrations.RunPython.noop, elidable=False),
    ]
