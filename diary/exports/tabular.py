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
from django.utils.translation import pgettext, pgettext_lazy
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

# The header row is in the reader's language: each column's label, the English one being the column's
# own name (files and scripts that read the English header keep working). The cells stay as they are:
# codes, ISO times and numbers, whatever the language. (The context is written out in each call, as
# makemessages only finds a literal one.)
COLUMN_LABELS = {
    "kind": pgettext_lazy("CSV header", "kind"),
    "id": pgettext_lazy("CSV header", "id"),
    "started_at": pgettext_lazy("CSV header", "started_at"),
    "duration_seconds": pgettext_lazy("CSV header", "duration_seconds"),
    "severity": pgettext_lazy("CSV header", "severity"),
    "muscle": pgettext_lazy("CSV header", "muscle"),
    "side": pgettext_lazy("CSV header", "side"),
    "activity": pgettext_lazy("CSV header", "activity"),
    "woke_from_sleep": pgettext_lazy("CSV header", "woke_from_sleep"),
    "relieved_by_rest": pgettext_lazy("CSV header", "relieved_by_rest"),
    "notes": pgettext_lazy("CSV header", "notes"),
    "night": pgettext_lazy("CSV header", "night"),
    "is_nocturnal": pgettext_lazy("CSV header", "is_nocturnal"),
    "ended_at": pgettext_lazy("CSV header", "ended_at"),
    "pressure_class": pgettext_lazy("CSV header", "pressure_class"),
    "garment": pgettext_lazy("CSV header", "garment"),
    "legs": pgettext_lazy("CSV header", "legs"),
    "duration_minutes": pgettext_lazy("CSV header", "duration_minutes"),
    "above_heart": pgettext_lazy("CSV header", "above_heart"),
    "taken_at": pgettext_lazy("CSV header", "taken_at"),
    "volume_ml": pgettext_lazy("CSV header", "volume_ml"),
    "cramps_last_night": pgettext_lazy("CSV header", "cramps_last_night"),
    "recorded_at": pgettext_lazy("CSV header", "recorded_at"),
    "swelling_left": pgettext_lazy("CSV header", "swelling_left"),
    "swelling_right": pgettext_lazy("CSV header", "swelling_right"),
    "circumference_left_cm": pgettext_lazy("CSV header", "circumference_left_cm"),
    "circumference_right_cm": pgettext_lazy("CSV header", "circumference_right_cm"),
    "circumference_site_left": pgettext_lazy("CSV header", "circumference_site_left"),
    "circumference_site_right": pgettext_lazy("CSV header", "circumference_site_right"),
    "heaviness": pgettext_lazy("CSV header", "heaviness"),
    "aching": pgettext_lazy("CSV header", "aching"),
    "itching": pgettext_lazy("CSV header", "itching"),
    "restless_legs": pgettext_lazy("CSV header", "restless_legs"),
    "visible_veins": pgettext_lazy("CSV header", "visible_veins"),
    "skin_changes": pgettext_lazy("CSV header", "skin_changes"),
    "calf_pain_or_tenderness": pgettext_lazy("CSV header", "calf_pain_or_tenderness"),
    "sudden_onset": pgettext_lazy("CSV header", "sudden_onset"),
    "redness_or_warmth": pgettext_lazy("CSV header", "redness_or_warmth"),
    "sudden_chest_pain_or_breathlessness": pgettext_lazy("CSV header", "sudden_chest_pain_or_breathlessness"),
    "started_on": pgettext_lazy("CSV header", "started_on"),
    "stopped_on": pgettext_lazy("CSV header", "stopped_on"),
    "name": pgettext_lazy("CSV header", "name"),
    "drug_class": pgettext_lazy("CSV header", "drug_class"),
    "dose": pgettext_lazy("CSV header", "dose"),
    "schedule": pgettext_lazy("CSV header", "schedule"),
    "factor": pgettext_lazy("CSV header", "factor"),
    "occurred_at": pgettext_lazy("CSV header", "occurred_at"),
    "timezone": pgettext_lazy("CSV header", "timezone"),
    "answered_at": pgettext_lazy("CSV header", "answered_at"),
    "walking_pain": pgettext_lazy("CSV header", "walking_pain"),
    "pain_starts_at_rest": pgettext_lazy("CSV header", "pain_starts_at_rest"),
    "pain_uphill_or_hurrying": pgettext_lazy("CSV header", "pain_uphill_or_hurrying"),
    "pain_ordinary_pace": pgettext_lazy("CSV header", "pain_ordinary_pace"),
    "pain_when_standing_still": pgettext_lazy("CSV header", "pain_when_standing_still"),
    "locations": pgettext_lazy("CSV header", "locations"),
    "result": pgettext_lazy("CSV header", "result"),
    "grade": pgettext_lazy("CSV header", "grade"),
    "reminder_kind": pgettext_lazy("CSV header", "reminder_kind"),
    "local_time": pgettext_lazy("CSV header", "local_time"),
    "weekdays": pgettext_lazy("CSV header", "weekdays"),
    "channels": pgettext_lazy("CSV header", "channels"),
    "enabled": pgettext_lazy("CSV header", "enabled"),
    "message": pgettext_lazy("CSV header", "message"),
    "next_fire_at": pgettext_lazy("CSV header", "next_fire_at"),
    "reminder": pgettext_lazy("CSV header", "reminder"),
    "scheduled_for": pgettext_lazy("CSV header", "scheduled_for"),
    "channel": pgettext_lazy("CSV header", "channel"),
    "status": pgettext_lazy("CSV header", "status"),
    "reason": pgettext_lazy("CSV header", "reason"),
    "sent_at": pgettext_lazy("CSV header", "sent_at"),
    "done_at": pgettext_lazy("CSV header", "done_at"),
    "endpoint": pgettext_lazy("CSV header", "endpoint"),
    "created_at": pgettext_lazy("CSV header", "created_at"),
    "patient": pgettext_lazy("CSV header", "patient"),
    "clinician": pgettext_lazy("CSV header", "clinician"),
    "patient_name": pgettext_lazy("CSV header", "patient_name"),
    "clinician_name": pgettext_lazy("CSV header", "clinician_name"),
    "patient_timezone": pgettext_lazy("CSV header", "patient_timezone"),
    "clinic_reference": pgettext_lazy("CSV header", "clinic_reference"),
    "patient_date_of_birth": pgettext_lazy("CSV header", "patient_date_of_birth"),
    "clinic": pgettext_lazy("CSV header", "clinic"),
    "clinic_name": pgettext_lazy("CSV header", "clinic_name"),
    "assigned_to": pgettext_lazy("CSV header", "assigned_to"),
    "assigned_to_name": pgettext_lazy("CSV header", "assigned_to_name"),
    "people": pgettext_lazy("CSV header", "people"),
    "expires_at": pgettext_lazy("CSV header", "expires_at"),
    "redeemed_at": pgettext_lazy("CSV header", "redeemed_at"),
    "redeemed_by": pgettext_lazy("CSV header", "redeemed_by"),
    "redeemed_by_name": pgettext_lazy("CSV header", "redeemed_by_name"),
    "action": pgettext_lazy("CSV header", "action"),
    "at": pgettext_lazy("CSV header", "at"),
    "code": pgettext_lazy("CSV header", "code"),
    "acknowledged_at": pgettext_lazy("CSV header", "acknowledged_at"),
    "superseded_at": pgettext_lazy("CSV header", "superseded_at"),
    "level": pgettext_lazy("CSV header", "level"),
    "title": pgettext_lazy("CSV header", "title"),
    "raised_at": pgettext_lazy("CSV header", "raised_at"),
    "evidence_at": pgettext_lazy("CSV header", "evidence_at"),
    "last_evidence_at": pgettext_lazy("CSV header", "last_evidence_at"),
    "acknowledged_by_patient_at": pgettext_lazy("CSV header", "acknowledged_by_patient_at"),
    "reviewed_at": pgettext_lazy("CSV header", "reviewed_at"),
    "reviewed_by": pgettext_lazy("CSV header", "reviewed_by"),
    "reviewed_by_name": pgettext_lazy("CSV header", "reviewed_by_name"),
    "note": pgettext_lazy("CSV header", "note"),
}


