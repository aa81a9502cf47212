"""Not said is not an answer: a cramp's severity, duration, muscle, side and activity, and a check-in's
swelling, heaviness, aching and itching, become nullable (null: not said; docs/decisions/0022).

Existing rows keep their values: nobody can tell now which of them were the form's defaults.

On SQLite every altered field rebuilds its table, which drops the table's triggers; the summary's
stale-mark triggers of 0005 are made again for the two rebuilt tables, after the rebuild either way.
"""

import django.core.validators
from django.db import migrations, models

REBUILT_TABLES = ("diary_crampepisode", "diary_checkin")
SQLITE_EVENTS = (("insert", "NEW"), ("update", "NEW"), ("delete", "OLD"))
MARK_STALE = "UPDATE diary_patientsummary SET stale = 1 WHERE patient_id = {row}.patient_id AND NOT stale"


def sqlite_triggers_again(apps, schema_editor):
    """The triggers of 0005 on the rebuilt tables; PostgreSQL alters in place and keeps its own."""
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in REBUILT_TABLES:
        for event, row in SQLITE_EVENTS:
            name = f"{table}_summary_stale_{event}"
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
            schema_editor.execute(
                f"CREATE TRIGGER {name} AFTER {event.upper()} ON {table} BEGIN {MARK_STALE.format(row=row)}; END"
            )


class Migration(migrations.Migration):

    dependencies = [
        ('diary', '0005_summary_stale_triggers'),
    ]

    operations = [
        # Undone last when the migration is reversed: the triggers again after the tables' rebuild.
        migrations.RunPython(migrations.RunPython.noop, sqlite_triggers_again, elidable=False),
        migrations.RemoveConstraint(
            model_name='checkin',
            name='checkin_swelling_left_range',
        ),
        migrations.RemoveConstraint(
            model_name='checkin',
            name='checkin_swelling_right_range',
        ),
        migrations.RemoveConstraint(
            model_name='checkin',
            name='checkin_heaviness_range',
        ),
        migrations.RemoveConstraint(
            model_name='checkin',
            name='checkin_aching_range',
        ),
        migrations.RemoveConstraint(
            model_name='checkin',
            name='checkin_itching_range',
        ),
        migrations.RemoveConstraint(
            model_name='crampepisode',
            name='cramp_duration_range',
        ),
        migrations.RemoveConstraint(
            model_name='crampepisode',
            name='cramp_severity_range',
        ),
        migrations.RemoveConstraint(
            model_name='crampepisode',
            name='cramp_muscle_valid',
        ),
        migrations.RemoveConstraint(
            model_name='crampepisode',
            name='cramp_side_valid',
        ),
        migrations.RemoveConstraint(
            model_name='crampepisode',
            name='cramp_activity_valid',
        ),
        migrations.AlterField(
            model_name='checkin',
            name='aching',
            field=models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(10)]),
        ),
        migrations.AlterField(
            model_name='checkin',
            name='heaviness',
            field=models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(10)]),
        ),
        migrations.AlterField(
            model_name='checkin',
            name='itching',
            field=models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(10)]),
        ),
        migrations.AlterField(
            model_name='checkin',
            name='swelling_left',
            field=models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(3)]),
        ),
        migrations.AlterField(
            model_name='checkin',
            name='swelling_right',
            field=models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(3)]),
        ),
        migrations.AlterField(
            model_name='crampepisode',
            name='activity',
            field=models.CharField(blank=True, choices=[('sleeping', 'Sleeping'), ('resting', 'Resting'), ('sitting', 'Sitting'), ('standing', 'Standing'), ('walking', 'Walking'), ('exercising', 'Exercising')], max_length=12, null=True),
        ),
        migrations.AlterField(
            model_name='crampepisode',
            name='duration_seconds',
            field=models.PositiveIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(3600)]),
        ),
        migrations.AlterField(
            model_name='crampepisode',
            name='muscle',
            field=models.CharField(blank=True, choices=[('calf', 'Calf'), ('foot', 'Foot'), ('thigh', 'Thigh'), ('shin', 'Shin'), ('other', 'Other')], max_length=8, null=True),
        ),
        migrations.AlterField(
            model_name='crampepisode',
            name='severity',
            field=models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MaxValueValidator(10)]),
        ),
        migrations.AlterField(
            model_name='crampepisode',
            name='side',
            field=models.CharField(blank=True, choices=[('left', 'Left'), ('right', 'Right'), ('both', 'Both')], max_length=8, null=True),
        ),
        migrations.AddConstraint(
            model_name='checkin',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('swelling_left__gte', 0), ('swelling_left__lte', 3)), ('swelling_left__isnull', True), _connector='OR'), name='checkin_swelling_left_range'),
        ),
        migrations.AddConstraint(
            model_name='checkin',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('swelling_right__gte', 0), ('swelling_right__lte', 3)), ('swelling_right__isnull', True), _connector='OR'), name='checkin_swelling_right_range'),
        ),
        migrations.AddConstraint(
            model_name='checkin',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('heaviness__gte', 0), ('heaviness__lte', 10)), ('heaviness__isnull', True), _connector='OR'), name='checkin_heaviness_range'),
        ),
        migrations.AddConstraint(
            model_name='checkin',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('aching__gte', 0), ('aching__lte', 10)), ('aching__isnull', True), _connector='OR'), name='checkin_aching_range'),
        ),
        migrations.AddConstraint(
            model_name='checkin',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('itching__gte', 0), ('itching__lte', 10)), ('itching__isnull', True), _connector='OR'), name='checkin_itching_range'),
        ),
        migrations.AddConstraint(
            model_name='crampepisode',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('duration_seconds__gte', 1), ('duration_seconds__lte', 3600)), ('duration_seconds__isnull', True), _connector='OR'), name='cramp_duration_range'),
        ),
        migrations.AddConstraint(
            model_name='crampepisode',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('severity__gte', 0), ('severity__lte', 10)), ('severity__isnull', True), _connector='OR'), name='cramp_severity_range'),
        ),
        migrations.AddConstraint(
            model_name='crampepisode',
            constraint=models.CheckConstraint(condition=models.Q(('muscle__isnull', True), ('muscle__in', ['calf', 'foot', 'thigh', 'shin', 'other']), _connector='OR'), name='cramp_muscle_valid'),
        ),
        migrations.AddConstraint(
            model_name='crampepisode',
            constraint=models.CheckConstraint(condition=models.Q(('side__isnull', True), ('side__in', ['left', 'right', 'both']), _connector='OR'), name='cramp_side_valid'),
        ),
        migrations.AddConstraint(
            model_name='crampepisode',
            constraint=models.CheckConstraint(condition=models.Q(('activity__isnull', True), ('activity__in', ['sleeping', 'resting', 'sitting', 'standing', 'walking', 'exercising']), _connector='OR'), name='cramp_activity_valid'),
        ),
        migrations.RunPython(sqlite_triggers_again, migrations.RunPython.noop, elidable=False),
    ]
