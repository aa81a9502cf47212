"""The weekly word: a patient's week against the one before, in plain sentences (docs/decisions/0031)."""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from diary import insights
from diary.models import User
from diary.selectors.facts import patient_facts
from diary.selectors.trends import trend_series
from diary.zones import short_day_and_month_words

WEEK = 7
# The two weeks read: the week summed up and the one before it, and the night before the earlier one
# (a week's nights are the nights before each of its mornings).
READ_DAYS = 2 * WEEK + 1
NOTHING_LOGGED = "nothing logged in these two weeks"
NOT_A_DIAGNOSIS = gettext_lazy("These are counts of what you logged, not a diagnosis.")


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


def _day(day: date) -> str:
    return short_day_and_month_words(day)


def span_words(first: date, last: date) -> str:
    """The week's dates as a patient reads them: 19-25 Oct, or 26 Oct - 1 Nov (with en dashes)."""
    if first.month == last.month:
        # A translation may punctuate the first day: German writes "19." for the 19th.
        return pgettext("a week's dates within one month: 19–25 Oct", "%(first_day)s–%(last)s") % {
            "first_day": first.day,
            "last": _day(last),
        }
    return f"{_day(first)} – {_day(last)}"


def nights_sentence(now: WeekFigures, before: WeekFigures) -> str:
    unknown = WEEK - now.known_nights
    if now.known_nights == 0:
        return _(
            "No night of this week is known (no night cramp logged and no morning answer), so cramp "
            "nights cannot be counted."
        )
    counts = {
        "cramps": now.cramp_nights,
        "known": now.known_nights,
        "before_cramps": before.cramp_nights,
        "before_known": before.known_nights,
    }
    # "of 1 night", but "of the 5 nights" ("of the 1 night" reads as if there were a choice).
    if before.known_nights:
        said = ngettext(
            "Cramp nights: %(cramps)s of %(known)s night you told the app about, against "
            "%(before_cramps)s of %(before_known)s the week before.",
            "Cramp nights: %(cramps)s of the %(known)s nights you told the app about, against "
            "%(before_cramps)s of %(before_known)s the week before.",
            now.known_nights,
        )
    else:
        said = ngettext(
            "Cramp nights: %(cramps)s of %(known)s night you told the app about; no night of the week "
            "before is known, so there is nothing to compare with.",
            "Cramp nights: %(cramps)s of the %(known)s nights you told the app about; no night of the "
            "week before is known, so there is nothing to compare with.",
            now.known_nights,
        )
    said %= counts
    if unknown:
        said += " " + ngettext(
            "%(count)s night this week is unknown, not cramp-free.",
            "%(count)s nights this week are unknown, not cramp-free.",
            unknown,
        ) % {"count": unknown}
    return said


def stockings_sentence(now: WeekFigures, before: WeekFigures) -> str:
    if now.stockings_days == 0 and before.stockings_days == 0:
        return _("No stockings were logged in either week.")
    return ngettext(
        "Stockings: logged on %(count)s day, against %(before)s the week before.",
        "Stockings: logged on %(count)s days, against %(before)s the week before.",
        now.stockings_days,
    ) % {"count": now.stockings_days, "before": before.stockings_days}


def fluid_sentence(now: WeekFigures, before: WeekFigures, *, fluid_target_ml: int) -> str:
    # 2,000 in English, 2.000 in German: the thousands as the language writes them.
    target = number_format(fluid_target_ml, force_grouping=True)
    if now.fluid_known_days == 0:
        return _(
            "No drinks were logged this week, so whether you reached your fluid target (%(target)s ml) "
            "is unknown."
        ) % {"target": target}
    counts = {
        "target": target,
        "reached": now.fluid_target_days,
        "known": now.fluid_known_days,
        "before_reached": before.fluid_target_days,
        "before_known": before.fluid_known_days,
    }
    if before.fluid_known_days:
        said = ngettext(
            "You reached your fluid target (%(target)s ml) on %(reached)s of %(known)s day with drinks "
            "logged (%(before_reached)s of %(before_known)s the week before).",
            "You reached your fluid target (%(target)s ml) on %(reached)s of the %(known)s days with "
            "drinks logged (%(before_reached)s of %(before_known)s the week before).",
            now.fluid_known_days,
        )
    else:
        said = ngettext(
            "You reached your fluid target (%(target)s ml) on %(reached)s of %(known)s day with drinks "
            "logged.",
            "You reached your fluid target (%(target)s ml) on %(reached)s of the %(known)s days with "
            "drinks logged.",
            now.fluid_known_days,
        )
    return said % counts


def insights_sentence(new: Sequence[dict]) -> str:
    if not new:
        return _("No new insight this week.")
    titles = "; ".join(
        pgettext("an insight's title quoted in the weekly summary", "“%(title)s”") % {"title": item["title"]}
        for item in new
    )
    return _("New since last week: %(titles)s. Open Trends to read what it saw and what to do.") % {
        "titles": titles
    }


def summary_sentences(
    now: WeekFigures, before: WeekFigures, *, new_insights: Sequence[dict], fluid_target_ml: int
) -> list[str]:
    """The weekly word, in sentences; one sentence when there is nothing to say. Pure."""
    if now.logged_days == 0 and before.logged_days == 0:
        return [_("Nothing was logged in these two weeks, so there is nothing to sum up.")]
    # A week is always 7 days: no plural to choose.
    logged = _(
        "You logged on %(logged)s of %(days)s days this week (%(before)s of %(days)s the week before)."
    ) % {
        "logged": now.logged_days,
        "before": before.logged_days,
        "days": WEEK,
    }
    return [
        logged,
        nights_sentence(now, before),
        stockings_sentence(now, before),
        fluid_sentence(now, before, fluid_target_ml=fluid_target_ml),
        insights_sentence(new_insights),
        str(NOT_A_DIAGNOSIS),
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
        "title": _("Your week, %(dates)s") % {"dates": span_words(this.first, this.last)},
        "has_content": has_content,
        "sentences": summary_sentences(this, before, new_insights=found, fluid_target_ml=target),
        "this_week": this.as_dict(),
        "week_before": before.as_dict(),
        "fluid_target_ml": target,
        "new_insights": found,
    }