def column_label(column: str) -> str:
    """A column's header in the active language; a column without a label keeps its name."""
    if column in COLUMN_LABELS:
        return str(COLUMN_LABELS[column])
    if column.endswith(LOCAL_SUFFIX) and column[: -len(LOCAL_SUFFIX)] in COLUMN_LABELS:
        own = str(COLUMN_LABELS[column[: -len(LOCAL_SUFFIX)]])
        return pgettext("CSV header: a column's time on the patient's clock", "%(column)s_local") % {
            "column": own
        }
    return column


def header_line(columns: list[str]) -> str:
    """The header row of `columns` in the active language, as csv.writer writes it."""
    return csv.writer(_LineOut()).writerow([column_label(column) for column in columns])


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


# Record columns added after the CSV's layout was published: last of all, in the order added, so a file
# read by column position finds every earlier column where it always was.
ADDED_COLUMNS = ("circumference_site_left", "circumference_site_right")


def columns_of(serializer_classes: dict[str, type[serializers.Serializer]]) -> list[str]:
    """The collections' own columns. A record's `timezone` is not among them: its column is the zone's,
    after them (local_columns), where it has always been (docs/decisions/0037)."""
    columns = list(CSV_LEADING_COLUMNS)
    for kind, serializer_class in serializer_classes.items():
        renamed = CSV_RENAMED.get(kind, {})
        for field in serializer_class().fields:
            column = renamed.get(field, field)
            if column not in columns and column not in ADDED_COLUMNS and column != LOCAL_ZONE_COLUMN:
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
    return record_columns() + local_columns(record_serializers()) + list(ADDED_COLUMNS)


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
        out.write(header_line(columns))
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


