"""The patient's visit summary headline: the period against the one before, in sentences (ADR 0029)."""

import re
from collections.abc import Sequence, Set
from datetime import date

from diary.exports.pdf_charts import MIN_LOGGED_DAYS, short_day
from diary.insights import THRESHOLDS
from diary.insights.wording import plural

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

COUNTING_WORDS = (
    "A week here is 7 nights you told the app about (a night cramp logged, or a morning answer); nights "
    "with no word are left out, not counted as calm."
)

RATE = re.compile(r"(\d|under 1) a week")


def short_date(day: date, *, today: date) -> str:
    """ "28 Sep", with the year when it is not this year's: "28 Sep 2025"."""
    words = short_day(day)
    return words if day.year == today.year else f"{words} {day.year}"


def period_words(days: int) -> str:
    """The length of a period as a patient says it: "12 weeks", "week", "year", "10 days"."""
    if days == 365:
        return "year"
    if days == 7:
        return "week"  # "in the last week", not "in the last 1 week"
    if days % 7 == 0:
        return plural(days // 7, "week")
    return plural(days, "day")


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
        return "under 1"
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
    (_, before), (_, after) = nights_rate(days[:split]), nights_rate(days[split:])
    if before is None or after is None:
        return (
            f"You started wearing stockings regularly on {on}. Too few nights are known before or after "
            "that day to compare cramp nights."
        )
    was, now = rate_words(before), rate_words(after)
    if was == now:
        return f"Cramp nights stayed at {now} a week after you started stockings on {on}."
    moved = "fell" if after < before else "rose"
    return f"Cramp nights {moved} from {was} to {now} a week after you started stockings on {on}."


def nights_sentence(previous: Sequence[dict], current: Sequence[dict], *, length: str) -> str:
    """This period's cramp nights a week against the period before's, or why they cannot be compared."""
    (known_now, now), (known_before, before) = nights_rate(current), nights_rate(previous)
    if now is not None and before is not None:
        return (
            f"Cramp nights: {rate_words(now)} a week, against {rate_words(before)} a week in the {length} "
            "before."
        )
    if now is not None:
        return (
            f"Cramp nights: {rate_words(now)} a week. Too few nights are known in the {length} before "
            f"({known_before} of {len(previous)}) to compare with."
        )
    return (
        f"Too few nights are known in this period to count cramp nights a week ({known_now} of "
        f"{len(current)} nights known; {MIN_KNOWN_NIGHTS} are needed)."
    )


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
    weeks = plural(longest // 7, "week")
    amount = weeks if longest % 7 == 0 else f"over {weeks}"
    amount = amount[0].upper() + amount[1:]
    first, last = best
    since = short_date(first, today=today)
    if last == today:
        return f"{amount} without a check-in, up to today (since {since})."
    return f"{amount} without a check-in, {since} to {short_date(last, today=today)}."


def headline(
    days: Sequence[dict], *, period: int, checkin_days: Set[date], diary_started_on: date | None
) -> list[str]:
    """The headline's sentences. `days` is trend_series(days=2 * period)["days"]: the period before, then
    the period; `checkin_days` the local dates with a check-in among them."""
    previous, current = days[:-period], days[-period:]
    first, today = current[0]["date"], current[-1]["date"]
    length = period_words(period)
    logged = sum(day["logged"] for day in current)
    if diary_started_on is None or logged == 0:
        return [f"Nothing logged in the last {length}, so there is nothing to compare."]
    if logged < MIN_LOGGED_DAYS:
        return [
            f"Too little diary in the last {length} to compare with the {length} before: "
            f"{plural(logged, 'day')} logged ({MIN_LOGGED_DAYS} are needed)."
        ]
    sentences = []
    started = stockings_sentence(days, period_first=first, today=today)
    if started:
        sentences.append(started)
    if diary_started_on >= first and nights_rate(current)[1] is not None:
        sentences.append(
            f"Cramp nights: {rate_words(nights_rate(current)[1])} a week. Your diary began on "
            f"{short_date(diary_started_on, today=today)}, inside this period: there is nothing earlier to "
            "compare with."
        )
    else:
        sentences.append(nights_sentence(previous, current, length=length))
    gap = checkin_gap_sentence(
        current, checkin_days=checkin_days, since=max(first, diary_started_on), today=today
    )
    if gap:
        sentences.append(gap)
    # A rate was given (the count of a week needs its reading) unless every sentence says why not.
    if any(RATE.search(sentence) for sentence in sentences):
        sentences.append(COUNTING_WORDS)
    return sentences
