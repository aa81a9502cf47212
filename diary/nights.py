"""Pure time rules from PRODUCT.md: the local date and night of an entry, and when a cramp is nocturnal."""

from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

NOON = time(12, 0)
NOCTURNAL_ACTIVITIES = frozenset({"sleeping"})


@cache
def known_timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def is_known_timezone(name: str) -> bool:
    return name in known_timezones()


def local_time(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone))


def night_of(local: datetime) -> date:
    """The night of local date D runs from 12:00 on D to 12:00 on D + 1, by the clock, also on DST days."""
    if local.time() >= NOON:
        return local.date()
    return local.date() - timedelta(days=1)


def in_window(clock: time, start: time, end: time) -> bool:
    """Whether a clock time falls in [start, end), where a window with start > end spans midnight."""
    if start == end:
        return False
    if start < end:
        return start <= clock < end
    return clock >= start or clock < end


def is_nocturnal(
    *, local: datetime, woke_from_sleep: bool, activity: str | None, night_start: time, night_end: time
) -> bool:
    """A cramp is nocturnal if it woke the patient, came while sleeping, or fell in the night window.

    An activity not said (None) is not "sleeping": the time and "woke me" decide alone."""
    return (
        woke_from_sleep
        or activity in NOCTURNAL_ACTIVITIES
        or in_window(local.time().replace(tzinfo=None), night_start, night_end)
    )
