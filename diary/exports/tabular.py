"""The whole diary as JSON (the API's own shapes) or as one long CSV table (docs/decisions/0007)."""

import csv
import io
import json
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo

from django.utils import timezone
from rest_framework import serializers

from diary import selectors
from diary.api.accounts import ProfileSerializer
from diary.api.alerts import AlertSerializer
from diary.api.records import PATIENT_VIEWSETS
from diary.api.reminders import DeliverySerializer, ReminderSerializer
from diary.api.sharing import AccessLogSerializer, LinkSerializer
from diary.api.trends import ClaudicationSerializer
from diary.models import InsightAcknowledgement, PushSubscription, ShareCode, User
from diary.selectors import export as export_reads

# The CSV is one long table: a `kind` column (the collection name) and the union of all fields.
CSV_LEADING_COLUMNS = ["kind", "id"]
# A field named like a leading column gets another name in the CSV, where `kind` is the collection's.
CSV_RENAMED = {"reminders": {"kind": "reminder_kind"}}
# Times belong to the patient: after the columns above (whose UTC instants stay as they were, for the
# files and scripts that read them), the zone by name and every instant column again on the patient's
# clock, "started_at_local" beside "started_at" (docs/decisions/0023).
LOCAL_ZONE_COLUMN = "timezone"
LOCAL_SUFFIX = "_local"

# What makes a spreadsheet take a cell for a formula (OWASP, "CSV Injection"): one of these first,
# or after leading whitespace, which some spreadsheets trim before they look...
FORMULA_STARTS = ("=", "+", "-", "@")
# ...and a cell must not start with a tab or carriage return (OWASP), nor a NUL (ASVS 1.2.10).
UNSAFE_FIRST_CHARACTERS = ("\t", "\r", "\n", "\0")


class PushSubscriptionExportSerializer(serializers.ModelSerializer):
    """A browser the patient allowed reminders on; never its keys, which decrypt what is pushed to it."""

    class Meta:
        model = PushSubscription
        fields = ("endpoint", "created_at")


class ShareCodeExportSerializer(serializers.ModelSerializer):
    """A sharing code's times and the clinician who redeemed it (kept after a link is revoked, so the
    patient can see who was ever given access); never its digest."""

    redeemed_by_name = serializers.CharField(source="redeemed_by.name", read_only=True, allow_null=True)

    class Meta:
        model = ShareCode
        fields = ("id", "created_at", "expires_at", "redeemed_at", "redeemed_by", "redeemed_by_name")


class AcknowledgementExportSerializer(serializers.ModelSerializer):
    """The patient's "I got help" / "I have seen a doctor", and when a newer warning superseded it."""

    class Meta:
        model = InsightAcknowledgement
        fields = ("id", "code", "action", "acknowledged_at", "superseded_at")


class UrgentAlertExportSerializer(AlertSerializer):
    """An alert about the patient as the clinician's list shows it, with the clinician it went to. The
    patient's answer is in insight_acknowledgements (read here, it would cost a query per alert)."""

    # Null for a clinic's alert: it went to the clinic's members (its `clinic_name`).
    clinician_name = serializers.CharField(source="clinician.name", read_only=True, allow_null=True)
    acknowledgement = None

    class Meta(AlertSerializer.Meta):
        fields = (
            *(name for name in AlertSerializer.Meta.fields if name != "acknowledgement"),
            "clinician",
            "clinician_name",
        )
        read_only_fields = fields


# Beyond the profile and the diary records, everything kept about the patient (GDPR articles 15 and
# 20), by export key: the API's own shape where the API has one, and the read, oldest first.
ACCOUNT_COLLECTIONS = {
    "claudication": (ClaudicationSerializer, export_reads.claudication_answers_of),
    "reminders": (ReminderSerializer, export_reads.reminders_of),
    "reminder_deliveries": (DeliverySerializer, export_reads.deliveries_of),
    "push_subscriptions": (PushSubscriptionExportSerializer, export_reads.push_subscriptions_of),
    "sharing_links": (LinkSerializer, export_reads.sharing_links_of),
    "sharing_codes": (ShareCodeExportSerializer, export_reads.share_codes_of),
    "access_log": (AccessLogSerializer, export_reads.access_log_entries_of),
    "insight_acknowledgements": (AcknowledgementExportSerializer, export_reads.acknowledgements_of),
    "urgent_alerts": (UrgentAlertExportSerializer, export_reads.urgent_alerts_of),
}


def records_by_collection(patient: User) -> dict[str, list]:
    """The five diary collections, oldest first, in the API's own shapes: one query each."""
    return {
        segment: viewset.serializer_class(
            selectors.records_of(viewset.model, patient=patient).reverse(), many=True
        ).data
        for segment, viewset in PATIENT_VIEWSETS.items()
    }


