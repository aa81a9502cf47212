"""Where each leg's circumference was measured (calf or ankle; null: not said), so that only like is
compared with like (issue 21, docs/decisions/0038). Existing rows keep null: nobody can tell now where
they were measured, and a measurement without its site is compared with nothing.

On SQLite adding the constraints rebuilds the table, which drops its summary triggers (decision 0017):
they are made again after the rebuild, either way.
"""

from django.db import migrations, models

from diary.kinds.triggers import create_statements

SITES = [("calf", "Calf"), ("ankle", "Ankle")]


def sqlite_triggers_again(apps, schema_editor):
    """The summary triggers of the rebuilt check-in table; PostgreSQL alters in place and keeps its own."""
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in create_statements("diary_checkin", "sqlite"):
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("diary", "0017_record_timezone"),
    ]

    operations = [
        # Undone last when the migration is reversed: the triggers again after the table's rebuild.
        migrations.RunPython(migrations.RunPython.noop, sqlite_triggers_again, elidable=False),
        migrations.AddField(
            model_name="checkin",
            name="circumference_site_left",
            field=models.CharField(blank=True, choices=SITES, max_length=5, null=True),
        ),
        migrations.AddField(
            model_name="checkin",
            name="circumference_site_right",
            field=models.CharField(blank=True, choices=SITES, max_length=5, null=True),
        ),
        migrations.AddConstraint(
            model_name="checkin",
            constraint=models.CheckConstraint(
                condition=models.Q(("circumference_site_left__isnull", True), ("circumference_site_left__in", ["calf", "ankle"]), _connector="OR"),
                name="checkin_circumference_site_left_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="checkin",
            constraint=models.CheckConstraint(
                condition=models.Q(("circumference_site_right__isnull", True), ("circumference_site_right__in", ["calf", "ankle"]), _connector="OR"),
                name="checkin_circumference_site_right_valid",
            ),
        ),
        migrations.RunPython(sqlite_triggers_again, migrations.RunPython.noop, elidable=False),
    ]
