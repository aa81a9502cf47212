"""FHIR Bulk Data: a clinic's Group export jobs (BulkExport, ADR 0033)."""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("diary", "0012_onboarding"),
    ]

    operations = [
        migrations.CreateModel(
            name="BulkExport",
            fields=[
                (
                    "id",
                    models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Pending"),
                            ("running", "Running"),
                            ("completed", "Completed"),
                            ("failed", "Failed"),
                            ("cancelled", "Cancelled"),
                        ],
                        default="pending",
                        max_length=16,
                    ),
                ),
                ("request_url", models.TextField()),
                ("since", models.DateTimeField(blank=True, null=True)),
                ("types", models.JSONField(blank=True, default=list)),
                ("transaction_time", models.DateTimeField(blank=True, null=True)),
                ("patients_total", models.PositiveIntegerField(blank=True, null=True)),
                ("patients_done", models.PositiveIntegerField(default=0)),
                ("files", models.JSONField(blank=True, default=list)),
                ("error", models.TextField(blank=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("queued_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("started_at", models.DateTimeField(blank=True, null=True)),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                ("expires_at", models.DateTimeField(blank=True, null=True)),
                (
                    "clinic",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="bulk_exports",
                        to="diary.clinic",
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="bulk_exports",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("status__in", ["pending", "running", "completed", "failed", "cancelled"])
                        ),
                        name="bulk_export_status_valid",
                    )
                ],
            },
        ),
    ]
