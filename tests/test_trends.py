"""The trend series: local days and nights, each series aggregated in the database, across DST."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from diary.models import CheckIn, CompressionWear, CrampEpisode, Elevation, Hydration
from diary.selectors.trends import trend_series
from diary.services.records import record_create

pytestmark = [pytest.mark.django_db, pytest.mark.dbsensitive]

BERLIN = ZoneInfo("Europe/Berlin")
# Friday 2026-06-12, 18:00 in Berlin.
NOW = datetime(2026, 6, 12, 16, 0, tzinfo=UTC)


def at(text: str, zone=BERLIN) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=zone)


def log(model, patient, **data):
    return record_create(model=model, patient=patient, data=data)[0]


def cramp(patient, when: datetime, *, severity=5, seconds=120, activity="sleeping", woke=False):
    return log(
        CrampEpisode,
        patient,
        started_at=when,
        duration_seconds=seconds,
        severity=severity,
        muscle="calf",
        side="left",
        activity=activity,
        woke_from_sleep=woke,
    )


def wear(patient, start: datetime, end: datetime | None):
    return log(
        CompressionWear,
        patient,
        started_at=start,
        ended_at=end,
        pressure_class="20-30",
        garment="knee",
        legs="both",
    )


def series(patient, days: int, now: datetime = NOW) -> dict:
    with time_machine.travel(now, tick=False):
        return trend_series(patient, days=days)


def day(result: dict, when: date) -> dict:
    return next(row for row in result["days"] if row["date"] == when)


def test_it_has_one_row_per_local_day_ending_today(alice):
    result = series(alice, 10)
    assert [row["date"] for row in result["days"]] == [
        date(2026, 6, 3) + timedelta(days=n) for n in range(10)
    ]


def test_a_day_sums_its_cramps(alice):
    cramp(alice, at("2026-06-11 02:10"), severity=7, seconds=90)
    cramp(alice, at("2026-06-11 03:40"), severity=4, seconds=150)
    cramp(alice, at("2026-06-11 15:00"), severity=3, seconds=60, activity="walking")

    row = day(series(alice, 7), date(2026, 6, 11))

    assert (row["cramps"], row["nocturnal_cramps"], row["max_severity"]) == (3, 2, 7)
    assert row["cramp_minutes"] == 5.0


def test_an_empty_day_has_zero_cramps_and_unknown_measures(alice):
    row = day(series(alice, 7), date(2026, 6, 11))
    assert row["cramps"] == 0
    assert row["max_severity"] is None
    assert row["fluid_ml"] is None  # no drink logged: unknown, not zero
    assert row["swelling_max"] is None
    assert row["heaviness_max"] is None


def test_compression_hours_count_on_the_day_the_stockings_went_on(alice):
    wear(alice, at("2026-06-10 07:00"), at("2026-06-10 21:30"))
    wear(alice, at("2026-06-12 08:00"), None)  # still on: counts until now (18:00)
    result = series(alice, 7)
    assert day(result, date(2026, 6, 10))["compression_hours"] == 14.5
    assert day(result, date(2026, 6, 12))["compression_hours"] == 10.0
    assert day(result, date(2026, 6, 11))["compression_hours"] == 0


def test_fluid_elevation_and_checkins_are_summed_or_maximised_per_day(alice):
    for hour, ml in ((8, 250), (12, 400), (19, 300)):
        log(Hydration, alice, taken_at=at(f"2026-06-11 {hour:02}:00"), volume_ml=ml)
    log(Elevation, alice, started_at=at("2026-06-11 11:00"), duration_minutes=15)
    log(Elevation, alice, started_at=at("2026-06-11 17:00"), duration_minutes=20)
    log(CheckIn, alice, recorded_at=at("2026-06-11 08:00"), swelling_left=1, heaviness=2)
    log(
        CheckIn,
        alice,
        recorded_at=at("2026-06-11 20:00"),
        swelling_left=2,
        swelling_right=1,
        heaviness=6,
        circumference_left_cm=38.5,
        circumference_right_cm=36.0,
    )

    row = day(series(alice, 7), date(2026, 6, 11))

    assert row["fluid_ml"] == 950
    assert row["elevation_minutes"] == 35
    assert (row["swelling_max"], row["heaviness_max"]) == (2, 6)
    assert (row["swelling_left_max"], row["swelling_right_max"]) == (2, 1)
    assert (row["circumference_left_cm"], row["circumference_right_cm"]) == (38.5, 36.0)


def test_weeks_start_on_monday_and_count_cramp_nights_by_the_night_rule(alice):
    # Night of Mon 8 June: a cramp at 01:00 on the 9th. Night of Tue 9: answered "some" on the 10th.
    cramp(alice, at("2026-06-09 01:00"))
    cramp(alice, at("2026-06-09 03:00"))  # the same night
    log(CheckIn, alice, recorded_at=at("2026-06-10 08:00"), cramps_last_night="some")
    log(CheckIn, alice, recorded_at=at("2026-06-11 08:00"), cramps_last_night="none", swelling_left=1)
    cramp(alice, at("2026-06-07 02:00"))  # Sunday: the night of Sat 6, the week before
    for start in ("2026-06-08", "2026-06-09", "2026-06-10"):
        wear(alice, at(f"{start} 07:00"), at(f"{start} 16:00"))
    wear(alice, at("2026-06-11 07:00"), at("2026-06-11 10:00"))  # 3 hours: not a compression day
    log(Hydration, alice, taken_at=at("2026-06-08 09:00"), volume_ml=1500)
    log(Hydration, alice, taken_at=at("2026-06-09 09:00"), volume_ml=2500)

    weeks = series(alice, 14)["weeks"]

    assert [week["week_start"] for week in weeks] == [date(2026, 5, 25), date(2026, 6, 1), date(2026, 6, 8)]
    this_week = weeks[-1]
    assert this_week["days"] == 5  # Monday 8 to Friday 12
    assert this_week["cramp_nights"] == 2
    assert this_week["cramps"] == 2
    assert this_week["compression_days"] == 3
    assert this_week["mean_fluid_ml"] == 2000
    assert this_week["swelling_days"] == 1
    assert weeks[1]["cramp_nights"] == 1


def test_a_week_across_the_spring_change_counts_right(alice):
    # Berlin skips 02:00-03:00 on Sunday 29 March 2026.
    cramp(alice, at("2026-03-29 01:30"))
    cramp(alice, at("2026-03-29 03:30"))
    cramp(alice, at("2026-03-30 01:30"))
    result = series(alice, 7, now=datetime(2026, 3, 31, 10, 0, tzinfo=UTC))
    assert [row["date"] for row in result["days"]][-3:] == [
        date(2026, 3, 29),
        date(2026, 3, 30),
        date(2026, 3, 31),
    ]
    assert day(result, date(2026, 3, 29))["nocturnal_cramps"] == 2
    assert day(result, date(2026, 3, 28))["cramp_night"] is True
    assert day(result, date(2026, 3, 29))["cramp_night"] is True
    assert sum(week["cramp_nights"] for week in result["weeks"]) == 2


def test_the_same_diary_in_tokyo_and_los_angeles_gives_the_same_series(alice, carol):
    tokyo, los_angeles = ZoneInfo("Asia/Tokyo"), ZoneInfo("America/Los_Angeles")
    alice.timezone, carol.timezone = "Asia/Tokyo", "America/Los_Angeles"
    alice.save()
    carol.save()
    for text in ("2026-06-08 23:30", "2026-06-09 02:00", "2026-06-10 14:00", "2026-06-11 04:00"):
        cramp(alice, at(text, tokyo))
        cramp(carol, at(text, los_angeles))
    for text in ("2026-06-09 08:00", "2026-06-11 09:00"):
        log(Hydration, alice, taken_at=at(text, tokyo), volume_ml=500)
        log(Hydration, carol, taken_at=at(text, los_angeles), volume_ml=500)

    # The same local moment for both: noon on the 12th where each lives.
    in_tokyo = series(alice, 7, now=at("2026-06-12 12:00", tokyo))
    in_los_angeles = series(carol, 7, now=at("2026-06-12 12:00", los_angeles))

    # The latest entry is a moment, the same local time in each zone.
    assert in_tokyo.pop("last_entry_at") == at("2026-06-11 09:00", tokyo)
    assert in_los_angeles.pop("last_entry_at") == at("2026-06-11 09:00", los_angeles)
    assert in_tokyo == in_los_angeles


@pytest.mark.parametrize("days", [1, 90, 3650])
def test_it_accepts_one_to_ten_years(alice, days):
    assert len(series(alice, days)["days"]) == days


def test_queries_do_not_grow_with_entries(alice):
    def queries_for(nights: int) -> int:
        for offset in range(nights):
            cramp(alice, at("2026-06-11 02:00") - timedelta(days=offset))
            log(Hydration, alice, taken_at=at("2026-06-11 09:00") - timedelta(days=offset), volume_ml=300)
            log(CheckIn, alice, recorded_at=at("2026-06-11 08:00") - timedelta(days=offset), swelling_left=1)
        with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as queries:
            trend_series(alice, days=90)
        return len(queries)

    few = queries_for(3)
    many = queries_for(40)
    assert few == many == 3  # every kind's daily figures in one statement, the medication list, the span


def test_the_trends_endpoint_shares_the_daily_reads_with_the_insights_facts(alice, as_alice):
    """The associations' facts reuse the trend's drinks, compression, factors and medication list: only
    their cramps, check-ins and questionnaire are read again."""
    cramp(alice, at("2026-06-11 02:00"))
    log(Hydration, alice, taken_at=at("2026-06-10 09:00"), volume_ml=300)
    with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as queries:
        assert as_alice.get("/api/v1/trends/", {"days": 7}).status_code == 200
    assert len(queries) == 6  # the trend's 3, and the facts' cramps, check-ins and questionnaire
