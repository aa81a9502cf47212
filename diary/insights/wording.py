"""The words the rules share, for the patient, the clinician and the printed summary: dates in the active
language whatever the process locale, counts, lists, rates. Each rule's own sentences live in its module."""

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils.formats import get_format
from django.utils.translation import get_language, gettext_lazy, ngettext, pgettext, pgettext_lazy
from django.utils.translation import gettext as _

from diary.insights.associations import NightRate
from diary.zones import day_and_month_words, short_day_words, short_moment_words

# Lazy: worded in the language active when they are read (an f-string or a % reads them then).
NOT_A_DIAGNOSIS = gettext_lazy("This is not a diagnosis.")
NOT_SAID = pgettext_lazy("a score the patient did not answer", "not said")
SWELLING_WORDS = {
    0: pgettext_lazy("swelling level", "none"),
    1: pgettext_lazy("swelling level", "mild"),
    2: pgettext_lazy("swelling level", "moderate"),
    3: pgettext_lazy("swelling level", "severe"),
}
# A medicine's drug class (diary.models.DrugClass) for the clinician and the printed summary.
DRUG_CLASS_WORDS = {
    "diuretic": pgettext_lazy("drug class", "diuretic"),
    "beta_agonist": pgettext_lazy("drug class", "long-acting beta-agonist"),
    "calcium_channel_blocker": pgettext_lazy("drug class", "calcium-channel blocker"),
    "statin": pgettext_lazy("drug class", "statin"),
    "magnesium": pgettext_lazy("drug class", "magnesium"),
    "quinine": pgettext_lazy("drug class", "quinine"),
    "other": pgettext_lazy("drug class", "other"),
}


# --- For the patient and the clinician ---------------------------------------------------------


def day_and_month(day: date) -> str:
    return day_and_month_words(day)


def listed_days(days: Iterable[date]) -> str:
    words = [day_and_month(d) for d in sorted(set(days))]
    if len(words) <= 1:
        return "".join(words)
    return joined_with_and(words)


# Words whose plural is not the word with an "s".
IRREGULAR = {"entry": "entries", "was": "were"}


def plural(count: int, word: str, many: str | None = None) -> str:
    """ "1 night", "0 nights", "3 nights", never "1 nights"; `many` for a plural that is not word + "s".
    English only: a translated count is an ngettext message at its call site, the whole sentence."""
    return f"{count} {word if count == 1 else (many or IRREGULAR.get(word) or word + 's')}"


def span(moments: Iterable[datetime]) -> tuple[datetime | None, datetime | None]:
    ordered = sorted(moments)
    return (ordered[0], ordered[-1]) if ordered else (None, None)


def isodates(days: Iterable[date]) -> list[str]:
    return [d.isoformat() for d in sorted(set(days))]


def decimal_words(text: str) -> str:
    """A number written with a point ("40.5") with the active language's decimal mark ("40,5")."""
    return text.replace(".", get_format("DECIMAL_SEPARATOR"))


def cm_words(value: float) -> str:
    return f"{decimal_words(f'{value:.1f}')} cm"


# Spanish writes "e", not "y", before a word that begins with the sound i ("i", "hi", not "hie").
I_SOUND = re.compile(r"[“\"']?h?[ií](?![aeouáéó])", re.IGNORECASE)


def joined_with_and(words: Sequence[str]) -> str:
    if len(words) == 1:
        return words[0]
    parts = {"items": ", ".join(words[:-1]), "last": words[-1]}
    if (get_language() or "").startswith("es") and I_SOUND.match(words[-1]):
        return (
            pgettext(
                "the last two items of a list, the last beginning with an i sound", "%(items)s and %(last)s"
            )
            % parts
        )
    return pgettext("the last two items of a list", "%(items)s and %(last)s") % parts


def listed_isodates(isodates: Iterable[str]) -> str:
    return listed_days(date.fromisoformat(day) for day in isodates)


def rate_words(rate: NightRate) -> str:
    return ngettext(
        "%(cramp_nights)s of %(count)s night (%(percent)s%%)",
        "%(cramp_nights)s of %(count)s nights (%(percent)s%%)",
        rate.nights,
    ) % {"cramp_nights": rate.cramp_nights, "count": rate.nights, "percent": rate.percent}


