"""Pure time maths for reminders: the next moment a local time on chosen weekdays occurs in a zone."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from diary.nights import in_window

MINUTE = timedelta(minutes=1)
# Longer than any daylight-saving gap in the tz database (Lord Howe's is 30 minutes, most are 60).
LONGEST_GAP = timedelta(hours=3)


def exists(naive: datetime, zone: ZoneInfo) -> bool:
    """Whether a wall-clock time occurs in the zone (it does not inside a spring-forward gap)."""
    there_and_back = naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    return there_and_back == naive


def occurrence(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """The UTC moment of `clock` on `day` in `zone`.

    A time skipped by a spring-forward change fires at the next minute that exists; a time that
    occurs twice (autumn) fires at its first occurrence only (fold=0).
    """
    naive = datetime.combine(day, clock.replace(second=0, microsecond=0, tzinfo=None))
    limit = naive + LONGEST_GAP
    while not exists(naive, zone) and naive < limit:
        naive += MINUTE
    return naive.replace(tzinfo=zone, fold=0).astimezone(UTC)


def next_fire_at(
    *, clock: time, weekdays: list[int] | set[int], zone: ZoneInfo, after: datetime
) -> datetime | None:
    """The first occurrence strictly after `after` (Monday = 0), or None when no weekday is chosen."""
    days = set(weekdays)
    if not days:
        return None
    start = after.astimezone(zone).date()
    # Eight days reach every weekday, even when today's occurrence has already passed.
    for offset in range(9):
        day = start + timedelta(days=offset)
        if day.weekday() in days:
            moment = occurrence(day, clock, zone)
            if moment > after:
                return moment
    return None


def in_quiet_hours(moment: datetime, zone: ZoneInfo, start: time | None, end: time | None) -> bool:
    """Whether a UTC moment falls in the patient's quiet hours [start, end), which may span midnight."""
    if start is None or end is None:
        return False
    return in_window(moment.astimezone(zone).time().replace(tzinfo=None), start, end)