def diary_as_dict(patient: User) -> dict:
    """The patient's own export: the profile, every record, and everything else kept about them."""
    body = {"exported_at": timezone.now().isoformat(), "profile": ProfileSerializer(patient).data}
    body.update(records_by_collection(patient))
    for key, (serializer_class, rows_of) in ACCOUNT_COLLECTIONS.items():
        body[key] = serializer_class(rows_of(patient=patient), many=True).data
    return body


def _time_fields(serializer_class: type[serializers.Serializer]) -> list[str]:
    """The fields of a collection that hold an instant (ISO 8601 with offset, in UTC)."""
    return [
        name
        for name, field in serializer_class().fields.items()
        if isinstance(field, serializers.DateTimeField)
    ]


def _local_columns(serializer_classes: dict[str, type[serializers.Serializer]]) -> list[str]:
    """After every existing column: the zone, then each instant column again on the patient's clock."""
    columns = [LOCAL_ZONE_COLUMN]
    for serializer_class in serializer_classes.values():
        for field in _time_fields(serializer_class):
            if field + LOCAL_SUFFIX not in columns:
                columns.append(field + LOCAL_SUFFIX)
    return columns


def _columns(serializer_classes: dict[str, type[serializers.Serializer]]) -> list[str]:
    columns = list(CSV_LEADING_COLUMNS)
    for kind, serializer_class in serializer_classes.items():
        renamed = CSV_RENAMED.get(kind, {})
        for field in serializer_class().fields:
            column = renamed.get(field, field)
            if column not in columns:
                columns.append(column)
    return columns


def _record_serializers() -> dict[str, type[serializers.Serializer]]:
    return {segment: viewset.serializer_class for segment, viewset in PATIENT_VIEWSETS.items()}


def _account_serializers() -> dict[str, type[serializers.Serializer]]:
    return {key: serializer_class for key, (serializer_class, _) in ACCOUNT_COLLECTIONS.items()}


@cache
def record_columns() -> list[str]:
    """The records' own columns, as they have always been (kind, id, then each collection's fields)."""
    return _columns(_record_serializers())


@cache
def record_csv_columns() -> list[str]:
    """The clinician's CSV: the record columns, then the zone and the local times."""
    return record_columns() + _local_columns(_record_serializers())


@cache
def diary_columns() -> list[str]:
    """The record columns first, in their order (files read by column position keep working), then
    the other collections' columns, then the zone and the local times of all of them."""
    extra = [column for column in _columns(_account_serializers()) if column not in record_columns()]
    local = _local_columns({**_record_serializers(), **_account_serializers()})
    return record_columns() + extra + local


@cache
def _time_fields_by_kind() -> dict[str, list[str]]:
    return {
        kind: _time_fields(cls) for kind, cls in {**_record_serializers(), **_account_serializers()}.items()
    }


def local_clock(value: str | None, zone: ZoneInfo) -> str | None:
    """An ISO 8601 instant on a zone's clock, as a spreadsheet reads a date and time: "2026-11-30 03:48"."""
    if not value:
        return None
    return datetime.fromisoformat(value).astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _table(collections: dict[str, list], columns: list[str], patient: User) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    time_fields = _time_fields_by_kind()
    for kind, rows in collections.items():
        renamed = CSV_RENAMED.get(kind, {})
        for row in rows:
            # A row that carries its own zone (the zone it was logged in) is read on that clock.
            zone_name = row.get(LOCAL_ZONE_COLUMN) or patient.timezone
            zone = ZoneInfo(zone_name)
            local = {field + LOCAL_SUFFIX: local_clock(row.get(field), zone) for field in time_fields[kind]}
            writer.writerow(
                {
                    "kind": cell(kind),
                    **{renamed.get(k, k): cell(v) for k, v in row.items()},
                    LOCAL_ZONE_COLUMN: cell(zone_name),
                    **{k: cell(v) for k, v in local.items()},
                }
            )
    return out.getvalue()


def records_as_csv(patient: User) -> str:
    """The five diary collections as one table: what a linked clinician exports."""
    return _table(records_by_collection(patient), record_csv_columns(), patient)


def diary_as_csv(patient: User) -> str:
    """Every collection of the patient's own export as one table (the profile, one object, is in the
    JSON only)."""
    body = diary_as_dict(patient)
    collections = {key: value for key, value in body.items() if isinstance(value, list)}
    return _table(collections, diary_columns(), patient)


def spreadsheet_text(text: str) -> str:
    """Text a spreadsheet shows as written: a leading quote marks a cell as text, not a formula."""
    if text.startswith(UNSAFE_FIRST_CHARACTERS) or text.lstrip().startswith(FORMULA_STARTS):
        return "'" + text
    return text


def cell(value):
    """Every CSV cell passes through here; numbers and the like go as they are, text made safe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        value = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    if isinstance(value, str):
        return spreadsheet_text(value)
    return value