class LocalClocks(dict):
    """A LocalClock per zone, made when a row first names it."""

    def __missing__(self, zone_name: str) -> LocalClock:
        clock = self[zone_name] = LocalClock(ZoneInfo(zone_name))
        return clock


def _zoned_instant_cell(clocks: LocalClocks) -> Callable:
    """An instant on its row's own clock, read with its zone (selectors.export.zoned_instant): "2026-11-30
    03:48"."""

    def zoned_cell(value: str) -> str:
        if not value:
            return ""
        moment, zone_name = export_reads.zoned_instant_parts(value)
        return clocks[zone_name].wall(moment).isoformat(" ", "minutes")

    return zoned_cell


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
    # Each record's times on the clock of the zone it was logged in (its `timezone`, in the zone column).
    local_instant = _zoned_instant_cell(LocalClocks())
    plans = []
    for kind in KINDS:
        renamed = CSV_RENAMED.get(kind.csv_label, {})
        template = [""] * len(columns)
        template[0] = _template_cell(cell(kind.csv_label))
        slots = []
        for name, field in kind.serializer().fields.items():
            read, write = _field_cell(kind.model, field, api_instant)
            slots.append((position[renamed.get(name, name)], read, write))
            if isinstance(field, serializers.DateTimeField):
                local_text = export_reads.local_minute_cell(field.source, "timezone")
                if local_text is None:
                    zoned = export_reads.zoned_instant(field.source)
                    slots.append((position[name + LOCAL_SUFFIX], zoned, local_instant))
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
    again on the patient's clock. The header is worded now, in the language active at the call (a
    streamed response reads the lines after its view has returned)."""
    columns = columns or record_csv_columns()
    return _record_lines(patient, columns, header_line(columns))


def _record_lines(patient: User, columns: list[str], header: str) -> Iterator[str]:
    lines = [header]
    size = len(header)
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
