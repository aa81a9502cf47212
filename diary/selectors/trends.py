"""The trend view: daily and weekly series over a patient's local days, every kind's figures in one query."""

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import NamedTuple

from django.db import connection
from django.utils import timezone

from diary.insights import THRESHOLDS, PatientFacts
from diary.kinds import INSTANT_MODELS
from diary.models import (
    CheckIn,
    CompressionWear,
    CrampEpisode,
    CrampsLastNight,
    Elevation,
    Factor,
    FactorEntry,
    Hydration,
    User,
)
from diary.selectors.facts import DailyReads, FactorEntryDay, lookback_first, medication_rows, patient_facts
from diary.selectors.rows import user_id_param

MAX_DAYS = 3650


# A cramp "on exertion": the activity the arterial rule reads (diary.insights.walking_cramps). A cramp
# whose activity was not said is not one (docs/decisions/0022-not-said.md).
EXERTION_ACTIVITIES = ("walking", "exercising")


def _fold_cramps(rows: list[tuple], *, first: date) -> tuple[dict[date, dict], set[date]]:
    """The day's cramp figures by local date, and the nights from `first` with a nocturnal cramp logged,
    from rows grouped by (local date, night): a day's cramps fall in at most two nights (before noon,
    the night before), so a day's figures add up from one or two rows.

    Max and Sum pass over nulls: each figure is over said values only, and null when nothing was said
    that day (docs/decisions/0022-not-said.md)."""
    days: dict[date, dict] = {}
    nights: set[date] = set()
    for day, night, cramps, nocturnal, exertion, max_severity, seconds in rows:
        # A cramp on the morning of `first` belongs to the night before the range.
        if nocturnal and night >= first:
            nights.add(night)
        other = days.get(day)
        if other is None:
            days[day] = {
                "cramps": cramps,
                "nocturnal_cramps": nocturnal,
                "exertion_cramps": exertion,
                "max_severity": max_severity,
                "cramp_seconds": seconds,
            }
        else:
            other["cramps"] += cramps
            other["nocturnal_cramps"] += nocturnal
            other["exertion_cramps"] += exertion
            other["max_severity"] = said_max(other["max_severity"], max_severity)
            other["cramp_seconds"] = said_sum(other["cramp_seconds"], seconds)
    return days, nights


# One row shape for every kind's daily figures, so that they come in one statement: the kind, its local
# date (and a cramp's night), then the kind's own columns, each position used by one kind's values of one
# type (PostgreSQL types a UNION's column over all its branches), null elsewhere.
_DAILY_COLUMNS = ("n1", "n2", "n3", "i1", "i2", "i3", "f1", "f2", "t1", "d1", "s1")
# PostgreSQL types a UNION's columns branch by branch from the first: its nulls need a type (else text).
_POSTGRESQL_TYPES = {
    "f1": "double precision",
    "f2": "double precision",
    "t1": "timestamptz",
    "d1": "interval",
}


def _branch(
    kind: str, table: str, values: dict[str, str], *, night: str = "NULL", tail: str = "", nulls=None
) -> str:
    nulls = nulls or {}
    columns = ", ".join(values.get(name, nulls.get(name, "NULL")) for name in _DAILY_COLUMNS)
    return (
        f"SELECT '{kind}', local_date, {night}, {columns} FROM {table} "
        f"WHERE patient_id = %s AND local_date BETWEEN %s AND %s{tail}"
    )


