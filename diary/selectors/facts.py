"""Reads a patient's recent diary into the plain facts the insight rules take (diary.insights)."""

from datetime import date, datetime, timedelta
from typing import NamedTuple

from django.db import connection
from django.db.models import DurationField, ExpressionWrapper, F, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from diary.insights import CheckInFact, ClaudicationFact, CrampFact, FactorFact, MedicationFact, PatientFacts
from diary.models import (
    CheckIn,
    ClaudicationAnswer,
    CompressionWear,
    CrampEpisode,
    DrugClass,
    FactorEntry,
    Hydration,
    Medication,
    User,
)
from diary.selectors.medications import takes_diuretics_from
from diary.selectors.rows import model_rows, user_id_param

# The rules look back 28 days; a night's answer comes the morning after, so one more day is read.
LOOKBACK_DAYS = 29
# The facts' fields in their dataclass's order, read as the model's columns of the same names.
CHECKIN_FIELDS = tuple(field for field in CheckInFact.__dataclass_fields__ if field != "id")
CRAMP_FIELDS = tuple(CrampFact.__dataclass_fields__)
CLAUDICATION_FIELDS = tuple(ClaudicationFact.__dataclass_fields__)


def compression_hours_by_day(patient: User, *, first: date, last: date, now: datetime) -> dict[date, float]:
    """Hours worn per local day, summed in the database; a wear counts on the day it was put on, and one
    still being worn counts until now."""
    worn = ExpressionWrapper(Coalesce("ended_at", Value(now)) - F("started_at"), output_field=DurationField())
    rows = (
        CompressionWear.objects.filter(patient=patient, local_date__gte=first, local_date__lte=last)
        .values("local_date")
        .annotate(worn=Sum(worn))
        .values_list("local_date", "worn")
    )
    return {day: min(24.0, worn.total_seconds() / 3600) for day, worn in rows if worn is not None}


def fluid_ml_by_day(patient: User, *, first: date, last: date) -> dict[date, int]:
    """Millilitres per local day, for days with at least one drink logged (the others are unknown)."""
    rows = (
        Hydration.objects.filter(patient=patient, local_date__gte=first, local_date__lte=last)
        .values("local_date")
        .annotate(total=Sum("volume_ml"))
        .values_list("local_date", "total")
    )
    return dict(rows)


def latest_claudication(patient: User) -> ClaudicationFact | None:
    found = model_rows(
        ClaudicationAnswer,
        CLAUDICATION_FIELDS,
        where="patient_id = %s ORDER BY answered_at DESC LIMIT 1",
        params=[user_id_param(patient.pk)],
    )
    return ClaudicationFact(*found[0]) if found else None


MEDICATION_FIELDS = ("name", "drug_class", "dose", "started_on", "stopped_on")


def medication_rows(patient: User) -> list[dict]:
    """The whole list, oldest start first, in one query: a personal list is short, so the trend view
    (which shows the medicines of its range) and the facts (which need all) share this one read."""
    found = model_rows(
        Medication,
        MEDICATION_FIELDS,
        where="patient_id = %s ORDER BY started_on, name",
        params=[user_id_param(patient.pk)],
    )
    return [dict(zip(MEDICATION_FIELDS, row, strict=True)) for row in found]


def medication_facts(rows: list[dict]) -> list[MedicationFact]:
    """The rule needs to know whether anything is listed at all (with nothing listed it falls back on the
    profile), so every row of medication_rows, not only those of the window."""
    return [
        MedicationFact(
            name=row["name"],
            drug_class=row["drug_class"],
            started_on=row["started_on"],
            stopped_on=row["stopped_on"],
        )
        for row in rows
    ]


class FactorEntryDay(NamedTuple):
    name: str
    made_at: datetime  # when the tag was made
    day: date  # a local date it was logged on


def factor_entry_days(patient: User, *, first: date, last: date) -> list[FactorEntryDay]:
    """Each tag logged in [first, last] with each of its local days, once, in one query: the entries'
    stored local dates (as every other kind's, docs/decisions/0023)."""
    rows = (
        FactorEntry.objects.filter(patient=patient, local_date__gte=first, local_date__lte=last)
        .values_list("factor__name", "factor__created_at", "local_date")
        .distinct()
    )
    return [FactorEntryDay(*row) for row in rows]


