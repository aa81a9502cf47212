"""Diary records as one long CSV table (docs/decisions/0007): the clinician's CSV, and the table the
patient's own export (diary.api.patient_export) writes its collections into."""

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from functools import cache
from operator import call
from zoneinfo import ZoneInfo

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import F
from django.utils import timezone
from rest_framework import serializers

from diary import selectors
from diary.kinds import KINDS
from diary.models import User
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
    *,
    header: bool = True,
) -> str:
    """Collections of rows (by `kind`) as one CSV table (its header first unless `header` is False);
    `time_fields` are each kind's instant fields, written again on the patient's clock."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    if header:
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


# The characters gathered before a chunk goes to the client (as the FHIR export's): with the fetch of
# rows (selectors.export.ROWS_PER_FETCH), the same memory whatever the diary's length.
CHUNK_CHARACTERS = 64 * 1024

# What makes csv.writer (the excel dialect, as every CSV here is written) quote a cell.
QUOTED_CHARACTERS = re.compile('[,"\r\n]')
LINE_END = "\r\n"


class _LineOut:
    """What csv.writer writes into: each line is handed back rather than kept."""

    def write(self, line: str) -> str:
        return line


def written(text: str) -> str:
    """A cell's text as csv.writer writes it: quoted, its quotes doubled, when it holds a comma, a quote
    or a line break."""
    if QUOTED_CHARACTERS.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def _text_cell(value) -> str:
    return "" if value is None else written(spreadsheet_text(value))


def _number_cell(value) -> str:
    return "" if value is None else str(value)


def _as_is(value) -> str:
    return "" if value is None else value


_BOOLEAN_CELLS = {None: "", True: "true", False: "false"}


def _choice_cell(choices) -> Callable:
    """A choice's cell, each choice's made safe once."""
    known = {choice: _text_cell(choice) for choice in choices}

    def choice_cell(value) -> str:
        text = known.get(value)
        return _text_cell(value) if text is None else text

    return choice_cell


def _any_cell(convert: Callable) -> Callable:
    """The API's rendering of a value (`convert`) through cell(), written as csv.writer writes it."""

    def any_cell(value) -> str:
        if value is None:
            return ""
        value = cell(convert(value))
        return written(value if isinstance(value, str) else str(value))

    return any_cell


class LocalClock:
    """Instants on a zone's clock: the zone's offset looked up once per UTC day, and kept for a day whose
    first and last microsecond have the same offset (a zone changes its offset at most once a day); a
    day with a change looks each instant up (docs/decisions/0023)."""

    DAYS_KEPT = 4096  # a dozen years of days, then the memo starts again: bounded memory

    def __init__(self, zone):
        self.zone = zone
        self.offsets: dict = {}

    def offset(self, moment: datetime) -> timedelta | None:
        """The offset of every instant of the moment's UTC day, or None if it changes that day."""
        day = moment.date()
        if day in self.offsets:
            return self.offsets[day]
        start = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
        first = start.astimezone(self.zone).utcoffset()
        last = (start + timedelta(days=1, microseconds=-1)).astimezone(self.zone).utcoffset()
        if len(self.offsets) >= self.DAYS_KEPT:
            self.offsets.clear()
        self.offsets[day] = offset = first if first == last else None
        return offset

    def wall(self, moment: datetime) -> datetime:
        """A naive instant on UTC's clock as a naive time on the zone's clock."""
        offset = self.offset(moment)
        if offset is None:
            return moment.replace(tzinfo=UTC).astimezone(self.zone).replace(tzinfo=None)
        return moment + offset


def _utc_moment(value) -> datetime:
    """An instant read as UTC text (selectors.export.UtcText) or as a datetime, naive on UTC's clock."""
    if isinstance(value, str):
        return datetime.fromisoformat(value)
    return value.astimezone(UTC).replace(tzinfo=None)


def _api_instant_cell(zone) -> Callable:
    """An instant as DRF's DateTimeField writes it (ISO 8601 in the current zone, UTC as "Z"); cell()
    would leave it as it is."""
    if zone is UTC or getattr(zone, "key", None) in ("UTC", "Etc/UTC"):

        def utc_cell(value) -> str:
            if value is None:
                return ""
            if isinstance(value, str):
                # UTC text, "2026-11-30 03:48:00[.ffffff]": isoformat's own, "T" between, no zero
                # fraction.
                fraction = value[19:]
                if fraction.strip(".0") == "":
                    return value[:10] + "T" + value[11:19] + "Z"
                return value[:10] + "T" + value[11:] + "Z"
            return _utc_moment(value).isoformat() + "Z"

        return utc_cell

    def zone_cell(value) -> str:
        if value is None:
            return ""
        text = _utc_moment(value).replace(tzinfo=UTC).astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return zone_cell