@cache
def _daily_sql(vendor: str) -> str:
    """The trend's daily figures of every kind in one statement (UNION ALL), in the order of
    _daily_params: the cramps by (local date, night), the check-ins and elevation by local date over the
    range; the drinks and the hours of compression by local date, and the factors' (name, made, day),
    over the range and the facts' lookback. Written as SQL and kept per vendor (as _span_sql): compiling
    six ORM aggregates cost more than running them (bench/trends.py). A count "with a filter" is a SUM
    of a CASE, which every database has."""
    quote = connection.ops.quote_name
    exertion = ", ".join(f"'{activity}'" for activity in EXERTION_ACTIVITIES)
    answered = ", ".join(f"'{answer}'" for answer in (CrampsLastNight.SOME, CrampsLastNight.NONE))
    some = f"'{CrampsLastNight.SOME}'"
    branches = [
        _branch(
            "c",
            quote(CrampEpisode._meta.db_table),
            {
                "n1": "COUNT(*)",
                "n2": "SUM(CASE WHEN is_nocturnal THEN 1 ELSE 0 END)",
                "n3": f"SUM(CASE WHEN activity IN ({exertion}) THEN 1 ELSE 0 END)",
                "i1": "MAX(severity)",
                "i2": "SUM(duration_seconds)",
            },
            night="night",
            tail=" GROUP BY local_date, night",
            nulls={name: f"CAST(NULL AS {kind})" for name, kind in _POSTGRESQL_TYPES.items()}
            if vendor == "postgresql"
            else None,
        ),
        _branch(
            "k",
            quote(CheckIn._meta.db_table),
            {
                "n1": f"SUM(CASE WHEN cramps_last_night IN ({answered}) THEN 1 ELSE 0 END)",
                "n2": f"SUM(CASE WHEN cramps_last_night = {some} THEN 1 ELSE 0 END)",
                "i1": "MAX(swelling_left)",
                "i2": "MAX(swelling_right)",
                "i3": "MAX(heaviness)",
                "f1": "MAX(circumference_left_cm)",
                "f2": "MAX(circumference_right_cm)",
            },
            tail=" GROUP BY local_date",
        ),
        _branch(
            "e",
            quote(Elevation._meta.db_table),
            {"i1": "SUM(duration_minutes)"},
            tail=" GROUP BY local_date",
        ),
        _branch("h", quote(Hydration._meta.db_table), {"i1": "SUM(volume_ml)"}, tail=" GROUP BY local_date"),
        # The time worn, a wear still on counting until now (the %s): an interval in PostgreSQL, and
        # microseconds from the function Django's SQLite backend gives a datetime difference.
        _branch(
            "w",
            quote(CompressionWear._meta.db_table),
            {
                "d1": "SUM(COALESCE(ended_at, %s) - started_at)"
                if vendor == "postgresql"
                else "SUM(django_timestamp_diff(COALESCE(ended_at, %s), started_at))"
            },
            tail=" GROUP BY local_date",
        ),
    ]
    factor, entry = quote(Factor._meta.db_table), quote(FactorEntry._meta.db_table)
    branches.append(
        f"SELECT 'f', e.local_date, NULL, {', '.join('NULL' for _ in _DAILY_COLUMNS[:-3])}, "
        f"f.created_at, NULL, f.name FROM {entry} e JOIN {factor} f ON f.id = e.factor_id "
        f"WHERE e.patient_id = %s AND e.local_date BETWEEN %s AND %s "
        f"GROUP BY e.local_date, f.name, f.created_at"
    )
    return " UNION ALL ".join(branches)


def _daily_params(patient_id, *, first: date, wide_first: date, last: date, now: datetime) -> list:
    day = connection.ops.adapt_datefield_value
    narrow, wide = [patient_id, day(first), day(last)], [patient_id, day(wide_first), day(last)]
    return narrow * 3 + wide + [connection.ops.adapt_datetimefield_value(now)] + wide * 2


class DailyFigures(NamedTuple):
    cramps: dict[date, dict]
    nocturnal: set[date]  # the nights from `first` with a nocturnal cramp logged
    checkins: dict[date, dict]
    elevation_minutes: dict[date, int]
    reads: DailyReads


def daily_figures(patient: User, *, first: date, wide_first: date, last: date, now: datetime) -> DailyFigures:
    """Every kind's daily figures for the trend in [first, last], and the facts' shared reads (drinks,
    compression, factors) from `wide_first`, in one query, plus the medication list."""
    patient_id = user_id_param(patient.pk)
    params = _daily_params(patient_id, first=first, wide_first=wide_first, last=last, now=now)
    with connection.cursor() as cursor:
        cursor.execute(_daily_sql(connection.vendor), params)
        rows = cursor.fetchall()
    cramp_rows, checkins, elevation, fluid, compression, factors = [], {}, {}, {}, {}, []
    for kind, day, night, n1, n2, n3, i1, i2, i3, f1, f2, t1, d1, s1 in rows:
        day = _as_date(day)
        if kind == "c":
            cramp_rows.append((day, _as_date(night), n1, n2, n3, i1, i2))
        elif kind == "k":
            # Max passes over nulls: over the answered scores only, null when none was answered that day.
            checkins[day] = {
                "night_answers": n1,
                "night_some": n2,
                "swelling_left_max": i1,
                "swelling_right_max": i2,
                "heaviness_max": i3,
                "circumference_left_cm": f1,
                "circumference_right_cm": f2,
            }
        elif kind == "e":
            elevation[day] = i1
        elif kind == "h":
            fluid[day] = i1
        elif kind == "w":
            worn = d1 if isinstance(d1, timedelta) else timedelta(microseconds=d1)
            compression[day] = min(24.0, worn.total_seconds() / 3600)
        else:
            factors.append(FactorEntryDay(s1, _as_moment(t1), day))
    cramps, nocturnal = _fold_cramps(cramp_rows, first=first)
    reads = DailyReads(
        fluid_ml_by_day=fluid,
        compression_hours_by_day=compression,
        factor_entry_days=factors,
        medications=medication_rows(patient),
    )
    return DailyFigures(cramps, nocturnal, checkins, elevation, reads)


