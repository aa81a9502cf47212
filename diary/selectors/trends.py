"""The trend view: daily and weekly series over a patient's local days, each series one aggregate query."""

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import NamedTuple

from django.db import connection
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from diary.insights import THRESHOLDS, PatientFacts
from diary.kinds import INSTANT_MODELS
from diary.models import CheckIn, CrampEpisode, CrampsLastNight, Elevation, User
from diary.selectors.facts import FactorEntryDay, daily_reads, lookback_first, patient_facts

MAX_DAYS = 3650


def _by_day(queryset, **aggregates) -> dict[date, dict]:
    rows = queryset.values("local_date").annotate(**aggregates)
    return {row.pop("local_date"): row for row in rows}


# A cramp "on exertion": the activity the arterial rule reads (diary.insights.walking_cramps). A cramp
# whose activity was not said is not one (docs/decisions/0022-not-said.md).
EXERTION_ACTIVITIES = ("walking", "exercising")


def cramps_by_day(patient: User, *, first: date, last: date) -> tuple[dict[date, dict], set[date]]:
    """The day's cramp figures by local date in [first, last], and the nights of the range with a
    nocturnal cramp logged, from one query grouped by (local date, night): a day's cramps fall in at
    most two nights (before noon, the night before), so a day's figures add up from one or two rows.

    Max and Sum pass over nulls: each figure is over said values only, and null when nothing was said
    that day (docs/decisions/0022-not-said.md)."""
    rows = (
        CrampEpisode.objects.filter(patient=patient, local_date__gte=first, local_date__lte=last)
        .values("local_date", "night")
        .annotate(
            cramps=Count("id"),
            nocturnal_cramps=Count("id", filter=Q(is_nocturnal=True)),
            exertion_cramps=Count("id", filter=Q(activity__in=EXERTION_ACTIVITIES)),
            max_severity=Max("severity"),
            cramp_seconds=Sum("duration_seconds"),
        )
    )
    days: dict[date, dict] = {}
    nights: set[date] = set()
    for row in rows:
        day, night = row.pop("local_date"), row.pop("night")
        # A cramp on the morning of `first` belongs to the night before the range.
        if row["nocturnal_cramps"] and night >= first:
            nights.add(night)
        other = days.setdefault(day, row)
        if other is not row:
            for count in ("cramps", "nocturnal_cramps", "exertion_cramps"):
                other[count] += row[count]
            other["max_severity"] = said_max(other["max_severity"], row["max_severity"])
            other["cramp_seconds"] = said_sum(other["cramp_seconds"], row["cramp_seconds"])
    return days, nights


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
    patient_id = User._meta.pk.get_db_prep_value(patient.pk, connection)
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
    in_range = {"patient": patient, "local_date__gte": first, "local_date__lte": today}

    cramps, nocturnal = cramps_by_day(patient, first=first, last=today)
    elevation = _by_day(Elevation.objects.filter(**in_range), minutes=Sum("duration_minutes"))
    # Max passes over nulls: over the answered scores only, null when none was answered that day.
    checkins = _by_day(
        CheckIn.objects.filter(**in_range),
        night_answers=Count(
            "id", filter=Q(cramps_last_night__in=(CrampsLastNight.SOME, CrampsLastNight.NONE))
        ),
        night_some=Count("id", filter=Q(cramps_last_night=CrampsLastNight.SOME)),
        swelling_left_max=Max("swelling_left"),
        swelling_right_max=Max("swelling_right"),
        heaviness_max=Max("heaviness"),
        circumference_left_cm=Max("circumference_left_cm"),
        circumference_right_cm=Max("circumference_right_cm"),
    )
    reads = daily_reads(patient, first=min(first, lookback_first(today)), last=today, now=now)
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
                "elevation_minutes": elevation.get(day, {}).get("minutes", 0),
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
