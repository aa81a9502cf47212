"""The weekly word: a patient's week against the one before, in plain sentences (docs/decisions/0031)."""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from diary import insights
from diary.models import User
from diary.selectors.facts import patient_facts
from diary.selectors.trends import trend_series
from diary.zones import MONTH_ABBREVIATIONS

WEEK = 7
# The two weeks read: the week summed up and the one before it, and the night before the earlier one
# (a week's nights are the nights before each of its mornings).
READ_DAYS = 2 * WEEK + 1
NOTHING_LOGGED = "nothing logged in these two weeks"
NOT_A_DIAGNOSIS = "These are counts of what you logged, not a diagnosis."


@dataclass(frozen=True)
class WeekFigures:
    """One week's counts. Nights are those before each morning of the week (the last one ends on the
    summary's day); days are the week's local dates. Unknown days and nights are counted apart, never
    as calm ones."""

    first: date
    last: date
    logged_days: int
    known_nights: int
    cramp_nights: int
    stockings_days: int
    fluid_known_days: int
    fluid_target_days: int

    def as_dict(self) -> dict:
        return {
            "first": self.first,
            "last": self.last,
            "days": WEEK,
            "logged_days": self.logged_days,
            "nights": WEEK,
            "known_nights": self.known_nights,
            "cramp_nights": self.cramp_nights,
            "stockings_days": self.stockings_days,
            "fluid_known_days": self.fluid_known_days,
            "fluid_target_days": self.fluid_target_days,
        }


def week_figures(days: Sequence[dict], nights: Sequence[dict], *, fluid_target_ml: int) -> WeekFigures:
    """A week's figures from trend_series days: `days` the week's seven days, `nights` the seven days
    whose nights end on the week's mornings. Pure."""
    fluid = [day["fluid_ml"] for day in days if day["fluid_ml"] is not None]
    return WeekFigures(
        first=days[0]["date"],
        last=days[-1]["date"],
        logged_days=sum(day["logged"] for day in days),
        known_nights=sum(day["night_observed"] for day in nights),
        cramp_nights=sum(day["cramp_night"] for day in nights),
        # Any wear logged that day: the patient's own "I wore them", however long.
        stockings_days=sum(day["compression_hours"] > 0 for day in days),
        fluid_known_days=len(fluid),
        fluid_target_days=sum(ml >= fluid_target_ml for ml in fluid),
    )


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _of(count: int, word: str) -> str:
    """ "of the 5 nights", or "of 1 night" ("of the 1 night" reads as if there were a choice)."""
    return f"of the {count} {word}s" if count != 1 else f"of 1 {word}"


def _day(day: date) -> str:
    return f"{day.day} {MONTH_ABBREVIATIONS[day.month - 1]}"


def span_words(first: date, last: date) -> str:
    """The week's dates as a patient reads them: 19-25 Oct, or 26 Oct - 1 Nov (with en dashes)."""
    if first.month == last.month:
        return f"{first.day}–{_day(last)}"
    return f"{_day(first)} – {_day(last)}"


def nights_sentence(now: WeekFigures, before: WeekFigures) -> str:
    unknown = WEEK - now.known_nights
    if now.known_nights == 0:
        return (
            "No night of this week is known (no night cramp logged and no morning answer), so cramp "
            "nights cannot be counted."
        )
    said = f"Cramp nights: {now.cramp_nights} {_of(now.known_nights, 'night')} you told the app about"
    if before.known_nights:
        said += f", against {before.cramp_nights} of {before.known_nights} the week before."
    else:
        said += "; no night of the week before is known, so there is nothing to compare with."
    if unknown:
        verb = "is" if unknown == 1 else "are"
        said += f" {_plural(unknown, 'night')} this week {verb} unknown, not cramp-free."
    return said


def stockings_sentence(now: WeekFigures, before: WeekFigures) -> str:
    if now.stockings_days == 0 and before.stockings_days == 0:
        return "No stockings were logged in either week."
    days = _plural(now.stockings_days, "day")
    return f"Stockings: logged on {days}, against {before.stockings_days} the week before."


