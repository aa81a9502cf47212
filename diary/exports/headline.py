"""The patient's visit summary headline: the period against the one before, in sentences (ADR 0029)."""

from collections.abc import Sequence, Set
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from diary.exports.pdf_charts import MIN_LOGGED_DAYS, short_day
from diary.insights import THRESHOLDS
from diary.insights.wording import plural
from diary.zones import short_day_words

# A rate of cramp nights needs this many known nights behind it: fewer, and one night more or less
# would swing "a week" by several.
MIN_KNOWN_NIGHTS = 14
# A run of days without a check-in this long is worth a sentence; a week away is ordinary.
MIN_CHECKIN_GAP_DAYS = 14
# A start of regular stockings (ADR 0029): on the day, and on at least REGULAR_DAYS of the STEADY_DAYS
# from it, stockings were worn a compression day's hours; in the STEADY_DAYS before it, at least
# LOGGED_BEFORE days had something logged and at most WORN_BEFORE of them had stockings.
STEADY_DAYS = 14
REGULAR_DAYS = 10
LOGGED_BEFORE = 7
WORN_BEFORE = 1

COUNTING_WORDS = gettext_lazy(
    "A week here is 7 nights you told the app about (a night cramp logged, or a morning answer); nights "
    "with no word are left out, not counted as calm."
)


def short_date(day: date, *, today: date) -> str:
    """ "28 Sep", with the year when it is not this year's: "28 Sep 2025"."""
    return short_day(day) if day.year == today.year else short_day_words(day)


