"""The words the rules share, for the patient, the clinician and the printed summary: dates in English
whatever the process locale, counts, lists, rates. Each rule's own sentences live in its module."""

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from diary.insights.associations import NightRate
from diary.zones import MONTHS, short_day_words, short_moment_words

NOT_A_DIAGNOSIS = "This is not a diagnosis."
NOT_SAID = "not said"
SWELLING_WORDS = {0: "none", 1: "mild", 2: "moderate", 3: "severe"}
# A medicine's drug class (diary.models.DrugClass) for the clinician and the printed summary.
DRUG_CLASS_WORDS = {
    "diuretic": "diuretic",
    "beta_agonist": "long-acting beta-agonist",
    "calcium_channel_blocker": "calcium-channel blocker",
    "statin": "statin",
    "magnesium": "magnesium",
    "quinine": "quinine",
    "other": "other",
}


# --- For the patient and the clinician ---------------------------------------------------------


def day_and_month(day: date) -> str:
    # English month names without the process locale (strftime's %B follows it).
    return f"{day.day} {MONTHS[day.month - 1]}"


def listed_days(days: Iterable[date]) -> str:
    words = [day_and_month(d) for d in sorted(set(days))]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


# Words whose plural is not the word with an "s".
IRREGULAR = {"entry": "entries", "was": "were"}


def plural(count: int, word: str, many: str | None = None) -> str:
    """ "1 night", "0 nights", "3 nights", never "1 nights"; `many` for a plural that is not word + "s"."""
    return f"{count} {word if count == 1 else (many or IRREGULAR.get(word) or word + 's')}"


def span(moments: Iterable[datetime]) -> tuple[datetime | None, datetime | None]:
    ordered = sorted(moments)
    return (ordered[0], ordered[-1]) if ordered else (None, None)


def isodates(days: Iterable[date]) -> list[str]:
    return [d.isoformat() for d in sorted(set(days))]


def cm_words(value: float) -> str:
    return f"{value:.1f} cm"


def joined_with_and(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def listed_isodates(isodates: Iterable[str]) -> str:
    return listed_days(date.fromisoformat(day) for day in isodates)


def rate_words(rate: NightRate) -> str:
    return f"{rate.cramp_nights} of {rate.nights} nights ({rate.percent}%)"


def group_words(group: dict) -> str:
    percent = "" if group["rate"] is None else f" ({round(100 * group['rate'])}%)"
    return f"{group['cramp_nights']} of {group['nights']} nights{percent}"


# --- For the printed summary (diary.exports.pdf): short dates, rates with their share --------------


def percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "-"


def printed_rate(group: dict) -> str:
    """A group's evidence as printed: "3 of 10 nights (30%)"."""
    share = percent(group["cramp_nights"], group["nights"])
    return f"{group['cramp_nights']} of {plural(group['nights'], 'night')} ({share})"


def score(value: int | None, maximum: int) -> str:
    """A self-rated score as printed: "2/3", or "not said" (never 0: docs/decisions/0022-not-said.md)."""
    return NOT_SAID if value is None else f"{value}/{maximum}"


def printed_day(iso: str | None) -> str:
    return short_day_words(date.fromisoformat(iso)) if iso else "an unknown date"


def checkin_at(evidence: dict, time_zone: str | None) -> str:
    """When the check-in was: its date, and with the zone known its time there, labelled."""
    if time_zone and evidence.get("recorded_at"):
        return short_moment_words(datetime.fromisoformat(evidence["recorded_at"]), time_zone)
    return printed_day(evidence["date"])


def local_isodate(iso_moment: str | None, time_zone: str | None) -> str | None:
    """The local date (ISO) of a moment in the zone; without a zone, the date its own offset gives."""
    if not iso_moment:
        return None
    moment = datetime.fromisoformat(iso_moment)
    return (moment.astimezone(ZoneInfo(time_zone)) if time_zone else moment).date().isoformat()
