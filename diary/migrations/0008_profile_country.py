"""The profile's country (for the emergency number) and date of birth: both optional, null is not said."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("diary", "0007_profile_theme"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="country",
            field=models.CharField(blank=True, max_length=2, null=True),
        ),
        migrations.AddField(
            model_name="user",
            name="date_of_birth",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("country__isnull", True), ("country__regex", "^[A-Z]{2}$"), _connector="OR"
                ),
                name="user_country_upper",
            ),
        ),
    ]