def group_words(group: dict) -> str:
    numbers = {"cramp_nights": group["cramp_nights"], "count": group["nights"]}
    if group["rate"] is None:
        return (
            ngettext(
                "%(cramp_nights)s of %(count)s night", "%(cramp_nights)s of %(count)s nights", group["nights"]
            )
            % numbers
        )
    return ngettext(
        "%(cramp_nights)s of %(count)s night (%(percent)s%%)",
        "%(cramp_nights)s of %(count)s nights (%(percent)s%%)",
        group["nights"],
    ) % {**numbers, "percent": round(100 * group["rate"])}


# --- For the printed summary (diary.exports.pdf): short dates, rates with their share --------------


def percent(part: int, whole: int) -> str:
    if not whole:
        return "-"
    return pgettext("a percentage", "%(percent)s%%") % {"percent": round(100 * part / whole)}


def printed_rate(group: dict) -> str:
    """A group's evidence as printed: "3 of 10 nights (30%)"."""
    share = percent(group["cramp_nights"], group["nights"])
    return ngettext(
        "%(cramp_nights)s of %(count)s night (%(share)s)",
        "%(cramp_nights)s of %(count)s nights (%(share)s)",
        group["nights"],
    ) % {"cramp_nights": group["cramp_nights"], "count": group["nights"], "share": share}


def score(value: int | None, maximum: int) -> str:
    """A self-rated score as printed: "2/3", or "not said" (never 0: docs/decisions/0022-not-said.md)."""
    return str(NOT_SAID) if value is None else f"{value}/{maximum}"


def site_words(site: str | None) -> str:
    if site == "calf":
        return pgettext("where a leg was measured", "calf")
    if site == "ankle":
        return pgettext("where a leg was measured", "ankle")
    return pgettext("where a leg was measured", "site not said")


def printed_circumferences(evidence: dict) -> str:
    """Both legs' circumferences as printed, with where each was measured ("calf circumference left 41,0
    cm, right 37,0 cm"), or "" unless both were measured. Evidence stored before the sites has none."""
    left, right = evidence.get("circumference_left_cm"), evidence.get("circumference_right_cm")
    if left is None or right is None:
        return ""
    words = {"left": decimal_words(str(left)), "right": decimal_words(str(right))}
    if "circumference_site_left" not in evidence:
        return _("circumference left %(left)s cm, right %(right)s cm") % words
    sites = evidence["circumference_site_left"], evidence["circumference_site_right"]
    if sites == ("calf", "calf"):
        return _("calf circumference left %(left)s cm, right %(right)s cm") % words
    if sites == ("ankle", "ankle"):
        return _("ankle circumference left %(left)s cm, right %(right)s cm") % words
    if None in sites:
        # Compared as the check-in always compared them (docs/decisions/0038); the site said, if one was.
        if sites == (None, None):
            return _("circumference left %(left)s cm, right %(right)s cm") % words
        return _("circumference left %(left)s cm (%(left_site)s), right %(right)s cm (%(right_site)s)") % {
            **words,
            "left_site": site_words(sites[0]),
            "right_site": site_words(sites[1]),
        }
    # Not compared: a calf against an ankle.
    return _(
        "circumference left %(left)s cm (%(left_site)s), right %(right)s cm (%(right_site)s), not compared"
    ) % {**words, "left_site": site_words(sites[0]), "right_site": site_words(sites[1])}


def printed_day(iso: str | None) -> str:
    return short_day_words(date.fromisoformat(iso)) if iso else _("an unknown date")


def checkin_at(evidence: dict, time_zone: str | None) -> str:
    """When the check-in was: its date, and with the zone known its time there, labelled: the zone it was
    logged in when the evidence names one (docs/decisions/0037), else `time_zone`."""
    zone = evidence.get("timezone") or time_zone
    if zone and evidence.get("recorded_at"):
        return short_moment_words(datetime.fromisoformat(evidence["recorded_at"]), zone)
    return printed_day(evidence["date"])


def local_isodate(iso_moment: str | None, time_zone: str | None) -> str | None:
    """The local date (ISO) of a moment in the zone; without a zone, the date its own offset gives."""
    if not iso_moment:
        return None
    moment = datetime.fromisoformat(iso_moment)
    return (moment.astimezone(ZoneInfo(time_zone)) if time_zone else moment).date().isoformat()