def _local_instant_cell(clock: LocalClock) -> Callable:
    """An instant on the patient's clock, as a spreadsheet reads a date and time: "2026-11-30 03:48"."""

    def local_cell(value) -> str:
        return "" if value is None else clock.wall(_utc_moment(value)).isoformat(" ", "minutes")

    return local_cell


def _uuid_cell(value) -> str:
    return "" if value is None else str(value)


def _model_field(model, name: str):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _field_cell(model, field: serializers.Field, api_instant: Callable) -> tuple:
    """What to read for a serializer field and how its cell is written (None: the read is the cell), as
    the API renders it and cell() makes it safe: integers, booleans and ids as text from the database,
    instants from UTC text, floats, text and choices from the stored value, and the rest (dates) through
    DRF's own to_representation."""
    source = field.source
    stored = _model_field(model, source)
    if isinstance(field, serializers.DateTimeField):
        return export_reads.instant_cell(source), api_instant
    if isinstance(field, serializers.PrimaryKeyRelatedField):
        read, final = export_reads.uuid_cell(f"{source}_id")  # the API writes the related row's id
        return read, None if final else _uuid_cell
    if isinstance(field, serializers.UUIDField):
        read, final = export_reads.uuid_cell(source)
        return read, None if final else _uuid_cell
    if isinstance(field, serializers.BooleanField):
        if isinstance(stored, models.BooleanField):
            return export_reads.boolean_text(source), None
        return F(source), _BOOLEAN_CELLS.__getitem__
    if isinstance(field, serializers.IntegerField) and isinstance(stored, models.IntegerField):
        return export_reads.integer_text(source), None
    if isinstance(field, (serializers.IntegerField, serializers.FloatField)):
        return F(source), _number_cell
    if type(field) is serializers.ChoiceField:
        return F(source), _choice_cell(field.choices)
    if type(field) is serializers.CharField:
        return F(source), _text_cell
    return F(source), _any_cell(field.to_representation)


def _template_cell(text: str) -> str:
    # A constant cell inside a str.format template.
    return written(text).replace("{", "{{").replace("}", "}}")


def _record_plans(patient: User, columns: list[str]) -> list:
    """For each kind: what to read (the values to write first, then those read as their cells), the
    line's template (its constant cells written in, a numbered {} per value read), and how each of the
    first values is written; in the order of `columns`."""
    position = {column: index for index, column in enumerate(columns)}
    # The zone DRF would write the instants in: the current one (UTC unless a request activated another).
    api_instant = _api_instant_cell(timezone.get_current_timezone())
    local_instant = _local_instant_cell(LocalClock(patient.zone))
    plans = []
    for kind in KINDS:
        renamed = CSV_RENAMED.get(kind.csv_label, {})
        template = [""] * len(columns)
        template[0] = _template_cell(cell(kind.csv_label))
        template[position[LOCAL_ZONE_COLUMN]] = _template_cell(cell(patient.timezone))
        slots = []
        for name, field in kind.serializer().fields.items():
            read, write = _field_cell(kind.model, field, api_instant)
            slots.append((position[renamed.get(name, name)], read, write))
            if isinstance(field, serializers.DateTimeField):
                local_text = export_reads.local_minute_cell(field.source, patient.timezone)
                if local_text is None:
                    slots.append((position[name + LOCAL_SUFFIX], read, local_instant))
                else:
                    slots.append((position[name + LOCAL_SUFFIX], local_text, None))
        # Written ones first: map() writes them and stops; the cells read as they are follow.
        slots.sort(key=lambda slot: slot[2] is None)
        for number, (index, _read, _write) in enumerate(slots):
            template[index] = f"{{{number}}}"
        writes = tuple(write for _index, _read, write in slots if write is not None)
        plans.append((kind, [read for _index, read, _write in slots], ",".join(template) + LINE_END, writes))
    return plans


def record_csv_lines(patient: User, columns: list[str] | None = None) -> Iterator[str]:
    """The clinician's CSV (record_csv_columns, or the patient's own `columns`), streamed: the header,
    then each kind's records oldest first, one query per kind read a fetch at a time, in chunks of lines.
    Each cell is what the API shows, made safe by cell(), and written as csv.writer writes it; the times
    again on the patient's clock."""
    columns = columns or record_csv_columns()
    lines = [csv.writer(_LineOut()).writerow(columns)]
    size = len(lines[0])
    for kind, reads, template, writes in _record_plans(patient, columns):
        line_of = template.format
        first = len(writes)
        for row in export_reads.record_cells(kind.model, patient=patient, cells=reads):
            line = line_of(*map(call, writes, row), *row[first:])
            lines.append(line)
            size += len(line)
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