def nights_known(
    checkins: dict[date, dict], *, first: date, nocturnal: set[date]
) -> tuple[set[date], set[date]]:
    """The nights from `first` on that we know about, and those of them with cramps (PRODUCT.md; as
    diary.insights.observed_nights counts them): a nocturnal cramp logged for the night, or a morning
    answer about it ("some" is a cramp night, "none" is not). Any other night is unknown, not cramp-free.

    The answers come from the day's check-in figures (by local date): the morning of D + 1 answers for
    the night of D, so the night of today has no answer yet."""
    answered, some = set(), set()
    for morning, checkin in checkins.items():
        night = morning - timedelta(days=1)
        if night >= first and checkin["night_answers"]:
            answered.add(night)
            if checkin["night_some"]:
                some.add(night)
    return nocturnal | answered, nocturnal | some


def factors_by_day(entries: list[FactorEntryDay], *, first: date, last: date) -> dict[date, list[str]]:
    """The names of the tags logged on each local date in [first, last], each once."""
    days: dict[date, list[str]] = {}
    for name, _made_at, day in entries:
        if first <= day <= last:
            days.setdefault(day, []).append(name)
    return {day: sorted(names, key=str.casefold) for day, names in days.items()}


def medication_spans(rows: list[dict], *, first: date, last: date) -> list[dict]:
    """The medicines of medication_rows taken at some time in [first, last] (started by its end, not
    stopped before its start), oldest start first."""
    return [
        row
        for row in rows
        if row["started_on"] <= last and (row["stopped_on"] is None or row["stopped_on"] >= first)
    ]


class DiarySpan(NamedTuple):
    started_on: date | None  # the local date of the first entry, ever
    last_entry_at: datetime | None  # the time of the latest entry (as the clinician's list has it)


@cache
def _span_sql(vendor: str) -> str:
    """One SELECT of two scalar subqueries per kind of record, each reading one row of the kind's
    (patient, time) index: the first record's local date and the last record's time. Written as SQL: the
    ORM took 3-15 ms to compile these ten subqueries, more than all the rest of the trend view's new work
    together (bench/trends.py); MIN(local_date), with no index, read every record. `vendor` keys the
    cache: the quoting is the database's."""
    quote = connection.ops.quote_name
    columns = []
    for model in INSTANT_MODELS:
        moment = quote(model.TIME_FIELD)
        rows = (
            f"FROM {quote(model._meta.db_table)} WHERE {quote(model._meta.get_field('patient').column)} = %s"
        )
        columns.append(f"(SELECT {quote('local_date')} {rows} ORDER BY {moment} LIMIT 1)")
        columns.append(f"(SELECT {moment} {rows} ORDER BY {moment} DESC LIMIT 1)")
    return "SELECT " + ", ".join(columns)


def _as_date(value: date | str | None) -> date | None:
    # SQLite hands back a subquery's date as text; PostgreSQL as a date.
    return date.fromisoformat(value) if isinstance(value, str) else value


def _as_moment(value: datetime | str | None) -> datetime | None:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    # SQLite keeps UTC without an offset (USE_TZ); PostgreSQL hands back an aware time.
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def diary_span(patient: User) -> DiarySpan:
    """When the patient's diary began and its latest entry, in one query whatever the diary's size; both
    None when nothing was ever logged. The diary begins on the local date of its first entry by the
    clock (docs/decisions/0024-unknown-is-not-zero.md)."""
    patient_id = user_id_param(patient.pk)
    with connection.cursor() as cursor:
        cursor.execute(_span_sql(connection.vendor), [patient_id] * (2 * len(INSTANT_MODELS)))
        row = cursor.fetchone()
    firsts = [_as_date(value) for value in row[::2]]
    lasts = [_as_moment(value) for value in row[1::2]]
    return DiarySpan(
        started_on=min((day for day in firsts if day is not None), default=None),
        last_entry_at=max((moment for moment in lasts if moment is not None), default=None),
    )


def said_max(*values: int | None) -> int | None:
    """The highest of the values said; None when none was (Greatest would be null in some databases)."""
    return max((value for value in values if value is not None), default=None)


def said_sum(*values: int | None) -> int | None:
    """The sum of the values said; None when none was (as SQL's SUM)."""
    said = [value for value in values if value is not None]
    return sum(said) if said else None


def cramp_minutes(cramp: dict) -> float | None:
    """Minutes of the day's cramps whose duration was said: 0 with no cramp logged, None when cramps were
    logged but no duration said (unknown, not zero)."""
    if not cramp:
        return 0.0
    seconds = cramp["cramp_seconds"]  # Sum over said durations; None when none was said
    return None if seconds is None else round(seconds / 60, 1)


