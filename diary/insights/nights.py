"""Observed nights and cramp nights of the window: the counting every night-based rule and view shares."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from diary.insights.facts import CheckInFact, PatientFacts
from diary.insights.windows import in_night_window


def answered_night(checkin: CheckInFact) -> date | None:
    """The night a check-in's "cramps last night" answer is about, or None when it did not say."""
    if checkin.cramps_last_night in ("none", "some"):
        return checkin.local_date - timedelta(days=1)
    return None


def observed_nights(facts: PatientFacts) -> dict[date, bool]:
    """Night -> whether it was a cramp night, for every observed night of the window, oldest first.

    Observed: a nocturnal cramp was logged in it, or the next day's check-in answered "none" or "some".
    Cramp night: a nocturnal cramp logged, or "some" answered. A logged cramp wins over a "none" answer,
    and "some" wins over "none" when two check-ins disagree. Nights with no word either way are unknown
    and absent (not cramp-free). Daytime cramps say nothing about the night and do not observe it.
    """
    nights: dict[date, bool] = {}
    for checkin in facts.checkins:
        night = answered_night(checkin)
        if night is not None and in_night_window(facts, night):
            nights[night] = nights.get(night, False) or checkin.cramps_last_night == "some"
    for cramp in facts.cramps:
        if cramp.is_nocturnal and in_night_window(facts, cramp.night):
            nights[cramp.night] = True
    return dict(sorted(nights.items()))


def cramp_nights(facts: PatientFacts) -> set[date]:
    """The observed cramp nights of the window."""
    return {night for night, cramped in observed_nights(facts).items() if cramped}


def night_moments(facts: PatientFacts, nights: Iterable[date]) -> list[datetime]:
    """The times of the records that observed these nights: their nocturnal cramps and check-in answers.

    Used for first_seen/last_seen of night-based insights (docs/decisions/0011).
    """
    wanted = set(nights)
    moments = [c.started_at for c in facts.cramps if c.is_nocturnal and c.night in wanted]
    moments += [c.recorded_at for c in facts.checkins if answered_night(c) in wanted]
    return sorted(moments)
