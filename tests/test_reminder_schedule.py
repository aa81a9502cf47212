"""The next-fire-time maths: local times on chosen weekdays, across daylight-saving changes."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from diary.reminders import in_quiet_hours, next_fire_at, occurrence

EVERY_DAY = range(7)


def fires(zone: str, clock: time, after: datetime, count: int, weekdays=EVERY_DAY) -> list[datetime]:
    """The next `count` occurrences, as local wall-clock times."""
    tz = ZoneInfo(zone)
    moments = []
    for _ in range(count):
        after = next_fire_at(clock=clock, weekdays=weekdays, zone=tz, after=after)
        moments.append(after)
    return [moment.astimezone(tz).replace(tzinfo=None) for moment in moments]


def local(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_it_fires_today_when_the_time_is_still_ahead():
    after = datetime(2026, 6, 10, 5, 0, tzinfo=UTC)  # 07:00 in Berlin
    assert fires("Europe/Berlin", time(8, 0), after, 1) == [local("2026-06-10 08:00")]


def test_it_fires_tomorrow_when_todays_time_has_passed():
    after = datetime(2026, 6, 10, 7, 0, tzinfo=UTC)  # 09:00 in Berlin
    assert fires("Europe/Berlin", time(8, 0), after, 1) == [local("2026-06-11 08:00")]


def test_the_exact_moment_is_not_after_itself():
    after = datetime(2026, 6, 10, 6, 0, tzinfo=UTC)  # 08:00 in Berlin, the occurrence itself
    assert fires("Europe/Berlin", time(8, 0), after, 1) == [local("2026-06-11 08:00")]


def test_it_keeps_to_the_chosen_weekdays():
    after = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)  # a Wednesday
    got = fires("Europe/Berlin", time(8, 0), after, 4, weekdays=[0, 4])  # Mondays and Fridays
    assert got == [
        local("2026-06-12 08:00"),
        local("2026-06-15 08:00"),
        local("2026-06-19 08:00"),
        local("2026-06-22 08:00"),
    ]


def test_a_single_weekday_that_has_just_passed_comes_a_week_later():
    after = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)  # Wednesday afternoon
    assert fires("Europe/Berlin", time(8, 0), after, 1, weekdays=[2]) == [local("2026-06-17 08:00")]


def test_no_weekdays_means_never():
    assert next_fire_at(clock=time(8), weekdays=[], zone=ZoneInfo("UTC"), after=datetime.now(UTC)) is None


SPRING = [
    # zone, the day clocks spring forward, a time inside the gap, the first minute after it
    ("America/New_York", "2026-03-08", time(2, 30), "2026-03-08 03:00"),
    ("Europe/Berlin", "2026-03-29", time(2, 30), "2026-03-29 03:00"),
    ("Australia/Sydney", "2026-10-04", time(2, 15), "2026-10-04 03:00"),
]


@pytest.mark.parametrize(("zone", "day", "clock", "fires_at"), SPRING)
def test_a_time_that_does_not_exist_fires_at_the_next_valid_minute(zone, day, clock, fires_at):
    after = datetime.fromisoformat(day).replace(tzinfo=ZoneInfo(zone)) - timedelta(hours=12)
    got = fires(zone, clock, after, 3)
    next_day = (datetime.fromisoformat(day) + timedelta(days=1)).date()
    assert got[0] == local(fires_at)
    assert got[1] == datetime.combine(next_day, clock)  # and the usual time the day after
    assert got[2] - got[1] == timedelta(days=1)


@pytest.mark.parametrize(("zone", "day", "clock", "fires_at"), SPRING)
def test_times_outside_the_gap_on_a_spring_day_are_unchanged(zone, day, clock, fires_at):
    after = datetime.fromisoformat(day).replace(tzinfo=ZoneInfo(zone)) - timedelta(hours=12)
    assert fires(zone, time(8, 0), after, 1) == [
        datetime.combine(datetime.fromisoformat(day).date(), time(8))
    ]


AUTUMN = [
    # zone, the day clocks fall back, a time that occurs twice that day
    ("America/New_York", "2026-11-01", time(1, 30)),
    ("Europe/Berlin", "2026-10-25", time(2, 30)),
    ("Australia/Sydney", "2026-04-05", time(2, 30)),
]


@pytest.mark.parametrize(("zone", "day", "clock"), AUTUMN)
def test_a_time_that_occurs_twice_fires_once(zone, day, clock):
    tz = ZoneInfo(zone)
    start = datetime.fromisoformat(day).replace(tzinfo=tz) - timedelta(hours=12)
    moments = []
    after = start
    for _ in range(3):
        after = next_fire_at(clock=clock, weekdays=EVERY_DAY, zone=tz, after=after)
        moments.append(after)
    local_dates = [moment.astimezone(tz).date() for moment in moments]
    assert len(set(local_dates)) == 3  # one a day: the repeated hour does not fire a second time
    assert moments[0].astimezone(tz).fold == 0  # the first of the two
    assert [moment.astimezone(tz).time() for moment in moments] == [clock] * 3


@pytest.mark.parametrize(("zone", "day", "clock"), AUTUMN)
def test_after_the_first_of_two_identical_times_the_next_is_tomorrow(zone, day, clock):
    tz = ZoneInfo(zone)
    first = occurrence(datetime.fromisoformat(day).date(), clock, tz)
    between = first + timedelta(minutes=30)  # inside the repeated hour, before its second pass
    following = next_fire_at(clock=clock, weekdays=EVERY_DAY, zone=tz, after=between)
    assert following.astimezone(tz).date() == datetime.fromisoformat(day).date() + timedelta(days=1)


def test_the_same_local_time_is_a_different_utc_time_in_each_season():
    summer = fires("Europe/Berlin", time(8), datetime(2026, 7, 1, tzinfo=UTC), 1)
    winter = fires("Europe/Berlin", time(8), datetime(2026, 12, 1, tzinfo=UTC), 1)
    assert summer[0].time() == winter[0].time() == time(8)


def test_a_patient_who_changes_zone_gets_the_same_local_time_in_the_new_zone():
    after = datetime(2026, 6, 10, 3, 0, tzinfo=UTC)
    in_berlin = next_fire_at(clock=time(8), weekdays=EVERY_DAY, zone=ZoneInfo("Europe/Berlin"), after=after)
    in_tokyo = next_fire_at(clock=time(8), weekdays=EVERY_DAY, zone=ZoneInfo("Asia/Tokyo"), after=after)
    assert in_berlin.astimezone(ZoneInfo("Europe/Berlin")).time() == time(8)
    assert in_tokyo.astimezone(ZoneInfo("Asia/Tokyo")).time() == time(8)
    assert in_berlin != in_tokyo


@pytest.mark.parametrize(
    ("clock", "quiet"),
    [(time(21, 59), False), (time(22, 0), True), (time(3, 0), True), (time(7, 0), False)],
)
def test_quiet_hours_span_midnight(clock, quiet):
    tz = ZoneInfo("Europe/Berlin")
    moment = datetime.combine(datetime(2026, 6, 10).date(), clock, tzinfo=tz)
    assert in_quiet_hours(moment, tz, time(22, 0), time(7, 0)) is quiet


def test_no_quiet_hours_means_never_quiet():
    assert not in_quiet_hours(datetime.now(UTC), ZoneInfo("UTC"), None, None)