def period_words(days: int) -> str:
    """The length of a period as a patient says it in English: "12 weeks", "week", "year", "10 days".
    The sentences take the phrases below, whole, so that each language words them its own way."""
    if days == 365:
        return "year"
    if days == 7:
        return "week"  # "in the last week", not "in the last 1 week"
    if days % 7 == 0:
        return plural(days // 7, "week")
    return plural(days, "day")


def last_period_words(days: int) -> str:
    """ "in the last 12 weeks", "in the last week", "in the last year", "in the last 10 days"."""
    if days == 365:
        return _("in the last year")
    if days == 7:
        return _("in the last week")
    if days % 7 == 0:
        weeks = days // 7
        return ngettext("in the last %(count)s week", "in the last %(count)s weeks", weeks) % {"count": weeks}
    return ngettext("in the last %(count)s day", "in the last %(count)s days", days) % {"count": days}


def period_before_words(days: int) -> str:
    """ "the 12 weeks before", "the week before", "the year before", "the 10 days before"."""
    if days == 365:
        return _("the year before")
    if days == 7:
        return _("the week before")
    if days % 7 == 0:
        weeks = days // 7
        return ngettext("the %(count)s week before", "the %(count)s weeks before", weeks) % {"count": weeks}
    return ngettext("the %(count)s day before", "the %(count)s days before", days) % {"count": days}


def _is_compression_day(day: dict) -> bool:
    return day["compression_hours"] >= THRESHOLDS.compression_day_hours


def nights_rate(days: Sequence[dict]) -> tuple[int, float | None]:
    """(known nights, cramp nights per 7 known nights); the rate is None with too few nights known.
    Unknown nights are left out: they are neither cramp nights nor calm ones (ADR 0024)."""
    known = sum(day["night_observed"] for day in days)
    if known < MIN_KNOWN_NIGHTS:
        return known, None
    return known, 7 * sum(day["cramp_night"] for day in days) / known


def rate_words(rate: float) -> str:
    if rate == 0:
        return "0"
    if rate < 0.5:
        return _("under 1")
    return str(int(rate + 0.5))


def stockings_start(days: Sequence[dict], *, not_before: date) -> date | None:
    """The first day on or after `not_before` that starts regular stockings (see the constants above), or
    None. A day with entries but no stockings logged counts as a day without them; a day with nothing
    logged counts for neither, and too few of them before the day means no start is seen."""
    for index, day in enumerate(days):
        if day["date"] < not_before or not _is_compression_day(day) or index < STEADY_DAYS:
            continue
        after = days[index : index + STEADY_DAYS]
        if len(after) < STEADY_DAYS or sum(map(_is_compression_day, after)) < REGULAR_DAYS:
            continue
        before = days[index - STEADY_DAYS : index]
        if sum(d["logged"] for d in before) >= LOGGED_BEFORE and sum(map(_is_compression_day, before)) <= (
            WORN_BEFORE
        ):
            return day["date"]
    return None


def stockings_sentence(days: Sequence[dict], *, period_first: date, today: date) -> str | None:
    """Cramp nights before and after a start of regular stockings in the period, if one is seen."""
    start = stockings_start(days, not_before=period_first)
    if start is None:
        return None
    split = next(index for index, day in enumerate(days) if day["date"] == start)
    on = short_date(start, today=today)
    before, after = nights_rate(days[:split])[1], nights_rate(days[split:])[1]
    if before is None or after is None:
        return _(
            "You started wearing stockings regularly on %(day)s. Too few nights are known before or after "
            "that day to compare cramp nights."
        ) % {"day": on}
    was, now = rate_words(before), rate_words(after)
    if was == now:
        return _("Cramp nights stayed at %(now)s a week after you started stockings on %(day)s.") % {
            "now": now,
            "day": on,
        }
    if after < before:
        moved = _("Cramp nights fell from %(was)s to %(now)s a week after you started stockings on %(day)s.")
    else:
        moved = _("Cramp nights rose from %(was)s to %(now)s a week after you started stockings on %(day)s.")
    return moved % {"was": was, "now": now, "day": on}


def stockings_rates_given(days: Sequence[dict], *, period_first: date) -> bool:
    """Whether stockings_sentence gives cramp nights a week (both sides of the start known)."""
    start = stockings_start(days, not_before=period_first)
    if start is None:
        return False
    split = next(index for index, day in enumerate(days) if day["date"] == start)
    return nights_rate(days[:split])[1] is not None and nights_rate(days[split:])[1] is not None


def nights_sentence(previous: Sequence[dict], current: Sequence[dict], *, before_words: str) -> str:
    """This period's cramp nights a week against the period before's (`before_words`: "the 12 weeks
    before"), or why they cannot be compared."""
    (known_now, now), (known_before, before) = nights_rate(current), nights_rate(previous)
    if now is not None and before is not None:
        return _("Cramp nights: %(now)s a week, against %(before)s a week in %(period_before)s.") % {
            "now": rate_words(now),
            "before": rate_words(before),
            "period_before": before_words,
        }
    if now is not None:
        return _(
            "Cramp nights: %(now)s a week. Too few nights are known in %(period_before)s (%(known)s of "
            "%(nights)s) to compare with."
        ) % {
            "now": rate_words(now),
            "period_before": before_words,
            "known": known_before,
            "nights": len(previous),
        }
    return ngettext(
        "Too few nights are known in this period to count cramp nights a week (%(known)s of %(count)s night "
        "known; %(needed)s are needed).",
        "Too few nights are known in this period to count cramp nights a week (%(known)s of %(count)s nights "
        "known; %(needed)s are needed).",
        len(current),
    ) % {"known": known_now, "count": len(current), "needed": MIN_KNOWN_NIGHTS}


def checkin_gap_sentence(
    current: Sequence[dict], *, checkin_days: Set[date], since: date, today: date
) -> str | None:
    """The longest run of days without a check-in in the period, from `since` (the diary's start or the
    period's, the later), when it is two weeks or more."""
    longest, run_start, best = 0, None, None
    for day in current:
        if day["date"] < since:
            continue
        if day["date"] in checkin_days:
            run_start = None
            continue
        run_start = run_start or day["date"]
        length = (day["date"] - run_start).days + 1
        if length > longest:
            longest, best = length, (run_start, day["date"])
    if longest < MIN_CHECKIN_GAP_DAYS:
        return None
    weeks, whole = longest // 7, longest % 7 == 0
    first, last = best
    words = {"count": weeks, "since": short_date(first, today=today), "last": short_date(last, today=today)}
    if last == today and whole:
        return (
            ngettext(
                "%(count)s week without a check-in, up to today (since %(since)s).",
                "%(count)s weeks without a check-in, up to today (since %(since)s).",
                weeks,
            )
            % words
        )
    if last == today:
        return (
            ngettext(
                "Over %(count)s week without a check-in, up to today (since %(since)s).",
                "Over %(count)s weeks without a check-in, up to today (since %(since)s).",
                weeks,
            )
            % words
        )
    if whole:
        return (
            ngettext(
                "%(count)s week without a check-in, %(since)s to %(last)s.",
                "%(count)s weeks without a check-in, %(since)s to %(last)s.",
                weeks,
            )
            % words
        )
    return (
        ngettext(
            "Over %(count)s week without a check-in, %(since)s to %(last)s.",
            "Over %(count)s weeks without a check-in, %(since)s to %(last)s.",
            weeks,
        )
        % words
    )


def headline(
    days: Sequence[dict], *, period: int, checkin_days: Set[date], diary_started_on: date | None
) -> list[str]:
    """The headline's sentences. `days` is trend_series(days=2 * period)["days"]: the period before, then
    the period; `checkin_days` the local dates with a check-in among them."""
    previous, current = days[:-period], days[-period:]
    first, today = current[0]["date"], current[-1]["date"]
    in_the_last, before = last_period_words(period), period_before_words(period)
    logged = sum(day["logged"] for day in current)
    if diary_started_on is None or logged == 0:
        return [
            _("Nothing logged %(in_the_last)s, so there is nothing to compare.")
            % {"in_the_last": in_the_last}
        ]
    if logged < MIN_LOGGED_DAYS:
        return [
            ngettext(
                "Too little diary %(in_the_last)s to compare with %(period_before)s: %(count)s day logged "
                "(%(needed)s are needed).",
                "Too little diary %(in_the_last)s to compare with %(period_before)s: %(count)s days logged "
                "(%(needed)s are needed).",
                logged,
            )
            % {
                "in_the_last": in_the_last,
                "period_before": before,
                "count": logged,
                "needed": MIN_LOGGED_DAYS,
            }
        ]
    sentences = []
    started = stockings_sentence(days, period_first=first, today=today)
    if started:
        sentences.append(started)
    # A rate was given (the count of a week needs its reading) unless every sentence says why not.
    rated = stockings_rates_given(days, period_first=first)
    now = nights_rate(current)[1]
    if diary_started_on >= first and now is not None:
        sentences.append(
            _(
                "Cramp nights: %(now)s a week. Your diary began on %(day)s, inside this period: there is "
                "nothing earlier to compare with."
            )
            % {"now": rate_words(now), "day": short_date(diary_started_on, today=today)}
        )
    else:
        sentences.append(nights_sentence(previous, current, before_words=before))
    rated = rated or now is not None
    gap = checkin_gap_sentence(
        current, checkin_days=checkin_days, since=max(first, diary_started_on), today=today
    )
    if gap:
        sentences.append(gap)
    if rated:
        sentences.append(str(COUNTING_WORDS))
    return sentences