def factor_facts(
    entries: list[FactorEntryDay], *, patient: User, first: date, last: date
) -> list[FactorFact]:
    """Each tag logged in [first, last] with its local days, and the day the tag was made, in the patient's
    zone."""
    days: dict[str, set[date]] = {}
    made: dict[str, date] = {}
    for name, created_at, day in entries:
        if first <= day <= last:
            days.setdefault(name, set()).add(day)
            made[name] = timezone.localtime(created_at, patient.zone).date()
    return [
        FactorFact(name=name, days=frozenset(logged), since=min(made[name], min(logged)))
        for name, logged in sorted(days.items(), key=lambda item: item[0].casefold())
    ]


def checkin_fact(checkin: CheckIn) -> CheckInFact:
    return CheckInFact(id=str(checkin.pk), **{name: getattr(checkin, name) for name in CHECKIN_FIELDS})


def lookback_first(today: date) -> date:
    """The first local day the facts read."""
    return today - timedelta(days=LOOKBACK_DAYS)


class DailyReads(NamedTuple):
    """Reads another view of the same request already made (the trend view), from at least
    lookback_first(today) to today and at the same `now`, for patient_facts to share rather than repeat."""

    fluid_ml_by_day: dict[date, int]
    compression_hours_by_day: dict[date, float]
    factor_entry_days: list[FactorEntryDay]
    medications: list[dict]  # medication_rows: the whole list


def daily_reads(patient: User, *, first: date, last: date, now: datetime) -> DailyReads:
    return DailyReads(
        fluid_ml_by_day=fluid_ml_by_day(patient, first=first, last=last),
        compression_hours_by_day=compression_hours_by_day(patient, first=first, last=last, now=now),
        factor_entry_days=factor_entry_days(patient, first=first, last=last),
        medications=medication_rows(patient),
    )


def _window(by_day: dict, *, first: date, last: date) -> dict:
    return {day: value for day, value in by_day.items() if first <= day <= last}


def patient_facts(
    patient: User, *, now: datetime | None = None, shared: DailyReads | None = None
) -> PatientFacts:
    """The last four weeks of the patient's diary, in seven queries whatever its size; three when `shared`
    (read at this `now`, from lookback_first(today) on or earlier) has the per-day series already."""
    now = now or timezone.now()
    today = timezone.localtime(now, patient.zone).date()
    first = lookback_first(today)
    reads = shared or daily_reads(patient, first=first, last=today, now=now)
    patient_id = user_id_param(patient.pk)
    since = connection.ops.adapt_datefield_value(first)
    # A cramp of the window's first morning belongs to the night before it, which the rules also read.
    cramps = [
        CrampFact(*row)
        for row in model_rows(
            CrampEpisode, CRAMP_FIELDS, where="patient_id = %s AND (night >= %s OR local_date >= %s)",
            params=[patient_id, since, since],
        )
    ]  # fmt: skip
    checkins = [
        CheckInFact(str(pk), *rest)
        for pk, *rest in model_rows(
            CheckIn, ("id", *CHECKIN_FIELDS), where="patient_id = %s AND local_date >= %s",
            params=[patient_id, since],
        )
    ]  # fmt: skip
    medications = medication_facts(reads.medications)
    diuretic_stops = [m.stopped_on for m in medications if m.drug_class == DrugClass.DIURETIC]
    return PatientFacts(
        today=today,
        now=now,
        fluid_target_ml=patient.fluid_target_ml,
        takes_diuretics=takes_diuretics_from(patient.takes_diuretics, diuretic_stops, today=today),
        previous_dvt=patient.previous_dvt,
        cramps=cramps,
        checkins=checkins,
        fluid_ml_by_day=_window(reads.fluid_ml_by_day, first=first, last=today),
        compression_hours_by_day=_window(reads.compression_hours_by_day, first=first, last=today),
        claudication=latest_claudication(patient),
        medications=medications,
        factors=factor_facts(reads.factor_entry_days, patient=patient, first=first, last=today),
        timezone=patient.timezone,
    )
