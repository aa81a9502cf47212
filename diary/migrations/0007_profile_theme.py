"""The profile's theme: automatic (dark in the night window), light or dark; not clinical."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("diary", "0006_not_said"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="theme",
            field=models.CharField(
                choices=[("auto", "Automatic (dark at night)"), ("light", "Light"), ("dark", "Dark")],
                default="auto",
                max_length=8,
            ),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(("theme__in", ["auto", "light", "dark"])), name="user_theme_valid"
            ),
        ),
    ]
