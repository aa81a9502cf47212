"""Diary records as one long CSV table (docs/decisions/0007): the clinician's CSV, and the table the
patient's own export (diary.api.patient_export) writes its collections into."""

import csv
import io
import json
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo

from rest_framework import serializers

from diary import selectors
from diary.kinds import KINDS
from diary.models import User

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


def records_by_collection(patient: User) -> dict[str, list]:
    """Every kind's records, oldest first, in the API's own shapes: one query each."""
    return {
        kind.segment: kind.serializer(
            selectors.records_of(kind.model, patient=patient).reverse(), many=True
        ).data
        for kind in KINDS
    }


def time_fields_of(serializer_class: type[serializers.Serializer]) -> list[str]:
    """The fields of a collection that hold an instant (ISO 8601 with offset, in UTC)."""
    return [
        name
        for name, field in serializer_class().fields.items()
        if isinstance(field, serializers.DateTimeField)
    ]


def local_columns(serializer_classes: dict[str, type[serializers.Serializer]]) -> list[str]:
    """After every existing column: the zone, then each instant column again on the patient's clock."""
    columns = [LOCAL_ZONE_COLUMN]
    for serializer_class in serializer_classes.values():
        for field in time_fields_of(serializer_class):
            if field + LOCAL_SUFFIX not in columns:
                columns.append(field + LOCAL_SUFFIX)
    return columns


def columns_of(serializer_classes: dict[str, type[serializers.Serializer]]) -> list[str]:
    columns = list(CSV_LEADING_COLUMNS)
    for kind, serializer_class in serializer_classes.items():
        renamed = CSV_RENAMED.get(kind, {})
        for field in serializer_class().fields:
            column = renamed.get(field, field)
            if column not in columns:
                columns.append(column)
    return columns


def record_serializers() -> dict[str, type[serializers.Serializer]]:
    return {kind.csv_label: kind.serializer for kind in KINDS}


@cache
def record_columns() -> list[str]:
    """The records' own columns, as they have always been (kind, id, then each collection's fields)."""
    return columns_of(record_serializers())


@cache
def record_csv_columns() -> list[str]:
    """The clinician's CSV: the record columns, then the zone and the local times."""
    return record_columns() + local_columns(record_serializers())


@cache
def record_time_fields() -> dict[str, list[str]]:
    return {kind: time_fields_of(cls) for kind, cls in record_serializers().items()}


def local_clock(value: str | None, zone: ZoneInfo) -> str | None:
    """An ISO 8601 instant on a zone's clock, as a spreadsheet reads a date and time: "2026-11-30 03:48"."""
    if not value:
        return None
    return datetime.fromisoformat(value).astimezone(zone).strftime("%Y-%m-%d %H:%M")


def table(
    collections: dict[str, list],
    columns: list[str],
    patient: User,
    time_fields: dict[str, list[str]],
) -> str:
    """Collections of rows (by `kind`) as one CSV table; `time_fields` are each kind's instant fields,
    written again on the patient's clock."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
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
    """Every kind's records as one table: what a linked clinician exports."""
    return table(records_by_collection(patient), record_csv_columns(), patient, record_time_fields())


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
