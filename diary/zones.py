"""Time zones and dates in words, in the active language: "New York time", "3 December 2026" (mirrored in
frontend/src/logic/time.ts)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

# Names for Coordinated Universal Time itself: no city to name, and no offset worth writing.
UTC_NAMES = frozenset(
    {
        "UTC",
        "UCT",
        "GMT",
        "GMT0",
        "GMT+0",
        "GMT-0",
        "Greenwich",
        "Universal",
        "Zulu",
        "Etc/UTC",
        "Etc/UCT",
        "Etc/GMT",
        "Etc/GMT0",
        "Etc/GMT+0",
        "Etc/GMT-0",
        "Etc/Greenwich",
        "Etc/Universal",
        "Etc/Zulu",
    }
)

# U+2212: a minus sign, which screen readers read as "minus" (a hyphen is read as "dash").
MINUS = "\u2212"


def offset_label(zone_name: str, at: datetime | None = None) -> str:
    """The zone's offset from UTC at an instant: "UTC+1", "UTC+5:30", "UTC\u22125"; the name if unknown."""
    try:
        zone = ZoneInfo(zone_name)
    except (ValueError, KeyError, OSError):
        return zone_name
    offset = (at or timezone.now()).astimezone(zone).utcoffset()
    minutes = round(offset.total_seconds() / 60) if offset is not None else 0
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else MINUS
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def zone_label(zone_name: str, at: datetime | None = None) -> str:
    """A zone as people say it: the city of its IANA name ("America/New_York": "New York time");
    "UTC" for UTC; for a zone without a city (Etc/GMT+5, EST5EDT) its offset at `at` (default now)."""
    if zone_name in UTC_NAMES:
        return "UTC"
    area, _slash, place = zone_name.rpartition("/")
    if area and area != "Etc" and place:
        return _("%(city)s time") % {"city": place.replace("_", " ")}
    return offset_label(zone_name, at)


# Dates in words go through Django's dateformat, whose month names follow the active language (and never
# the process locale, as strftime's %B does); each language orders the parts its own way.


def day_words(day: date) -> str:
    """ "3 December 2026" ("3. Dezember 2026", "3 de diciembre de 2026")."""
    return dateformat.format(day, pgettext("a date in words, a Django date format", "j F Y"))


def short_day_words(day: date) -> str:
    """ "3 Dec 2026", for a clinician's record and the printed summary."""
    return dateformat.format(day, pgettext("a short date, a Django date format", "j M Y"))


def day_and_month_words(day: date) -> str:
    """ "3 December" ("3. Dezember", "3 de diciembre")."""
    return dateformat.format(day, pgettext("a day and month in words, a Django date format", "j F"))


def short_day_and_month_words(day: date) -> str:
    """ "3 Dec", for the printed summary's charts and the weekly summary."""
    return dateformat.format(day, pgettext("a short day and month, a Django date format", "j M"))


def moment_words(moment: datetime, zone_name: str) -> str:
    """An instant on the patient's clock, labelled: "07:00 New York time on 3 December 2026"."""
    local = timezone.localtime(moment, ZoneInfo(zone_name))
    return _("%(clock)s %(zone)s on %(day)s") % {
        "clock": f"{local:%H:%M}",
        "zone": zone_label(zone_name, moment),
        "day": day_words(local.date()),
    }


def short_moment_words(moment: datetime, zone_name: str) -> str:
    """An instant on the patient's clock, short and labelled, for a clinician's record:
    "1 Dec 2026, 19:40 New York time"."""
    local = timezone.localtime(moment, ZoneInfo(zone_name))
    return f"{short_day_words(local.date())}, {clock_in_zone(moment, zone_name)}"


def clock_in_zone(moment: datetime, zone_name: str) -> str:
    """The clock time of an aware moment in a zone, labelled with it: "03:48 New York time"."""
    return f"{timezone.localtime(moment, ZoneInfo(zone_name)):%H:%M} {zone_label(zone_name, moment)}"
