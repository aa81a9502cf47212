"""Cramp-night rates of groups of nights (after known-fluid days, after compression days, after days with
one of the patient's own tags) and when they differ enough to show: the info rules and the trend view
count them here."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from diary.insights.facts import FactorFact, PatientFacts
from diary.insights.nights import observed_nights
from diary.insights.thresholds import THRESHOLDS


@dataclass(frozen=True)
class NightRate:
    """The cramp-night rate of one group of observed nights."""

    nights: int = 0
    cramp_nights: int = 0
    dates: tuple[date, ...] = ()  # the nights of the group, oldest first

    @property
    def rate(self) -> float | None:
        return self.cramp_nights / self.nights if self.nights else None

    @property
    def percent(self) -> int | None:
        return round(100 * self.cramp_nights / self.nights) if self.nights else None

    def as_evidence(self) -> dict:
        return {
            "nights": self.nights,
            "cramp_nights": self.cramp_nights,
            "rate": None if self.rate is None else round(self.rate, 2),
            "first_night": self.dates[0].isoformat() if self.dates else None,
            "last_night": self.dates[-1].isoformat() if self.dates else None,
        }


def night_rates(
    observed: Mapping[date, bool], group_of: Callable[[date], str | None], *, groups: Sequence[str] = ()
) -> dict[str, NightRate]:
    """The cramp-night rate per group of observed nights; `group_of(D)` puts night D in a group or leaves it
    out (None). The names in `groups` are always present, empty if no night fell in them."""
    members: dict[str, list[date]] = {name: [] for name in groups}
    for night in sorted(observed):
        name = group_of(night)
        if name is not None:
            members.setdefault(name, []).append(night)
    return {
        name: NightRate(
            nights=len(nights), cramp_nights=sum(1 for n in nights if observed[n]), dates=tuple(nights)
        )
        for name, nights in members.items()
    }


def hydration_association(facts: PatientFacts) -> dict[str, NightRate]:
    """Cramp-night rates after known-fluid days: "under" the fluid target and "at_or_over" it.

    Only days D with a drink logged (D in fluid_ml_by_day) whose night D is observed count.
    """

    def group_of(day: date) -> str | None:
        if day not in facts.fluid_ml_by_day:
            return None
        return "under" if facts.fluid_ml_by_day[day] < facts.fluid_target_ml else "at_or_over"

    return night_rates(observed_nights(facts), group_of, groups=("under", "at_or_over"))


def compression_association(facts: PatientFacts) -> dict[str, NightRate]:
    """Cramp-night rates after days with >= 8 h of compression ("worn") and after days with none ("none").

    Among observed nights D; days with some compression but less than 8 h are left out. A wear counts on
    the day it was put on (compression_hours_by_day).
    """

    def group_of(day: date) -> str | None:
        hours = facts.compression_hours_by_day.get(day, 0)
        if hours >= THRESHOLDS.compression_day_hours:
            return "worn"
        return "none" if hours == 0 else None

    return night_rates(observed_nights(facts), group_of, groups=("worn", "none"))


def days_with_entries(facts: PatientFacts) -> frozenset[date]:
    """The local days the patient logged something the rules read (a cramp, a check-in, a drink, stockings
    or any tag): the days on which a tag left untapped can be read as "not that day"."""
    days = {c.local_date for c in facts.cramps} | {c.local_date for c in facts.checkins}
    days |= set(facts.fluid_ml_by_day) | set(facts.compression_hours_by_day)
    for other in facts.factors:
        days |= other.days
    return frozenset(days)


def factor_association(facts: PatientFacts, factor: FactorFact) -> dict[str, NightRate]:
    """Cramp-night rates after days with the tag logged ("with") and after days without it ("without").

    Among observed nights D, from the day the tag could first be logged (factor.since): before it, a day
    without an entry says nothing about the tag, so it is left out rather than counted as "without"; so
    is a day with nothing logged at all.
    """

    logged = days_with_entries(facts)

    def group_of(day: date) -> str | None:
        if factor.since is not None and day < factor.since:
            return None
        if day in factor.days:
            return "with"
        # A day with nothing logged says nothing about the tag either: unknown, not "without".
        return "without" if day in logged else None

    return night_rates(observed_nights(facts), group_of, groups=("with", "without"))


def rate_at_least_factor(higher: NightRate, lower: NightRate, *, factor: float | None = None) -> bool:
    """Whether `higher`'s rate is >= factor x `lower`'s (default THRESHOLDS.rate_factor); any positive rate
    against zero counts, zero never."""
    if not higher.nights or not lower.nights or higher.cramp_nights == 0:
        return False
    if lower.cramp_nights == 0:
        return True
    factor = THRESHOLDS.rate_factor if factor is None else factor
    # Exact fractions, so 3 of 10 against 2 of 10 is exactly 1.5 and fires.
    higher_rate = Fraction(higher.cramp_nights, higher.nights)
    return higher_rate >= Fraction(factor) * Fraction(lower.cramp_nights, lower.nights)


def enough_days(*rates: NightRate) -> bool:
    return all(r.nights >= THRESHOLDS.min_days_each_side for r in rates)
