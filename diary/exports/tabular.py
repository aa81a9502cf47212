"""Diary records as one long CSV table (docs/decisions/0007): the clinician's CSV, and the table the
patient's own export (diary.api.patient_export) writes its collections into."""

import csv
import io
import json
from collections.abc import Callable, Iterator
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo

from django.utils import timezone
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
    """Every kind's records as one table, whole: what record_csv_lines streams."""
    return "".join(record_csv_lines(patient))


# Rows fetched at a time, and the characters gathered before a chunk goes to the client (as the FHIR
# export's): the same memory whatever the diary's length.
ROWS_PER_FETCH = 2000
CHUNK_CHARACTERS = 64 * 1024


class _LineOut:
    """What csv.writer writes into: each line is handed back rather than kept."""

    def write(self, line: str) -> str:
        return line


def _same(value):
    return value


def _api_instant(zone) -> Callable[[datetime], str]:
    """An instant as DRF's DateTimeField writes it (ISO 8601 in the current zone, UTC as "Z"), without
    its per-value zone lookup, which was the dearest part of the CSV."""

    def instant(value: datetime) -> str:
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return instant


def _api_value(field: serializers.Field, instant: Callable[[datetime], str]) -> tuple[str, Callable]:
    """Where a row of values() holds the field, and how the API renders it: for the kinds' integer,
    float, boolean, text and choice fields that is the stored value itself, instants as `instant`, and
    the rest (dates, ids) through DRF's own to_representation, so a row costs no serializer."""
    if isinstance(field, serializers.DateTimeField):
        return field.source, instant
    if isinstance(field, serializers.PrimaryKeyRelatedField):
        return f"{field.source}_id", _same  # the API writes the related row's id
    plain = (
        serializers.IntegerField,
        serializers.FloatField,
        serializers.BooleanField,
        serializers.CharField,
    )
    if isinstance(field, (serializers.ChoiceField, *plain)):
        return field.source, _same
    return field.source, field.to_representation


def _record_plans(instant: Callable[[datetime], str]) -> list:
    """For each kind: its CSV label, the values() to read, and (column position, converter) per value;
    its instant fields' local columns; all in record_csv_columns()' order."""
    columns = record_csv_columns()
    position = {column: index for index, column in enumerate(columns)}
    plans = []
    for kind in KINDS:
        renamed = CSV_RENAMED.get(kind.csv_label, {})
        sources, cells, local_cells = [], [], []
        for name, field in kind.serializer().fields.items():
            source, convert = _api_value(field, instant)
            sources.append(source)
            cells.append((position[renamed.get(name, name)], convert))
            if isinstance(field, serializers.DateTimeField):
                local_cells.append((len(sources) - 1, position[name + LOCAL_SUFFIX]))
        plans.append((kind, tuple(sources), tuple(cells), tuple(local_cells)))
    return plans


def record_csv_lines(patient: User) -> Iterator[str]:
    """The clinician's CSV (record_csv_columns), streamed: the header, then each kind's records oldest
    first, one query per kind read a fetch at a time, in chunks of lines. Each cell is what the API
    shows, made safe by cell(); the times again on the patient's clock."""
    columns = record_csv_columns()
    zone_position = columns.index(LOCAL_ZONE_COLUMN)
    zone_cell = cell(patient.timezone)
    zone = patient.zone
    writer = csv.writer(_LineOut())
    lines = [writer.writerow(columns)]
    size = len(lines[0])
    # The zone DRF would write the instants in: the current one (UTC unless a request activated another).
    plans = _record_plans(_api_instant(timezone.get_current_timezone()))
    for kind, sources, cells, local_cells in plans:
        rows = (
            selectors.records_of(kind.model, patient=patient)
            .reverse()
            .values_list(*sources)
            .iterator(chunk_size=ROWS_PER_FETCH)
        )
        label = cell(kind.csv_label)
        for row in rows:
            line = [""] * len(columns)
            line[0] = label
            for value, (index, convert) in zip(row, cells, strict=True):
                if value is not None:
                    line[index] = cell(convert(value))
            for source_index, index in local_cells:
                moment = row[source_index]
                if moment is not None:
                    line[index] = moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")
            line[zone_position] = zone_cell
            text = writer.writerow(line)
            lines.append(text)
            size += len(text)
            if size >= CHUNK_CHARACTERS:
                yield "".join(lines)
                lines, size = [], 0
    yield "".join(lines)


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