def fluid_sentence(now: WeekFigures, before: WeekFigures, *, fluid_target_ml: int) -> str:
    target = f"your fluid target ({fluid_target_ml:,} ml)"
    if now.fluid_known_days == 0:
        return f"No drinks were logged this week, so whether you reached {target} is unknown."
    days = _of(now.fluid_known_days, "day")
    said = f"You reached {target} on {now.fluid_target_days} {days} with drinks logged"
    if before.fluid_known_days:
        return said + f" ({before.fluid_target_days} of {before.fluid_known_days} the week before)."
    return said + "."


def insights_sentence(new: Sequence[dict]) -> str:
    if not new:
        return "No new insight this week."
    titles = "; ".join(f"“{item['title']}”" for item in new)
    return f"New since last week: {titles}. Open Trends to read what it saw and what to do."


def summary_sentences(
    now: WeekFigures, before: WeekFigures, *, new_insights: Sequence[dict], fluid_target_ml: int
) -> list[str]:
    """The weekly word, in sentences; one sentence when there is nothing to say. Pure."""
    if now.logged_days == 0 and before.logged_days == 0:
        return ["Nothing was logged in these two weeks, so there is nothing to sum up."]
    logged = (
        f"You logged on {now.logged_days} of {WEEK} days this week "
        f"({before.logged_days} of {WEEK} the week before)."
    )
    return [
        logged,
        nights_sentence(now, before),
        stockings_sentence(now, before),
        fluid_sentence(now, before, fluid_target_ml=fluid_target_ml),
        insights_sentence(new_insights),
        NOT_A_DIAGNOSIS,
    ]


def _insight_codes_at(patient: User, moment: datetime) -> dict[str, insights.Insight]:
    """The insights as they stood at `moment`, from what had been logged by then."""
    facts = patient_facts(patient, now=moment)
    facts = replace(
        facts,
        cramps=[cramp for cramp in facts.cramps if cramp.started_at <= moment],
        checkins=[checkin for checkin in facts.checkins if checkin.recorded_at <= moment],
    )
    return {insight.code: insight for insight in insights.evaluate(facts)}


def new_insights(patient: User, *, now: datetime) -> list[dict]:
    """Insights that hold now and did not a week before, most urgent first."""
    before = _insight_codes_at(patient, now - timedelta(days=WEEK))
    current = _insight_codes_at(patient, now)
    return [
        {"code": insight.code, "level": insight.level, "title": insight.title}
        for code, insight in current.items()
        if code not in before
    ]


def summary_moment(patient: User, day: date, *, now: datetime | None = None) -> datetime:
    """What the summary of `day` reads up to: the end of that local day, or now while it is today."""
    now = now or timezone.now()
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=patient.zone) - timedelta(microseconds=1)
    return min(now, end)


def weekly_summary(patient: User, *, day: date | None = None, now: datetime | None = None) -> dict:
    """The summary of the week ending on local date `day` (today when not given), with its sentences."""
    now = now or timezone.now()
    day = day or timezone.localtime(now, patient.zone).date()
    moment = summary_moment(patient, day, now=now)
    series = trend_series(patient, days=READ_DAYS, now=moment)["days"]
    # series: day - 14 .. day. This week's days are the last 7; their nights start the day before each.
    target = patient.fluid_target_ml
    this = week_figures(series[-WEEK:], series[-WEEK - 1 : -1], fluid_target_ml=target)
    before = week_figures(series[-2 * WEEK : -WEEK], series[:WEEK], fluid_target_ml=target)
    has_content = bool(this.logged_days or before.logged_days)
    found = new_insights(patient, now=moment) if has_content else []
    return {
        "week": day,
        "timezone": patient.timezone,
        "title": f"Your week, {span_words(this.first, this.last)}",
        "has_content": has_content,
        "sentences": summary_sentences(this, before, new_insights=found, fluid_target_ml=target),
        "this_week": this.as_dict(),
        "week_before": before.as_dict(),
        "fluid_target_ml": target,
        "new_insights": found,
    }
