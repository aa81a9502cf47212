"""The trend view: daily and weekly series over a patient's local days, each series one aggregate query."""

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from diary.models import CheckIn, CrampEpisode, CrampsLastNight, Elevation, User
from diary.selectors.facts import compression_hours_by_day, fluid_ml_by_day

MAX_DAYS = 3650
# A day counts as a compression day from this many hours worn (docs/decisions/0011-insight-rules.md).
COMPRESSION_DAY_HOURS = 8


def _by_day(queryset, **aggregates) -> dict[date, dict]:
    rows = queryset.values("local_date").annotate(**aggregates)
    return {row.pop("local_date"): row for row in rows}


def cramp_nights_between(patient: User, *, first: date, last: date) -> set[date]:
    """Nights in [first, last] with a nocturnal cramp logged or a morning answer of "some" (PRODUCT.md)."""
    logged = CrampEpisode.objects.filter(
        patient=patient, is_nocturnal=True, night__gte=first, night__lte=last
    ).values_list("night", flat=True)
    answered = CheckIn.objects.filter(
        patient=patient,
        cramps_last_night=CrampsLastNight.SOME,
        local_date__gte=first + timedelta(days=1),
        local_date__lte=last + timedelta(days=1),
    ).values_list("local_date", flat=True)
    return set(logged.distinct()) | {answer - timedelta(days=1) for answer in answered.distinct()}


def said_max(*values: int | None) -> int | None:
    """The highest of the values said; None when none was (Greatest would be null in some databases)."""
    return max((value for value in values if value is not None), default=None)


def cramp_minutes(cramp: dict) -> float | None:
    """Minutes of the day's cramps whose duration was said: 0 with no cramp logged, None when cramps were
    logged but no duration said (unknown, not zero)."""
    if not cramp:
        return 0.0
    seconds = cramp["cramp_seconds"]  # Sum over said durations; None when none was said
    return None if seconds is None else round(seconds / 60, 1)


def trend_series(patient: User, *, days: int, now: datetime | None = None) -> dict:
    """{days: [...], weeks: [...]} for the last `days` local days, today included."""
    now = now or timezone.now()
    today = timezone.localtime(now, patient.zone).date()
    first = today - timedelta(days=days - 1)
    in_range = {"patient": patient, "local_date__gte": first, "local_date__lte": today}

    # Max and Sum pass over nulls: each figure is over said values only, and
    # null when nothing was said that day (docs/decisions/0022-not-said.md).
    cramps = _by_day(
        CrampEpisode.objects.filter(**in_range),
        cramps=Count("id"),
        nocturnal_cramps=Count("id", filter=Q(is_nocturnal=True)),
        max_severity=Max("severity"),
        cramp_seconds=Sum("duration_seconds"),
    )
    elevation = _by_day(Elevation.objects.filter(**in_range), minutes=Sum("duration_minutes"))
    checkins = _by_day(
        CheckIn.objects.filter(**in_range),
        swelling_left_max=Max("swelling_left"),
        swelling_right_max=Max("swelling_right"),
        heaviness_max=Max("heaviness"),
        circumference_left_cm=Max("circumference_left_cm"),
        circumference_right_cm=Max("circumference_right_cm"),
    )
    fluid = fluid_ml_by_day(patient, first=first, last=today)
    compression = compression_hours_by_day(patient, first=first, last=today, now=now)
    nights = cramp_nights_between(patient, first=first, last=today)

    series = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        cramp = cramps.get(day, {})
        checkin = checkins.get(day, {})
        series.append(
            {
                "date": day,
                "cramps": cramp.get("cramps", 0),
                "nocturnal_cramps": cramp.get("nocturnal_cramps", 0),
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
                "cramp_night": day in nights,
            }
        )
    return {"days": series, "weeks": weekly(series)}


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
                "cramp_nights": sum(day["cramp_night"] for day in days),
                "cramps": sum(day["cramps"] for day in days),
                "compression_days": sum(day["compression_hours"] >= COMPRESSION_DAY_HOURS for day in days),
                "mean_fluid_ml": round(sum(fluid_days) / len(fluid_days)) if fluid_days else None,
                "swelling_days": sum((day["swelling_max"] or 0) >= 1 for day in days),
            }
        )
    return rows