def trend_series(patient: User, *, days: int, now: datetime | None = None) -> dict:
    """{days: [...], weeks: [...], medications: [...], diary_started_on, last_entry_at} for the last `days`
    local days, today included."""
    return trends_and_facts(patient, days=days, now=now, with_facts=False)[0]


def trends_and_facts(
    patient: User, *, days: int, now: datetime | None = None, with_facts: bool = True
) -> tuple[dict, PatientFacts | None]:
    """trend_series, and the insights' facts at the same `now` (None without `with_facts`): the facts'
    per-day reads (drinks, compression, factors, the medication list) come from the trend's, read from
    the facts' first day when the range starts later (a few more rows for a short range, four fewer
    queries)."""
    now = now or timezone.now()
    today = timezone.localtime(now, patient.zone).date()
    first = today - timedelta(days=days - 1)
    figures = daily_figures(
        patient, first=first, wide_first=min(first, lookback_first(today)), last=today, now=now
    )
    cramps, nocturnal, checkins, elevation, reads = figures
    fluid, compression = reads.fluid_ml_by_day, reads.compression_hours_by_day
    factors = factors_by_day(reads.factor_entry_days, first=first, last=today)
    medications = medication_spans(reads.medications, first=first, last=today)
    observed, cramped = nights_known(checkins, first=first, nocturnal=nocturnal)
    # "Logged" comes from the per-kind rows already read, no query of its own: a day is in one of them
    # exactly when a record of that kind has its local date (a wear still on counts from the day put on).
    # Days before `first` in `fluid` and `compression` are never looked up: the series is over the range.
    # Not a medicine's start: a start date typed into the list months later says nothing about that day's
    # cramps, and a logged day with none reads as a known zero (docs/decisions/0024).
    logged = set(cramps) | set(elevation) | set(checkins) | set(fluid) | set(compression) | set(factors)

    series = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        cramp = cramps.get(day, {})
        checkin = checkins.get(day, {})
        series.append(
            {
                "date": day,
                "logged": day in logged,
                "cramps": cramp.get("cramps", 0),
                "nocturnal_cramps": cramp.get("nocturnal_cramps", 0),
                "exertion_cramps": cramp.get("exertion_cramps", 0),
                "max_severity": cramp.get("max_severity"),
                "cramp_minutes": cramp_minutes(cramp),
                "compression_hours": round(compression.get(day, 0.0), 1),
                "elevation_minutes": elevation.get(day, 0),
                "fluid_ml": fluid.get(day),  # None: no drink logged, unknown rather than zero
                "swelling_max": said_max(checkin.get("swelling_left_max"), checkin.get("swelling_right_max")),
                "heaviness_max": checkin.get("heaviness_max"),
                "swelling_left_max": checkin.get("swelling_left_max"),
                "swelling_right_max": checkin.get("swelling_right_max"),
                "circumference_left_cm": checkin.get("circumference_left_cm"),
                "circumference_right_cm": checkin.get("circumference_right_cm"),
                "cramp_night": day in cramped,
                "night_observed": day in observed,
                # None: nothing logged that day, so whether a tag applied is unknown (not "none of them").
                "factors": factors.get(day, []) if day in logged else None,
            }
        )
    span = diary_span(patient)
    body = {
        "days": series,
        "weeks": weekly(series),
        "medications": medications,
        "diary_started_on": span.started_on,
        "last_entry_at": span.last_entry_at,
    }
    return body, patient_facts(patient, now=now, shared=reads) if with_facts else None


def weekly(series: list[dict]) -> list[dict]:
    """Weeks from Monday, over the days given (a first or last week may be partial)."""
    weeks: dict[date, list[dict]] = defaultdict(list)
    for day in series:
        weeks[day["date"] - timedelta(days=day["date"].weekday())].append(day)
    rows = []
    for week_start, days in sorted(weeks.items()):
        fluid_days = [day["fluid_ml"] for day in days if day["fluid_ml"] is not None]
        rows.append(
            {
                "week_start": week_start,
                "days": len(days),
                "logged_days": sum(day["logged"] for day in days),
                # 0 observed nights: the week's cramp nights are unknown, not none.
                "observed_nights": sum(day["night_observed"] for day in days),
                "cramp_nights": sum(day["cramp_night"] for day in days),
                "cramps": sum(day["cramps"] for day in days),
                "exertion_cramps": sum(day["exertion_cramps"] for day in days),
                "compression_days": sum(
                    day["compression_hours"] >= THRESHOLDS.compression_day_hours for day in days
                ),
                "mean_fluid_ml": round(sum(fluid_days) / len(fluid_days)) if fluid_days else None,
                "swelling_days": sum((day["swelling_max"] or 0) >= 1 for day in days),
            }
        )
    return rows
