"""Onboarding: when the first-run questions were finished or skipped, and diuretics and a previous DVT
that may be not said (null). Existing rows keep their values (nobody can tell which were defaults), and
existing accounts count as onboarded since they joined: they already use the app."""

import django.utils.timezone
from django.db import migrations, models


def onboarded_when_joined(apps, schema_editor):
    User = apps.get_model("diary", "User")
    User.objects.update(onboarded_at=models.F("date_joined"))


class Migration(migrations.Migration):
    dependencies = [
        ("diary", "0011_clinics"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="takes_diuretics",
            field=models.BooleanField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="user",
            name="previous_dvt",
            field=models.BooleanField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="user",
            name="onboarded_at",
            field=models.DateTimeField(blank=True, default=django.utils.timezone.now, null=True),
        ),
        migrations.RunPython(onboarded_when_joined, migrations.RunPython.noop),
    ]
