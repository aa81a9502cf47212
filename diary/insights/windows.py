"""The 28-day window of the rules in the patient's local dates, and the clock arithmetic they share."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from diary.insights.facts import CheckInFact, CrampFact, PatientFacts
from diary.insights.thresholds import THRESHOLDS


def window_nights(facts: PatientFacts) -> list[date]:
    """The nights of the window, oldest first: local dates today-28 .. today-1.

    Night D runs from 12:00 on D to 12:00 on D + 1; tonight (night `today`) is not over, so it is left out.
    """
    return [facts.today - timedelta(days=n) for n in range(THRESHOLDS.window_days, 0, -1)]


def window_days(facts: PatientFacts) -> list[date]:
    """The days of the window, oldest first: local dates today-27 .. today.

    Used for "on >= 7 days" counts (check-ins) and for episode counts (cramps by their local date).
    """
    return [facts.today - timedelta(days=n) for n in range(THRESHOLDS.window_days - 1, -1, -1)]


def in_night_window(facts: PatientFacts, night: date) -> bool:
    return facts.today - timedelta(days=THRESHOLDS.window_days) <= night <= facts.today - timedelta(days=1)


def in_day_window(facts: PatientFacts, day: date) -> bool:
    return facts.today - timedelta(days=THRESHOLDS.window_days - 1) <= day <= facts.today


def cramps_in_window(facts: PatientFacts) -> list[CrampFact]:
    """All cramp episodes (day and night) whose local date is in the day window, oldest first."""
    return sorted((c for c in facts.cramps if in_day_window(facts, c.local_date)), key=lambda c: c.started_at)


def checkins_in_window(facts: PatientFacts) -> list[CheckInFact]:
    """The check-ins whose local date is in the day window, oldest first."""
    return sorted(
        (c for c in facts.checkins if in_day_window(facts, c.local_date)), key=lambda c: c.recorded_at
    )


def local_date_of(facts: PatientFacts, moment: datetime) -> date:
    """The patient's local date of an instant (an aware datetime's own .date() is its zone's, often UTC)."""
    return moment.astimezone(ZoneInfo(facts.timezone)).date()


def age(now: datetime, moment: datetime) -> timedelta:
    # In UTC: aware datetimes that share a tzinfo object would otherwise subtract as wall clocks (DST).
    return now.astimezone(UTC) - moment.astimezone(UTC)


def recent_checkins(facts: PatientFacts, days: int) -> list[CheckInFact]:
    # "In the last N days" by the clock: recorded no more than N x 24 h before now.
    return [c for c in facts.checkins if age(facts.now, c.recorded_at) <= timedelta(days=days)]
